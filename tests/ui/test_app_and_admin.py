"""Start-up with a database that cannot be opened; the code-table editor; delete and restore."""

from __future__ import annotations

import hashlib

from casedesk.ui import app as app_module
from casedesk.ui.admin.code_tables_dialog import CodeEditDialog, CodeTablesDialog
from casedesk.ui.qt import QInputDialog, QMessageBox
from tests.ui.conftest import type_text


def test_not_a_casedesk_file_gives_a_message_and_stays_untouched(qtbot, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"PK\x03\x04 not a database at all")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    shown = []

    def fake_exec(box):  # type: ignore[no-untyped-def]
        shown.append(box.text())
        return 0  # the user closes the box: no "open another" choice → quit

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert app_module.open_services(path) is None
    assert "不是 CaseDesk 数据库" in shown[0]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_open_another_database_after_a_refusal(qtbot, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("garbage")
    good = tmp_path / "good.sqlite3"

    def choose_other(box):  # type: ignore[no-untyped-def]
        box.buttons()[0].click()  # 打开其他数据库…
        return 0

    monkeypatch.setattr(QMessageBox, "exec", choose_other)
    monkeypatch.setattr(app_module.QFileDialog, "getSaveFileName", lambda *a, **k: (str(good), ""))
    services = app_module.open_services(bad)
    assert services is not None and services.path == good.resolve()
    services.close()


def test_code_tables_add_court_and_tag(qtbot, services, monkeypatch):  # type: ignore[no-untyped-def]
    dialog = CodeTablesDialog(services)
    qtbot.addWidget(dialog)

    def fill(edit: CodeEditDialog) -> int:
        type_text(edit.code, "新0199")
        type_text(edit.name, "测试基层人民法院")
        edit.accept_values()
        return edit.result()

    monkeypatch.setattr(CodeEditDialog, "exec", fill)
    dialog.courts.buttons["新增…"].click()
    assert any(r.code == "新0199" for r in services.code_tables.court_codes())
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("拖欠民营企业账款", True))
    dialog.tags.buttons["新增…"].click()
    assert "拖欠民营企业账款" in [t.name for t in services.code_tables.tags()]
    assert dialog.changed


def test_bad_court_code_is_explained_in_the_editor(qtbot, services, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    edit = CodeEditDialog("法院代字", "备注", None, services.code_tables.save_court_code, None)
    qtbot.addWidget(edit)
    type_text(edit.code, "新012")
    type_text(edit.name, "某法院")
    edit.accept_values()
    assert "2位" in edit.grid.message("code")
    assert all(r.code != "新012" for r in services.code_tables.court_codes())


def test_delete_and_restore_a_case(qtbot, window, services, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    case_id = window.case_list.model.open_id_at(0)
    page = window.open_case(case_id)
    page.delete_button.click()
    assert not page.deleted_banner.isHidden()
    assert not page.form.isEnabled()
    assert window.case_list.count.text() == "共 2 件"
    page.restore_button.click()
    assert page.deleted_banner.isHidden()
    assert window.case_list.count.text() == "共 3 件"
    actions = [h.action for h in services.cases.history(case_id)][:2]
    assert actions == ["restore", "delete"]


def test_start_warns_when_the_audit_chain_is_broken(services, monkeypatch):  # type: ignore[no-untyped-def]
    """Issue 7, point 3: the quick check at start names the broken record."""
    import sqlite3
    from datetime import date

    from casedesk.domain.drafts import CaseDraft
    from casedesk.ui import app as app_module

    said: list[str] = []
    monkeypatch.setattr(app_module.QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    services.cases.create(CaseDraft("（2026）新01民初9号", "民事", date(2026, 3, 2)))
    assert app_module.warn_if_audit_broken(None, services) and said == []
    with sqlite3.connect(services.path) as conn:
        conn.execute("UPDATE audit_record SET actor = '他人' WHERE id = 1")
    assert not app_module.warn_if_audit_broken(None, services)
    assert "第 1 条" in said[0] and "casedesk audit verify" in said[0]
