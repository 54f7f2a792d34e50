"""The 节假日 and 期限规则 dialogs: record a day and see how many deadlines moved; edit a rule;
an H rule is locked."""

from __future__ import annotations

from datetime import date

import pytest

from casedesk.domain.drafts import CaseDraft
from casedesk.ui.admin.holidays_dialog import DayDialog, HolidaysDialog, MarkYearDialog
from casedesk.ui.admin.rules_dialog import RulesDialog
from casedesk.ui.qt import QMessageBox
from tests.ui.conftest import type_text


@pytest.fixture
def case_2027(services) -> str:  # type: ignore[no-untyped-def]
    draft = CaseDraft("（2026）新01民初5号", "民事", date(2026, 11, 2), procedure="一审普通程序")
    return services.cases.create(draft).id


def _fill_day(first: str, last: str, name: str):  # type: ignore[no-untyped-def]
    def fill(dialog: DayDialog) -> int:
        type_text(dialog.day.line, first)
        type_text(dialog.until.line, last)
        type_text(dialog.name.lineEdit(), name)
        dialog.save()
        return dialog.result()

    return fill


def test_add_a_day_and_see_the_count(qtbot, services, case_2027, monkeypatch):  # type: ignore[no-untyped-def]
    dialog = HolidaysDialog(services)
    qtbot.addWidget(dialog)
    assert dialog.selected_year().year == 2027  # next year is shown first: it has no data
    assert "未核实" in dialog.year_title.text() and "尚无数据" in dialog.year_title.text()
    assert not dialog.buttons["取消标记"].isEnabled()

    monkeypatch.setattr(DayDialog, "exec", _fill_day("2027-05-01", "2027-05-05", "劳动节"))
    dialog.buttons["新增…"].click()
    assert "已重新计算，1 个期限的届满日有变化" in dialog.status.text()
    assert dialog.days_table.rowCount() == 5 and dialog.changed
    assert dialog.days_table.item(0, 1).text() == "星期六"
    assert dialog.days_table.item(0, 4).text() == "管理员"

    def mark(edit: MarkYearDialog) -> int:
        type_text(edit.source, "国办发明电〔2026〕7号")
        edit.save()
        return edit.result()

    monkeypatch.setattr(MarkYearDialog, "exec", mark)
    dialog.buttons["标记本年已完整录入…"].click()
    assert "1 个期限的计算结果已核实" in dialog.status.text()
    assert "已核实" in dialog.year_title.text() and dialog.buttons["取消标记"].isEnabled()
    (trial,) = services.deadlines.for_case(case_2027)
    assert trial.due == "2027-05-06" and trial.verified


def test_errors_show_at_the_field(qtbot, services, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    edit = DayDialog(services, "national")
    qtbot.addWidget(edit)
    type_text(edit.day.line, "2027-02-30")
    edit.save()
    assert "不是有效日期" in edit.grid.message("day")
    assert "请填写节日名称" in edit.grid.message("name")
    edit.day.line.clear()
    type_text(edit.day.line, "2027-05-06")
    edit.kind.setCurrentIndex(edit.kind.findData("workday"))
    type_text(edit.name.lineEdit(), "劳动节")
    edit.save()
    assert "星期六或星期日" in edit.grid.message("day") and edit.grid.message("name") == ""
    assert services.holidays.days(2027) == []


def test_a_packaged_day_is_explained_not_removed(qtbot, services, monkeypatch):  # type: ignore[no-untyped-def]
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    dialog = HolidaysDialog(services)
    qtbot.addWidget(dialog)
    dialog.select_year(2026)
    assert not dialog.buttons["标记本年已完整录入…"].isEnabled()
    dialog.days_table.selectRow(0)
    dialog.buttons["删除"].click()
    assert "随软件提供" in shown[0] and "不能删除" in shown[0]


def test_ethnic_scope_and_switch(qtbot, services):  # type: ignore[no-untyped-def]
    services.holidays.set_day(date(2026, 5, 26), "holiday", "古尔邦节", "ethnic")
    dialog = HolidaysDialog(services)
    qtbot.addWidget(dialog)
    dialog.ethnic.setChecked(True)
    dialog.select_year(2026)
    assert dialog.days_table.rowCount() == 1
    assert dialog.days_table.item(0, 3).text() == "古尔邦节"
    dialog.ethnic_check.setChecked(True)
    assert services.holidays.ethnic_enabled()
    assert "已重新计算" in dialog.status.text()


def test_edit_a_rule_through_the_dialog(qtbot, services, monkeypatch):  # type: ignore[no-untyped-def]
    dialog = RulesDialog(services)
    qtbot.addWidget(dialog)
    dialog.select_rule("complaint.procedural_reply")
    assert dialog.form.isEnabled() and dialog.lock.isHidden()
    assert dialog.period.text() == "7d" and not dialog.reset_button.isEnabled()
    dialog.period.setText("5d")
    dialog.extensions.setPlainText("3d 院长")
    dialog.save()
    assert "已重新计算" in dialog.status.text() and dialog.changed
    rule = services.rules.rule("complaint.procedural_reply")
    assert rule.period == "5d" and rule.extensions == (("3d", "院长"),)
    assert "已修改：测试员" in dialog.detail.text()
    assert dialog.reset_button.isEnabled()

    dialog.extensions.setPlainText("3d")
    dialog.save()
    assert "请填写批准机关" in dialog.grid.message("extensions")
    dialog.period.setText("五天")
    dialog.save()
    assert "无法识别期间" in dialog.grid.message("period")

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.reset_button.click()
    assert services.rules.rule("complaint.procedural_reply").period == "7d"
    assert dialog.period.text() == "7d" and "已恢复默认值" in dialog.status.text()


def test_an_h_rule_is_locked(qtbot, services):  # type: ignore[no-untyped-def]
    dialog = RulesDialog(services)
    qtbot.addWidget(dialog)
    dialog.select_rule("criminal.custody.investigation")
    assert dialog.form.isHidden() and not dialog.form.isEnabled()
    assert not dialog.lock.isHidden()
    assert "已锁定" in dialog.lock.text() and "不能在软件中修改" in dialog.lock.text()
    assert "《刑事诉讼法》第156条" in dialog.detail.text()
    row = next(
        r for r in range(dialog.table.rowCount())
        if dialog.table.item(r, 0).text() == "criminal.custody.investigation"
    )  # fmt: skip
    assert dialog.table.item(row, 7).text() == "否"
    partial = [r for r in services.rules.rules() if r.period_locked]
    if partial:  # an H period with an extension length the statute does not give (M)
        dialog.select_rule(partial[0].id)
        assert not dialog.form.isHidden() and not dialog.period.isEnabled()
        assert dialog.lock.text().startswith("部分锁定：")
