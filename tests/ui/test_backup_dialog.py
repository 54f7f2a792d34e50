"""管理 → 备份与恢复, the daily backup at start, reopening after a restore, and the choices offered
when a database cannot be opened (issue 7, points 4 and 6). Modal boxes and file dialogs are
replaced by functions that answer them."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from casedesk.domain.drafts import CaseDraft
from casedesk.services import backups
from casedesk.services.app import Services
from casedesk.services.backups import BackupService
from casedesk.store import backup as store
from casedesk.store import backup_files, database
from casedesk.ui import app as app_module
from casedesk.ui.admin.backup_dialog import BackupDialog
from casedesk.ui.qt import QFileDialog, QMessageBox, Qt
from casedesk.ui.workspace import Workspace


@pytest.fixture(autouse=True)
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / backups.SETTINGS_FILE
    monkeypatch.setattr(backups, "settings_path", lambda: path)
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_case(services: Services, n: int) -> None:
    services.cases.create(CaseDraft(f"（2024）新01民初{n}号", "民事", date(2024, 3, 1)))


def audit_actions(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT action FROM audit_record WHERE entity_type = 'database' ORDER BY id"
        )
        return [r[0] for r in rows]
    finally:
        conn.close()


def answer_box(monkeypatch: pytest.MonkeyPatch, *clicks: str) -> list[tuple[str, list[str]]]:
    """Answer each QMessageBox.exec by clicking the next button whose text starts with one of
    ``clicks`` (in turn); records (text, button texts) of every box."""
    shown: list[tuple[str, list[str]]] = []
    queue = list(clicks)

    def fake_exec(box: QMessageBox) -> int:
        texts = [b.text() for b in box.buttons()]
        shown.append((box.text(), texts))
        want = queue.pop(0) if queue else "退出"
        for button in box.buttons():
            if button.text().startswith(want):
                button.click()
                break
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append((a[2], [])))
    return shown


# -- the dialog -----------------------------------------------------------------------------------


def test_the_menu_opens_the_dialog(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened = []
    monkeypatch.setattr(BackupDialog, "exec", lambda self: opened.append(self) or 0)
    action = next(
        a
        for m in window.menuBar().actions()
        for a in m.menu().actions()
        if a.text() == "备份与恢复…"
    )
    action.trigger()
    assert len(opened) == 1 and opened[0].restore_from is None


def test_the_list_shows_date_kind_version_and_size(qtbot, services, db_path) -> None:  # type: ignore[no-untyped-def]
    folder = db_path.parent / "backups"
    store.take_backup(db_path, folder, backup_files.DAILY, datetime(2026, 5, 4, 8, 30))
    store.backup_before_upgrade(db_path, "0006", folder)
    dialog = BackupDialog(services)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.rowCount() == 2
    row = [table.item(1, c).text() for c in range(table.columnCount())]
    assert row[0] == "2026-05-04 08:30:00" and row[1] == "每日" and row[4] == "可用"
    assert row[3].endswith("KB") and row[5] == "casedesk-每日-20260504-083000.sqlite3"
    assert table.item(0, 1).text() == "升级前"


def test_settings_are_saved_and_an_unwritable_folder_is_refused_at_its_field(
    qtbot, services, tmp_path, config, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    chosen = tmp_path / "异地备份"
    chosen.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(chosen))
    dialog = BackupDialog(services)
    qtbot.addWidget(dialog)
    dialog.choose_folder()
    assert dialog.folder.text() == str(chosen)
    dialog.counts["daily"].setText("10")
    assert dialog.save_settings()
    assert backups.load_settings() == backups.BackupSettings(chosen, 10, 4, 12)
    saved = config.read_text(encoding="utf-8")

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    dialog.folder.setText(str(blocker / "备份"))
    assert not dialog.save_settings()
    assert "无法写入" in dialog.grid.message("folder")
    dialog.counts["weekly"].setText("99")
    dialog.folder.setText(str(chosen))
    assert not dialog.save_settings()
    assert "0到52之间" in dialog.grid.message("weekly")
    assert config.read_text(encoding="utf-8") == saved


def test_backup_now_runs_off_the_ui_thread_and_lists_the_new_backup(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    add_case(services, 1)
    dialog = BackupDialog(services)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_backup is not None, timeout=10_000)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "手动"
    assert "通过完整性校验" in dialog.status.text()
    assert dialog.backup_button.isEnabled()
    assert audit_actions(services.path) == ["backup"]


def test_restore_asks_first_and_refuses_what_is_not_a_backup(
    qtbot, services, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    text = tmp_path / "台账.xlsx"
    text.write_bytes(b"PK\x03\x04 not a database")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(text), ""))
    dialog = BackupDialog(services)
    qtbot.addWidget(dialog)
    dialog.restore_other()
    assert "不是可用的 CaseDesk 备份" in warned[0] and dialog.restore_from is None

    BackupService.for_services(services).backup_now()
    dialog.reload()
    asked: list[str] = []

    def no(*args):  # type: ignore[no-untyped-def]
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    dialog.restore_selected()
    assert "替换前" in asked[0] and dialog.restore_from is None
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    dialog.restore_selected()
    assert dialog.restore_from == dialog.backups[0].path


# -- the app: daily backup, restore and reopen ---------------------------------------------------


def test_daily_backup_at_start_says_so_in_the_status_bar(qtbot, services, sample_cases) -> None:  # type: ignore[no-untyped-def]
    workspace = Workspace(services)
    window = workspace.show()
    qtbot.addWidget(window)
    workspace.start_daily_backup()
    qtbot.waitUntil(
        lambda: "今日自动备份已完成" in window.statusBar().currentMessage(), timeout=10_000
    )
    workspace.wait_for_backup()
    made = list((services.path.parent / "backups").glob("casedesk-每日-*.sqlite3"))
    assert len(made) == 1
    workspace.start_daily_backup()  # the second start of the day: nothing to do
    assert workspace._daily is None
    assert len(list((services.path.parent / "backups").iterdir())) == 1


def test_a_failed_daily_backup_is_reported(qtbot, services, tmp_path, config, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    config.parent.mkdir(parents=True)
    config.write_text(f'{{"folder": "{blocker / "备份"}"}}', encoding="utf-8")
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    workspace = Workspace(services)
    window = workspace.show()
    qtbot.addWidget(window)
    workspace.start_daily_backup()
    qtbot.waitUntil(lambda: bool(warned), timeout=10_000)
    assert "无法写入" in warned[0] and "管理 → 备份与恢复" in warned[0]
    workspace.wait_for_backup()


def test_restore_from_the_app_closes_restores_and_reopens(
    qtbot, services, sample_cases, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    backup = BackupService.for_services(services).backup_now().path
    add_case(services, 99)
    path = services.path
    workspace = Workspace(services)
    old = workspace.show()
    qtbot.addWidget(old)
    old.restore_requested.emit(str(backup))
    try:
        new = workspace.window
        assert new is not None and new is not old and new.isVisible() and not old.isVisible()
        assert workspace.services is not services
        assert workspace.services.case_list.total() == 3  # the case added after the backup: gone
        assert "已从备份" in new.statusBar().currentMessage()
        aside = [p for p in path.parent.iterdir() if ".替换前-" in p.name]
        assert [p.suffix for p in aside] == [".sqlite3"]  # no -wal of the old file anywhere
        conn = sqlite3.connect(aside[0])
        assert conn.execute("SELECT count(*) FROM case_file").fetchone() == (4,)
        conn.close()
        assert audit_actions(path)[-1] == "restore"
    finally:
        workspace.close()


# -- a database that cannot be opened -------------------------------------------------------------


def test_a_damaged_file_offers_the_newest_good_backup_and_keeps_the_damaged_one(
    qtbot, db_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    folder = db_path.parent / "backups"
    store.take_backup(db_path, folder, backup_files.DAILY, datetime(2026, 5, 3, 8, 0))
    good = store.take_backup(db_path, folder, backup_files.DAILY, datetime(2026, 5, 4, 8, 30))
    (folder / "casedesk-手动-20260505-090000.sqlite3").write_bytes(b"broken backup")  # newer
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])
    damaged = sha256(db_path)
    shown = answer_box(monkeypatch, "从最近的完好备份恢复")

    services = app_module.open_services(db_path)

    try:
        assert services is not None and services.path == db_path.resolve()
        text, buttons = shown[0]
        assert "已损坏" in text and "文件不完整" in text
        assert good.name in text and "2026年05月04日 08:30" in text
        assert buttons == ["从最近的完好备份恢复", "打开其他数据库…", "退出"]
        assert "已恢复" in shown[1][0] or "已从备份" in shown[1][0]
        aside = [p for p in db_path.parent.iterdir() if ".替换前-" in p.name]
        assert len(aside) == 1 and sha256(aside[0]) == damaged  # renamed, never modified
        assert audit_actions(db_path) == ["restore"]
    finally:
        if services is not None:
            services.close()


def test_without_a_good_backup_there_is_no_restore_choice(qtbot, db_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])
    shown = answer_box(monkeypatch, "退出")
    assert app_module.open_services(db_path) is None
    assert shown[0][1] == ["打开其他数据库…", "退出"]


@pytest.mark.parametrize(
    ("make", "buttons"),
    [
        pytest.param("newer", ["打开其他数据库…", "退出"], id="newer"),
        pytest.param("foreign", ["打开其他数据库…", "退出"], id="not-casedesk"),
    ],
)
def test_no_restore_is_offered_for_a_file_that_is_not_damaged(
    qtbot, db_path, monkeypatch, make, buttons
) -> None:  # type: ignore[no-untyped-def]
    store.take_backup(db_path, db_path.parent / "backups", backup_files.DAILY, datetime(2026, 5, 4))
    conn = sqlite3.connect(db_path)
    if make == "newer":
        conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    else:
        conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()
    before = sha256(db_path)
    shown = answer_box(monkeypatch, "退出")
    assert app_module.open_services(db_path) is None
    assert shown[0][1] == buttons and sha256(db_path) == before


def test_a_locked_file_offers_retry(qtbot, db_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(database, "LOCK_WAIT_SECONDS", 0.2)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    shown: list[list[str]] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append([b.text() for b in box.buttons()])
        holder.execute("ROLLBACK")  # the other program is closed before 重试
        next(b for b in box.buttons() if b.text() == "重试").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    services = app_module.open_services(db_path)
    holder.close()
    assert services is not None
    services.close()
    assert shown == [["重试", "打开其他数据库…", "退出"]]
