"""Registering a case in the dialog, editing it on its page, its history, unsaved changes."""

from __future__ import annotations

from datetime import date

import pytest

from casedesk.services.lists import CaseFilter
from casedesk.ui.cases.case_page import TAB_HISTORY, TAB_PARTIES, CasePage
from casedesk.ui.cases.new_case_dialog import NewCaseDialog
from casedesk.ui.qt import QMessageBox, Qt
from tests.ui.conftest import type_text


def case_count(services) -> int:  # type: ignore[no-untyped-def]
    return len(services.case_list.ids(CaseFilter(), "accepted_on", True))


def fill_new_case(dialog: NewCaseDialog, number: str) -> None:
    form = dialog.form
    type_text(form.case_number, number)
    type_text(form.cause, "买卖合同纠纷")
    type_text(form.accepted_on.line, "2025-06-03")
    type_text(form.amount, "120万")


def test_register_case_in_dialog(qtbot, services):  # type: ignore[no-untyped-def]
    dialog = NewCaseDialog(services)
    qtbot.addWidget(dialog)
    fill_new_case(dialog, "(2025)新0102民初88号")
    assert dialog.form.family.currentData() == "民事"  # suggested by the type code 民初
    assert "天山区" in dialog.form.grid.message("case_number")
    assert "将保存为 （2025）新0102民初88号" in dialog.form.grid.message("case_number")
    assert dialog.form.grid.message("amount") == "1,200,000.00 元"
    dialog.save()
    assert dialog.result() == NewCaseDialog.DialogCode.Accepted
    detail = services.cases.get(dialog.case_id)
    assert detail.case_number == "（2025）新0102民初88号"
    assert detail.amount_fen == 120_000_000
    assert detail.accepted_on == date(2025, 6, 3)
    assert [e.stage for e in detail.events] == ["立案审查"]


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("case_number", "（2025）新01民初0088号", "不应以0开头"),
        ("case_number", "（2025）新01民初88", "应以“号”结尾"),
        ("case_number", "（2025）新012民初88号", "数字部分应为2位"),
        ("accepted_on", "2025-02-30", "不是有效日期"),
        ("amount", "一百万", "金额应为数字"),
    ],
)
def test_bad_field_is_explained_where_typed_and_nothing_saved(  # type: ignore[no-untyped-def]
    qtbot, services, monkeypatch, field, text, message
):
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    dialog = NewCaseDialog(services)
    qtbot.addWidget(dialog)
    fill_new_case(dialog, "（2025）新01民初88号")
    widget = {
        "case_number": dialog.form.case_number,
        "accepted_on": dialog.form.accepted_on.line,
        "amount": dialog.form.amount,
    }[field]
    widget.clear()
    type_text(widget, text)
    assert message in dialog.form.grid.message(field)
    before = case_count(services)
    dialog.save()
    assert dialog.result() != NewCaseDialog.DialogCode.Accepted
    assert case_count(services) == before


def test_duplicate_case_number_refused_at_the_field(qtbot, services, sample_cases):  # type: ignore[no-untyped-def]
    dialog = NewCaseDialog(services)
    qtbot.addWidget(dialog)
    fill_new_case(dialog, "（2023）新01民初123号")
    dialog.save()
    assert "已存在" in dialog.form.grid.message("case_number")
    assert case_count(services) == 3


def test_ctrl_n_registers_and_opens_the_case_at_its_parties(qtbot, window, monkeypatch):  # type: ignore[no-untyped-def]
    def run(dialog: NewCaseDialog) -> int:
        fill_new_case(dialog, "（2025）新01民初1号")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(NewCaseDialog, "exec", run)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = window.tabs.currentWidget()
    assert isinstance(page, CasePage)
    assert page.heading.text() == "（2025）新01民初1号"
    assert page.tabs.currentIndex() == TAB_PARTIES
    assert window.case_list.count.text() == "共 4 件"


def open_first(window, number: str) -> CasePage:  # type: ignore[no-untyped-def]
    model = window.case_list.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == number)
    return window.open_case(model.open_id_at(row))


def test_edit_with_ctrl_s_and_see_it_in_history(qtbot, window, services):  # type: ignore[no-untyped-def]
    page = open_first(window, "（2023）新01民初123号")
    page.form.cause.clear()
    type_text(page.form.cause, "借款合同纠纷")
    assert page.is_dirty() and window.tabs.tabText(window.tabs.currentIndex()).endswith("*")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not page.is_dirty()
    assert services.cases.get(page.case_id).cause == "借款合同纠纷"
    # the list shows the new value without a reload of everything
    row = window.case_list.model.row_of(services.case_list.key_of(page.case_id))
    assert window.case_list.model.index(row, 3).data() == "借款合同纠纷"
    page.tabs.setCurrentIndex(TAB_HISTORY)
    table = page.history.table
    first = [table.item(0, c).text() for c in range(table.columnCount())]
    assert first[2:] == [
        "修改",
        "案件 （2023）新01民初123号",
        "案由/罪名",
        "买卖合同纠纷",
        "借款合同纠纷",
    ]
    assert first[1] == "测试员"


@pytest.mark.parametrize(
    ("answer", "closed", "saved"),
    [
        (QMessageBox.StandardButton.Cancel, False, False),
        (QMessageBox.StandardButton.Discard, True, False),
        (QMessageBox.StandardButton.Save, True, True),
    ],
)
def test_leaving_a_page_with_unsaved_changes_asks_first(  # type: ignore[no-untyped-def]
    qtbot, window, services, monkeypatch, answer, closed, saved
):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or answer)
    page = open_first(window, "（2023）新01民初123号")
    type_text(page.form.notes, "补充材料待收")
    index = window.tabs.indexOf(page)
    assert window.close_tab(index) is closed
    assert len(asked) == 1
    assert (window.tabs.indexOf(page) == -1) is closed
    assert (services.cases.get(page.case_id).notes == "补充材料待收") is saved


def test_record_stage_moves_the_case_and_shows_on_the_timeline(qtbot, window, monkeypatch):  # type: ignore[no-untyped-def]
    from casedesk.ui.cases.stage_dialog import StageDialog

    def run(dialog: StageDialog) -> int:
        dialog.occurred_on.line.clear()
        type_text(dialog.occurred_on.line, "2023-04-02")
        dialog.stage.setCurrentIndex(dialog.stage.findData("审理中"))
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(StageDialog, "exec", run)
    page = open_first(window, "（2023）新01民初123号")
    page.timeline.record_button.click()
    assert page.detail.stage == "审理中"
    assert page.timeline.table.item(0, 2).text() == "审理中"
    assert "阶段：审理中" in page.subheading.text()


def test_an_unreadable_date_does_not_hide_other_errors(qtbot, services):  # type: ignore[no-untyped-def]
    """Regression: a date that could not be read used to skip the checks of every other field."""
    dialog = NewCaseDialog(services)
    qtbot.addWidget(dialog)
    type_text(dialog.form.case_number, "(2025)新0102民初088号")
    type_text(dialog.form.accepted_on.line, "2025-02-30")
    assert dialog.form.grid.message("case_number") == "案件编号“088”不应以0开头"
    assert dialog.form.grid.message("accepted_on") == "2025年2月30日不是有效日期"
