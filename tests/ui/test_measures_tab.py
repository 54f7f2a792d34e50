"""The 强制措施 tab: recording property and personal measures through their dialogs, their
clocks on the board, the custody chain, refusals at the field (nothing saved), the 超标的 line,
and the table models."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.measures import MeasureEndDraft, PersonalMeasureDraft, PropertyMeasureDraft
from casedesk.services.lists import CaseFilter
from casedesk.ui.bus import Bus
from casedesk.ui.cases.case_page import TAB_HISTORY, TAB_MEASURES, CasePage
from casedesk.ui.deadlines.dialogs import ActionDialog
from casedesk.ui.measures.personal_dialogs import ChangeDialog, PersonalMeasureDialog, StepDialog
from casedesk.ui.measures.property_dialogs import (
    PropertyMeasureDialog,
    ReleaseDialog,
    RenewalDialog,
    UnrelatedDialog,
)
from casedesk.ui.measures.review_dialogs import ReplyDialog, ReviewDialog
from casedesk.ui.qt import QMessageBox
from tests.ui.conftest import type_text

TODAY = date.today()


def year_later(day: date) -> date:
    return day.replace(year=day.year + 1)


def retype(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.clear()
    type_text(widget, text)


@pytest.fixture
def civil_case(services):  # type: ignore[no-untyped-def]
    case = services.cases.create(
        CaseDraft("（2025）新01民初301号", "民事", date(2025, 1, 6), cause="买卖合同纠纷",
                  handler="李娜", amount_fen=100_000_000)
    )  # fmt: skip
    services.parties.add(
        case.id,
        "被告",
        new_enterprise=EnterpriseDraft("新疆天山商贸有限公司", "914403001922038216"),
    )
    return case.id


@pytest.fixture
def criminal_case(services):  # type: ignore[no-untyped-def]
    case = services.cases.create(
        CaseDraft("（2026）新01刑初9号", "刑事", TODAY - timedelta(days=40), cause="合同诈骗罪",
                  handler="张强")
    )  # fmt: skip
    services.parties.add(case.id, "犯罪嫌疑人", new_person=PersonDraft("王伟"))
    services.parties.add(
        case.id, "被告单位", new_enterprise=EnterpriseDraft("喀什丝路贸易有限公司")
    )
    return case.id


def open_page(qtbot, services, case_id: str) -> CasePage:  # type: ignore[no-untyped-def]
    page = CasePage(services, Bus(), case_id)
    qtbot.addWidget(page)
    page.resize(1400, 860)
    page.show()
    page.tabs.setCurrentIndex(TAB_MEASURES)
    return page


def party_index(box, name: str) -> int:  # type: ignore[no-untyped-def]
    return next(i for i in range(box.count()) if box.itemText(i).startswith(name))


def test_tab_sits_between_deadlines_and_history(qtbot, services, civil_case):  # type: ignore[no-untyped-def]
    page = open_page(qtbot, services, civil_case)
    assert page.tabs.tabText(TAB_MEASURES) == "强制措施"
    assert page.tabs.tabText(TAB_HISTORY) == "历史记录"
    assert page.measures.property_model.rowCount() == 0
    assert not page.measures.renew_button.isEnabled()
    assert page.measures.add_property_button.isEnabled()


def test_freeze_of_deposits_on_a_civil_case_runs_one_year_and_is_on_the_board(  # type: ignore[no-untyped-def]
    qtbot, services, civil_case, monkeypatch
):
    # 民诉法解释 第485条: a freeze of bank deposits runs one year; started almost a year ago,
    # its last day is three days away, so the board lists it.
    start = TODAY - timedelta(days=362)
    if (start.month, start.day) == (2, 29):
        start -= timedelta(days=1)
    page = open_page(qtbot, services, civil_case)

    def fill(dialog: PropertyMeasureDialog) -> int:
        assert dialog.kind.currentData() == "冻结"
        assert dialog.object_kind.currentData() == "存款"
        hint = dialog.message("term_spec")
        assert "冻结银行存款期限（民事）：1年" in hint and "第485条" in hint
        type_text(dialog.description, "中国农业银行乌鲁木齐分行账户存款")
        dialog.owner.setCurrentIndex(party_index(dialog.owner, "新疆天山商贸"))
        type_text(dialog.value, "120万")
        type_text(dialog.account_no, "6228480010001")
        type_text(dialog.organ, "乌鲁木齐市中级人民法院")
        retype(dialog.start_on.line, start.isoformat())
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(PropertyMeasureDialog, "exec", fill)
    page.measures.property_menu.actions()[2].trigger()  # 冻结
    model = page.measures.property_model
    assert model.rowCount() == 1
    row = dict(zip(model.headers, model.rows()[0].cells, strict=True))
    assert row["种类"] == "冻结" and row["财产类别"] == "存款"
    assert row["价值（元）"] == "1,200,000.00" and row["所有人"] == "新疆天山商贸有限公司"
    assert row["期限至"] == year_later(start).isoformat()
    assert row["状态"] == "在控"
    assert page.tabs.tabText(TAB_MEASURES) == "强制措施（1）"
    # the new measure is selected; its clock is in the detail panel
    clocks = page.measures.clock_table.rows_model.rows()
    assert [c.cells[0] for c in clocks] == ["冻结银行存款期限（民事）"]
    assert clocks[0].cells[2] == year_later(start).isoformat()
    assert "原期限" in page.measures.detail.chain.toPlainText()
    # the clock is on the board and on the 期限 tab
    board = services.deadlines.board()
    item = next(i for i in board.items if i.case_id == civil_case)
    assert item.rule_id == "property.civil.freeze_deposit" and item.due_on == year_later(start)
    assert page.deadlines.table.rowCount() == 1


def test_detention_request_for_arrest_and_change_to_arrest_show_the_chain(  # type: ignore[no-untyped-def]
    qtbot, services, criminal_case, monkeypatch
):
    detained = TODAY - timedelta(days=10)
    page = open_page(qtbot, services, criminal_case)
    tab = page.measures

    def detain(dialog: PersonalMeasureDialog) -> int:
        assert dialog.form.kind.currentData() == "拘留"
        assert dialog.form.executed_grid.isVisibleTo(dialog)
        assert not dialog.form.bail_grid.isVisibleTo(dialog)
        dialog.form.person.setCurrentIndex(party_index(dialog.form.person, "王伟"))
        retype(dialog.form.decided_on.line, detained.isoformat())
        type_text(dialog.form.executed_on.line, detained.isoformat())
        type_text(dialog.form.executed_time, "08:30")
        type_text(dialog.form.organ, "乌鲁木齐市公安局")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(PersonalMeasureDialog, "exec", detain)
    tab.personal_menu.actions()[3].trigger()  # 拘留
    assert tab.personal_model.rowCount() == 1
    assert tab.personal_model.rows()[0].cells[4] == "在押"
    assert "拘留后提请批准逮捕" in tab.personal_model.rows()[0].cells[3]
    assert tab.step_button.isEnabled() and tab.change_button.isEnabled()

    def request(dialog: StepDialog) -> int:
        retype(dialog.on.line, (detained + timedelta(days=3)).isoformat())
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(StepDialog, "exec", request)
    tab.step_button.click()
    assert not tab.step_button.isEnabled()  # recorded once
    names = [c.cells[0] for c in tab.clock_table.rows_model.rows()]
    assert names == ["拘留后提请批准逮捕", "审查批准逮捕（在押）"]

    def change(dialog: ChangeDialog) -> int:
        assert dialog.form.kind.currentData() == "逮捕"  # 拘留 → 逮捕 by default
        assert not dialog.form.person.isEnabled()  # the same person
        retype(dialog.on.line, (detained + timedelta(days=6)).isoformat())
        assert dialog.form.decided_on.text() == (detained + timedelta(days=6)).isoformat()
        type_text(dialog.end_document, "乌检批捕〔2026〕12号")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ChangeDialog, "exec", change)
    tab.change_button.click()
    rows = {r.cells[1]: r for r in tab.personal_model.rows()}
    assert set(rows) == {"拘留", "逮捕"}
    assert rows["拘留"].cells[4].startswith("已变更为逮捕")
    assert rows["逮捕"].cells[4] == "在押"
    assert tab.current_personal() is not None and tab.current_personal().kind == "逮捕"
    chain = tab.detail.chain.toPlainText()
    assert "1. 拘留" in chain and "2. 逮捕" in chain and "▶ 2. 逮捕" in chain
    assert "拘留后提请批准逮捕" in chain and "逮捕后侦查羁押期限" in chain
    assert [c.cells[0] for c in tab.clock_table.rows_model.rows()] == ["逮捕后侦查羁押期限"]
    assert page.deadlines.table.rowCount() == 3  # every clock is on the 期限 tab too

    # 延长羁押 needs the approving organ (刑诉法 第156条: 上一级人民检察院)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    assert tab.extend_button.isEnabled()

    def extend(dialog: ActionDialog) -> int:
        dialog.save()
        assert "延长须经批准" in dialog.grid.message("approver")
        type_text(dialog.inputs["approver"], "乌鲁木齐市人民检察院")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ActionDialog, "exec", extend)
    tab.extend_button.click()
    arrest = tab.current_personal()
    assert arrest is not None and arrest.clocks[0].extensions_used == 1
    assert "已延长1次" in tab.clock_table.rows_model.rows()[0].cells[0]


def add_freeze(services, case_id: str, start: date, value_fen: int = 50_000_000) -> str:  # type: ignore[no-untyped-def]
    owner = services.cases.get(case_id).parties[0].id
    return services.property_measures.add(
        case_id,
        PropertyMeasureDraft("冻结", "存款", start, description="基本账户存款",
                             owner_party_id=owner, value_fen=value_fen, organ="本院"),
    )  # fmt: skip


def test_release_dated_before_the_start_is_refused_at_the_date(  # type: ignore[no-untyped-def]
    qtbot, services, civil_case, monkeypatch
):
    start = TODAY - timedelta(days=30)
    measure_id = add_freeze(services, civil_case, start)
    page = open_page(qtbot, services, civil_case)
    assert page.show_measure(measure_id)
    seen = {}

    def release(dialog: ReleaseDialog) -> int:
        retype(dialog.released_on.line, (start - timedelta(days=1)).isoformat())
        type_text(dialog.reason, "已提供担保")
        dialog.save()
        seen["message"] = dialog.message("released_on")
        seen["focus"] = dialog.focusWidget() is dialog.released_on.line
        return dialog.result()

    monkeypatch.setattr(ReleaseDialog, "exec", release)
    page.measures.release_button.click()
    assert f"解除日期不能早于措施开始日期 {start}" in seen["message"]
    assert seen["focus"]
    view = services.property_measures.get(measure_id)
    assert view.releases == () and view.status == "在控"


def test_value_that_is_not_a_number_is_refused_at_the_field(  # type: ignore[no-untyped-def]
    qtbot, services, civil_case, monkeypatch
):
    page = open_page(qtbot, services, civil_case)

    def fill(dialog: PropertyMeasureDialog) -> int:
        type_text(dialog.description, "厂房及设备")
        type_text(dialog.value, "abc")
        assert "金额应为数字" in dialog.message("value_fen")  # said while typing
        dialog.save()
        assert "金额应为数字" in dialog.message("value_fen")
        return dialog.result()

    monkeypatch.setattr(PropertyMeasureDialog, "exec", fill)
    assert not page.measures.add_property("查封")
    assert services.property_measures.for_case(civil_case) == []


def test_lapsed_freeze_is_red_and_cannot_be_renewed(qtbot, services, civil_case):  # type: ignore[no-untyped-def]
    # 查扣冻规定 第27条: a term that ran out without renewal has lost effect (已失效)
    measure_id = add_freeze(services, civil_case, TODAY - timedelta(days=400))
    page = open_page(qtbot, services, civil_case)
    tab = page.measures
    assert tab.show_measure(measure_id)
    row = tab.property_model.rows()[0]
    assert row.cells[9] == "已失效" and row.foreground is not None
    assert row.foreground.color().name() == "#b71c1c"
    assert not tab.renew_button.isEnabled()  # a new measure must be recorded
    assert tab.release_button.isEnabled()
    assert "失效" in tab.detail.chain.toPlainText()


def test_renewal_after_the_last_day_is_refused_at_the_field(  # type: ignore[no-untyped-def]
    qtbot, services, civil_case, monkeypatch
):
    start = TODAY - timedelta(days=300)
    measure_id = add_freeze(services, civil_case, start)
    view = services.property_measures.get(measure_id)
    page = open_page(qtbot, services, civil_case)
    assert page.show_measure(measure_id) and page.measures.renew_button.isEnabled()

    def renew(dialog: RenewalDialog) -> int:
        assert str(view.term_end) in dialog.head.text()
        retype(dialog.decided_on.line, (view.term_end + timedelta(days=1)).isoformat())
        assert "不能续行" in dialog.message("decided_on")
        retype(dialog.decided_on.line, TODAY.isoformat())
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(RenewalDialog, "exec", renew)
    page.measures.renew_button.click()
    renewed = services.property_measures.get(measure_id)
    assert renewed.term_end == year_later(view.term_end)
    assert "续行1" in page.measures.detail.chain.toPlainText()


def test_overseizure_line_uses_the_costs_typed_on_the_case(qtbot, services, civil_case):  # type: ignore[no-untyped-def]
    page = open_page(qtbot, services, civil_case)
    page.tabs.setCurrentIndex(0)
    type_text(page.form.costs, "abc")
    assert "金额应为数字" in page.form.grid.message("costs")
    retype(page.form.costs, "2万")
    assert page.save()
    assert services.cases.get(civil_case).costs_fen == 2_000_000
    # claim 100万 + costs 2万, ratio 1.2: 130万 seized is over (查扣冻规定 第19条)
    add_freeze(services, civil_case, TODAY - timedelta(days=10), value_fen=130_000_000)
    page.reload()
    page.tabs.setCurrentIndex(TAB_MEASURES)
    line = page.measures.seizure_line
    assert line.badge.isVisible()
    assert "1,300,000.00" in line.text.text()


def test_table_models_pass_the_model_tester(qtbot, qtmodeltester, services, criminal_case):  # type: ignore[no-untyped-def]
    person = next(p.id for p in services.cases.get(criminal_case).parties if p.kind == "person")
    when = datetime.combine(TODAY - timedelta(days=3), time(9, 0))
    services.personal_measures.add(
        criminal_case,
        PersonalMeasureDraft("拘留", person, when.date(), executed_at=when, organ="某公安局"),
    )
    owner = next(p.id for p in services.cases.get(criminal_case).parties if p.kind != "person")
    services.property_measures.add(
        criminal_case,
        PropertyMeasureDraft("扣押", "动产", TODAY - timedelta(days=5), description="货车一辆",
                             owner_party_id=owner, value_fen=30_000_000, organ_kind="公安机关"),
    )  # fmt: skip
    page = open_page(qtbot, services, criminal_case)
    tab = page.measures
    tab.personal_table.selectRow(0)
    assert tab.clock_model.rowCount() == 1
    for model in (tab.property_model, tab.personal_model, tab.review_model, tab.clock_model):
        qtmodeltester.check(model)
    tab.property_table.selectRow(0)  # 刑事 扣押 without statutory term: periodic review
    assert tab.review_done_button.isEnabled() and not tab.renew_button.isEnabled()
    assert tab.property_model.rows()[0].cells[8].startswith("复查 ")


def test_unrelated_finding_starts_the_release_clock_and_the_board_refreshes(  # type: ignore[no-untyped-def]
    qtbot, services, window, monkeypatch
):
    # 刑诉法 第145条: property found unrelated to the case is released within 3 days
    case_id = next(
        c
        for c in window.services.case_list.ids(CaseFilter(), "accepted_on", True)
        if services.cases.get(c).case_number == "（2022）新01刑初7号"
    )
    owner = services.cases.get(case_id).parties[0].id
    measure_id = services.property_measures.add(
        case_id,
        PropertyMeasureDraft("查封", "不动产", TODAY - timedelta(days=20), description="办公楼",
                             owner_party_id=owner, value_fen=9_000_000, organ_kind="公安机关"),
    )  # fmt: skip
    before = window.board.board.items
    assert not any(i.case_id == case_id for i in before)
    page = window.open_case(case_id, TAB_MEASURES)
    assert page.tabs.tabText(TAB_MEASURES) == "强制措施（1）"
    assert page.measures.show_measure(measure_id)
    found = TODAY - timedelta(days=1)

    def unrelated(dialog: UnrelatedDialog) -> int:
        retype(dialog.on.line, found.isoformat())
        type_text(dialog.note, "经查系案外人所有")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(UnrelatedDialog, "exec", unrelated)
    page.measures.unrelated_button.click()
    assert not page.measures.unrelated_button.isEnabled()  # found once
    assert page.measures.current_property().id == measure_id  # still selected
    names = [r.cells[0] for r in page.measures.clock_model.rows()]
    assert "与案件无关财产的解除" in names
    assert page.measures.property_model.rows()[0].cells[9] == "在控·查明无关"
    items = window.board.board.items  # re-read through the bus
    assert any(
        i.case_id == case_id and i.name == "与案件无关财产的解除" and i.due_on >= found
        for i in items
    )


def test_custody_review_served_then_replied(qtbot, services, criminal_case, monkeypatch):  # type: ignore[no-untyped-def]
    # 刑诉法 第95条: the case organ answers a recommendation within 10 days
    person = next(p.id for p in services.cases.get(criminal_case).parties if p.kind == "person")
    services.personal_measures.add(
        criminal_case, PersonalMeasureDraft("逮捕", person, TODAY - timedelta(days=30))
    )
    page = open_page(qtbot, services, criminal_case)
    tab = page.measures
    assert tab.add_review_button.isEnabled()  # the only person in custody
    served = TODAY - timedelta(days=2)

    def review(dialog: ReviewDialog) -> int:
        assert not dialog.applicant.isEnabled() and not dialog.served_on.isEnabled()
        retype(dialog.started_on.line, (served - timedelta(days=3)).isoformat())
        dialog.conclusion.setCurrentIndex(dialog.conclusion.findData("建议释放"))
        assert dialog.served_on.isEnabled()
        type_text(dialog.served_on.line, served.isoformat())
        dialog.save()  # no conclusion date, no recipient
        assert "结论日期" in dialog.message("concluded_on")
        type_text(dialog.concluded_on.line, served.isoformat())
        dialog.save()
        assert "送达的办案机关" in dialog.message("recipient")
        type_text(dialog.recipient, "乌鲁木齐市公安局")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ReviewDialog, "exec", review)
    tab.add_review_button.click()
    [row] = tab.review_model.rows()
    assert row.cells[4] == "建议释放" and row.cells[7].startswith("待回复")
    assert tab.reply_button.isEnabled()

    def reply(dialog: ReplyDialog) -> int:
        dialog.save()
        assert dialog.message("reply") == "请填写回复内容"
        type_text(dialog.reply, "已变更为取保候审")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ReplyDialog, "exec", reply)
    tab.reply_button.click()
    [row] = tab.review_model.rows()
    assert row.cells[7] == f"{TODAY} 已变更为取保候审"
    assert not tab.reply_button.isEnabled()


def test_bail_deposit_must_be_an_amount(qtbot, services, criminal_case, monkeypatch):  # type: ignore[no-untyped-def]
    page = open_page(qtbot, services, criminal_case)

    def bail(dialog: PersonalMeasureDialog) -> int:
        assert dialog.form.bail_grid.isVisibleTo(dialog)
        assert not dialog.form.executed_grid.isVisibleTo(dialog)
        dialog.form.person.setCurrentIndex(party_index(dialog.form.person, "王伟"))
        dialog.form.by_deposit.setChecked(True)
        type_text(dialog.form.deposit, "五万")
        assert "金额应为数字" in dialog.message("deposit_fen")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(PersonalMeasureDialog, "exec", bail)
    assert not page.measures.add_personal("取保候审")
    assert services.personal_measures.for_case(criminal_case) == []


def test_a_measure_executed_on_a_day_without_hour_is_labelled_by_the_day(services, criminal_case):  # type: ignore[no-untyped-def]
    """逮捕 carried out on a known day at an unknown hour: the change dialog's label shows the
    day, not a made-up 00:00."""
    from casedesk.ui.measures.personal_dialogs import measure_label

    person = next(p.id for p in services.cases.get(criminal_case).parties if p.kind == "person")
    day = TODAY - timedelta(days=4)
    for kind, executed in (("逮捕", datetime.combine(day, time(0, 0))),
                           ("拘留", datetime.combine(day, time(9, 30)))):  # fmt: skip
        measure_id = services.personal_measures.add(
            criminal_case, PersonalMeasureDraft(kind, person, day, executed_at=executed)
        )
        label = measure_label(services.personal_measures.get(measure_id))
        services.personal_measures.end(measure_id, MeasureEndDraft(day, "解除"))
        expected = f"{day} 09:30" if executed.hour else f"{day}）"
        assert expected in label and "00:00" not in label


def test_person_held_after_transfer_shows_the_prosecution_review_period(  # type: ignore[no-untyped-def]
    qtbot, services, criminal_case
):
    """Once the case is transferred for prosecution the arrest's investigation clock is done;
    the person is held within the 审查起诉 period (刑诉法 第172条), and the row says so."""
    person = next(p.id for p in services.cases.get(criminal_case).parties if p.kind == "person")
    arrested = datetime.combine(TODAY - timedelta(days=30), time(10, 0))
    services.personal_measures.add(
        criminal_case, PersonalMeasureDraft("逮捕", person, arrested.date(), executed_at=arrested)
    )
    transferred = TODAY - timedelta(days=5)
    services.deadlines.record_trigger(criminal_case, "prosecution_received", transferred)
    review = next(
        c for c in services.deadlines.for_case(criminal_case)
        if c.rule_id == "criminal.prosecution.review"
    )  # fmt: skip
    page = open_page(qtbot, services, criminal_case)
    cells = page.measures.personal_model.rows()[0].cells
    assert cells[1] == "逮捕" and cells[4] == "在押"
    assert cells[3].startswith(f"审查起诉期限：{review.due}")
