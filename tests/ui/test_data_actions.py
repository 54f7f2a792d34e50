"""Long actions run off the UI thread behind a progress dialog: demo data, import, export."""

from __future__ import annotations

import json

from casedesk.ui.main_window import MainWindow
from casedesk.ui.qt import QFileDialog, QInputDialog, QMessageBox
from casedesk.ui.settings import app_settings


def make_window(qtbot, services) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(services, app_settings())
    qtbot.addWidget(window)
    window.show()
    return window


def test_first_start_offers_demo_data_and_fills_the_list(qtbot, services, monkeypatch):  # type: ignore[no-untyped-def]
    told = []
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (120, True))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    window = make_window(qtbot, services)
    assert window.case_list.model.rowCount() == 0
    window.data.offer_demo(first_start=True)
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert told == ["已生成 120 件演示案件。"]
    assert window.case_list.model.rowCount() == 120
    assert window.case_list.handler.count() > 1  # the handler filter learnt the new names


def test_import_of_a_file_with_a_bad_line_imports_nothing(qtbot, services, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    header = {"format": "casedesk-cases", "version": 1, "exported_at": "2026-01-01T00:00:00+00:00",
              "generator": "test", "cases": 2}  # fmt: skip
    good = {"type": "case", "case_number": "（2024）新01民初1号", "family": "民事",
            "accepted_on": "2024-01-02"}  # fmt: skip
    bad = dict(good, case_number="（2024）新01民初2号", accepted_on="2024-02-30")
    path = tmp_path / "台账.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in (header, good, bad)))
    warned = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    window = make_window(qtbot, services)
    window.data.import_cases()
    qtbot.waitUntil(lambda: bool(warned), timeout=20_000)
    assert "未导入任何案件" in warned[0] and "第3行" in warned[0]
    assert services.case_list.total() == 0


def test_export_writes_the_file(qtbot, services, sample_cases, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    out = tmp_path / "导出.jsonl"
    told = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    window = make_window(qtbot, services)
    window.data.export_cases()
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["cases"] == 3 and len(lines) == 4


def test_a_good_import_says_what_it_imported(qtbot, services, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Regression: the dialog once showed "<bound method …>" instead of the summary."""
    header = {"format": "casedesk-cases", "version": 1, "exported_at": "2026-01-01T00:00:00+00:00",
              "generator": "test", "cases": 1}  # fmt: skip
    case = {"type": "case", "case_number": "（2024）新01民初1号", "family": "民事",
            "accepted_on": "2024-01-02"}  # fmt: skip
    path = tmp_path / "台账.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in (header, case)))
    told = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    window = make_window(qtbot, services)
    window.data.import_cases()
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert told[0].startswith("已从“台账.jsonl”导入 1 件案件")
    assert services.case_list.total() == 1
