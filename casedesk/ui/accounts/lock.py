"""The idle lock (GB/T 22239-2019 §8.1.4.1 b): after the policy's idle minutes without a key or
mouse press, every window is covered and the same user must type the password again.

Nothing is closed or hidden: an open dialog keeps what was typed in it (hiding a dialog would
end its ``exec()`` and lose the work). Each visible window gets an opaque child that covers it,
and the unlock dialog is modal above them. Failing the password the policy's number of times
locks the account; the user may then only quit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from casedesk.domain import passwords as pw
from casedesk.services.app import Services
from casedesk.ui.accounts.dialogs import UnlockDialog
from casedesk.ui.qt import (
    QApplication,
    QDialog,
    QEvent,
    QLabel,
    QObject,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)

#: The events that count as the user being there.
ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.InputMethod,
}
CHECK_EVERY_MS = 15_000


class Cover(QWidget):
    """An opaque child over the whole of its window while the program is locked."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("lockCover")
        # A plain QWidget paints a style-sheet background only with WA_StyledBackground.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockCover { background: #3c4043; }")
        label = QLabel("CaseDesk 已锁定")
        label.setStyleSheet("color: white; font-size: 20px;")
        layout = QVBoxLayout(self)
        layout.addWidget(label, 0, Qt.AlignmentFlag.AlignCenter)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        elif event.type() == QEvent.Type.ChildAdded:
            self.raise_()
        return False


class IdleLock(QObject):
    """Watches the application's input; ``lock_now()`` covers the windows and asks for the
    password. ``on_quit`` runs when the user chooses to leave instead."""

    def __init__(self, services: Services, on_quit: Callable[[], None],
                 clock: Callable[[], datetime] = datetime.now) -> None:  # fmt: skip
        super().__init__()
        self.services = services
        self.on_quit = on_quit
        self.clock = clock
        self.last_activity = clock()
        self.locked = False
        self.covers: list[Cover] = []
        self.dialog: UnlockDialog | None = None
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if not self.locked and event.type() in ACTIVITY:
            self.last_activity = self.clock()
        return False

    def check(self) -> bool:
        """Lock when idle long enough; True when it locked now."""
        if self.locked or not self.services.identity.signed_in:
            return False
        policy = self.services.accounts.policy()
        if not pw.idle_locked(self.last_activity, self.clock(), policy):
            return False
        self.lock_now()
        return True

    def lock_now(self) -> None:
        if self.locked:
            return
        self.locked = True
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and not isinstance(window, Cover):
                self.covers.append(Cover(window))
        self.dialog = UnlockDialog(self.services)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.finished.connect(self._finished)
        self.dialog.open()

    def _finished(self, result: int) -> None:
        self.dialog = None
        if result != QDialog.DialogCode.Accepted:
            self.on_quit()
            return
        for cover in self.covers:
            cover.parentWidget().removeEventFilter(cover)
            cover.deleteLater()
        self.covers.clear()
        self.locked = False
        self.last_activity = self.clock()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
