"""Asking for the key of an encrypted database when it is opened.

The key typed is handed to the store, which holds it in memory for that file only (never on disk,
in the log or in an audit record); the dialog forgets it once closed.
"""

from __future__ import annotations

from pathlib import Path

from casedesk.store import cipher
from casedesk.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class OpenKeyDialog(QDialog):
    """The file's name, why a key is asked (first time, or the last one did not open it), and a
    hidden field."""

    def __init__(self, path: Path, wrong: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("输入数据库密钥")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(f"数据库“{path.name}”已加密，请输入密钥。\n{path.parent}")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problem = QLabel("密钥不正确或文件不是加密的 CaseDesk 数据库，请重新输入。")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        self.problem.setVisible(wrong)
        layout.addWidget(self.problem)
        self.key = QLineEdit()
        self.key.setObjectName("key")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("密钥")
        layout.addWidget(self.key)
        note = QLabel("密钥丢失后数据库及其备份都无法打开，也无法找回。")
        note.setStyleSheet("color: #5f6368;")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("打开")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.key.setFocus()

    def _accept(self) -> None:
        if not self.key.text():
            self.problem.setText("请输入密钥。")
            self.problem.setVisible(True)
            return
        self.accept()


def ask_key(path: Path, wrong: bool = False, parent: QWidget | None = None) -> bool:
    """Ask for the key of ``path``; True when one was given (it is then held for the file and
    the next open uses it), False when the user cancelled."""
    dialog = OpenKeyDialog(path, wrong, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        cipher.remember(path, dialog.key.text())
        return True
    finally:
        dialog.key.clear()
        dialog.deleteLater()
