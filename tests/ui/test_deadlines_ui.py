"""Deadlines in the UI: the case's 期限 tab, recording an event, acting on a deadline, the
board, and opening a case at a deadline from the board."""

from __future__ import annotations

from datetime import date, timedelta

from casedesk.domain.drafts import CaseDraft, PersonDraft
from casedesk.domain.measures import PersonalMeasureDraft
from casedesk.ui.cases.case_page import TAB_DEADLINES, CasePage
from casedesk.ui.deadlines.dialogs import ActionDialog, TriggerDialog
from casedesk.ui.main_window import BOARD_TAB
from tests.ui.conftest import type_text


def open_case(window, number: str) -> CasePage:  # type: ignore[no-untyped-def]
    model = window.case_list.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == number)
    return window.open_case(model.open_id_at(row))


def arrest(services, case_id: str, on: date) -> None:  # type: ignore[no-untyped-def]
    """逮捕 of a suspect: its custody clock is recorded with the measure."""
    party = services.parties.add(case_id, "犯罪嫌疑人", new_person=PersonDraft("王某"))
    services.personal_measures.add(case_id, PersonalMeasureDraft("逮捕", party, on))


def test_acceptance_starts_the_trial_period_on_the_deadline_tab(qtbot, window):  # type: ignore[no-untyped-def]
    page = open_case(window, "（2022）新01刑初7号")
    table = page.deadlines.table
    assert page.tabs.tabText(TAB_DEADLINES) == "期限"
    # 刑事 case without a procedure: no 一审普通程序 trial period yet
    assert table.rowCount() == 0


def test_record_an_event_and_extend_its_period(qtbot, services, window, monkeypatch):  # type: ignore[no-untyped-def]
    arrested = date.today() - timedelta(days=20)
    case_id = services.cases.create(
        CaseDraft("（2026）新01刑初88号", "刑事", arrested - timedelta(days=5),
                  procedure="审查起诉", handler="李娜")
    ).id  # fmt: skip
    window.bus.cases_changed.emit()
    page = window.open_case(case_id)

    def record(dialog: TriggerDialog) -> int:
        # custody clocks (逮捕 …) are recorded with their measure; 审查起诉 is a case event
        assert dialog.trigger.findData("arrested") == -1
        dialog.trigger.setCurrentIndex(dialog.trigger.findData("prosecution_received"))
        assert "审查起诉期限" in dialog.starts.text()
        assert not dialog.custody.isChecked()  # not a custody period by its rule
        dialog.occurred_on.line.clear()
        type_text(dialog.occurred_on.line, arrested.isoformat())
        type_text(dialog.subject, "犯罪嫌疑人王某")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(TriggerDialog, "exec", record)
    page.deadlines.record_button.click()
    view = page.deadlines.current()
    assert view is not None and view.name == "审查起诉期限" and view.subject == "犯罪嫌疑人王某"
    first_due = view.due_on
    assert page.deadlines.buttons["extend"].isEnabled()
    assert "延长15日（检察长批准）" in page.deadlines.details.toPlainText()

    def extend(dialog: ActionDialog) -> int:
        type_text(dialog.inputs["approver"], "乌鲁木齐市人民检察院")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ActionDialog, "exec", extend)
    page.deadlines.buttons["extend"].click()
    view = page.deadlines.current()
    assert view.extensions_used == 1 and view.due_on > first_due
    assert any("延长 15日" in s for s in view.steps)
    # the timeline shows the event
    assert page.timeline.table.item(0, 2).text() == "受理移送审查起诉"


def test_an_extension_without_approver_is_refused_at_the_field(
    qtbot, services, window, monkeypatch
):  # type: ignore[no-untyped-def]
    case_id = services.cases.create(
        CaseDraft("（2026）新01刑初89号", "刑事", date.today() - timedelta(days=30))
    ).id
    arrest(services, case_id, date.today() - timedelta(days=10))
    page = window.open_case(case_id)
    page.deadlines.table.selectRow(0)
    seen = {}

    def extend(dialog: ActionDialog) -> int:
        dialog.save()
        seen["message"] = dialog.grid.message("approver")
        return dialog.result()

    monkeypatch.setattr(ActionDialog, "exec", extend)
    page.deadlines.buttons["extend"].click()
    assert seen["message"] == "延长须经批准：请填写批准机关或批准人"
    assert page.deadlines.current().extensions_used == 0


def test_board_shows_overdue_first_and_opens_the_case_at_the_deadline(qtbot, services, window):  # type: ignore[no-untyped-def]
    case_id = services.cases.create(
        CaseDraft("（2026）新01执77号", "执行", date.today() - timedelta(days=30), handler="张强")
    ).id
    # a complaint received 8 days ago: the 7-day procedural reply was due yesterday
    eight_days_ago = date.today() - timedelta(days=8)
    services.deadlines.record_trigger(case_id, "complaint_filed", eight_days_ago)
    window.bus.deadlines_changed.emit()
    board = window.board
    window.tabs.setCurrentIndex(BOARD_TAB)
    table = board.table
    states = [table.item(r, 0).text() for r in range(table.rowCount())]
    numbers = [table.item(r, 1).text() for r in range(table.rowCount())]
    names = [table.item(r, 2).text() for r in range(table.rowCount())]
    mine = ("（2026）新01执77号", "信访投诉程序性回复")
    row = next(r for r in range(len(numbers)) if (numbers[r], names[r]) == mine)
    assert states[row] == "已逾期" and table.item(row, 5).text() == "逾期 1 日"
    assert states == sorted(states, key=lambda t: not t.startswith("已逾期"))  # overdue first
    assert f"逾期 {board.board.counts['overdue']}" in window.tabs.tabText(BOARD_TAB)
    table.selectRow(row)
    board._open()
    page = window.tabs.currentWidget()
    assert isinstance(page, CasePage) and page.case_id == case_id
    assert page.tabs.currentIndex() == TAB_DEADLINES
    assert page.deadlines.current().name == "信访投诉程序性回复"


def test_board_filters_by_handler(qtbot, services, window):  # type: ignore[no-untyped-def]
    board = window.board
    board.handler.setCurrentIndex(board.handler.findData("张强"))
    handlers = {board.table.item(r, 6).text() for r in range(board.table.rowCount())}
    assert handlers <= {"张强"}


def test_print_the_daily_sheet_to_pdf(qtbot, services, window, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from casedesk.ui.deadlines import printing
    from casedesk.ui.qt import QFileDialog

    case_id = services.cases.create(
        CaseDraft("（2026）新01执78号", "执行", date.today() - timedelta(days=30), handler="张强")
    ).id
    services.deadlines.record_trigger(case_id, "complaint_filed", date.today() - timedelta(days=8))
    window.bus.deadlines_changed.emit()
    out = tmp_path / "今日期限一览.pdf"
    opened = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(printing.QDesktopServices, "openUrl", lambda url: opened.append(url))
    window.board.print_requested.emit()
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "今日期限一览" in text and "（2026）新01执78号" in text and "已逾期" in text


def test_correcting_an_event_date_on_the_timeline_moves_its_deadline(
    qtbot, services, window, monkeypatch
):  # type: ignore[no-untyped-def]
    from casedesk.ui.cases.stage_dialog import MoveEntryDialog

    start = date.today() - timedelta(days=20)
    case_id = services.cases.create(CaseDraft("（2026）新01刑初90号", "刑事", start)).id
    # a case-level event (a measure's own entries are corrected on the measure instead)
    services.deadlines.record_trigger(case_id, "prosecution_received", start + timedelta(days=2))
    page = window.open_case(case_id)
    before = page.deadlines.views and next(iter(page.deadlines.views.values())).due_on
    row = next(r for r in range(page.timeline.table.rowCount())
               if page.timeline.table.item(r, 1).text() == "期限事件")  # fmt: skip
    page.timeline.table.selectRow(row)

    def move(dialog: MoveEntryDialog) -> int:
        dialog.occurred_on.line.clear()
        type_text(dialog.occurred_on.line, (start + timedelta(days=1)).isoformat())
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(MoveEntryDialog, "exec", move)
    page.timeline.move_button.click()
    after = next(iter(page.deadlines.views.values())).due_on
    assert before is not None and after < before
