"""The 执行 tab and the 执行 list page (issue 5, items 4, 5 and 8): shown on enforcement cases
only; a payment recorded through its dialog that completes performance starts the
3-working-day deletion clock (失信规定 第10条), seen on the tab and on the board; a payment
larger than what remains refused at the field with nothing saved; the lists of listed debtors
and pending deletions opening the case at its 执行 tab; the tables pass the model tester."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from casedesk.domain.credit_list import (
    ListingDraft,
    SpendingBanDraft,
    WarningDraft,
)
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.enforcement import (
    DELETE_RULE,
    ActionDraft,
    EnforcementDraft,
    PaymentDraft,
)
from casedesk.services.enforcement_dto import LISTED, PENDING_DELETION
from casedesk.ui.bus import Bus
from casedesk.ui.cases.case_page import TAB_ENFORCEMENT, CasePage
from casedesk.ui.enforcement.record_dialogs import PaymentDialog
from tests.ui.conftest import type_text

TODAY = date.today()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def enforcement_case(services, n: int = 1, claimed: int = 100_000_00) -> dict:  # type: ignore[no-untyped-def]
    """An 执行 case accepted 120 days ago: an applicant, an enterprise and a person debtor, and
    its record with the claim."""
    case_id = services.cases.create(
        CaseDraft(f"（2026）新01执{n}号", "执行", ago(120), handler="王法官")
    ).id
    services.parties.add(case_id, "申请执行人", new_enterprise=EnterpriseDraft(f"申请人公司{n}"))
    firm = services.parties.add(
        case_id, "被执行人", new_enterprise=EnterpriseDraft(f"新疆天山建材有限公司{n}")
    )
    person = services.parties.add(case_id, "被执行人", new_person=PersonDraft(f"张{n}"))
    services.enforcement.open_record(
        case_id,
        EnforcementDraft(
            "判决书", f"（2025）新01民初{n}号", "乌鲁木齐市中级人民法院", ago(150), claimed
        ),
    )
    return {"case": case_id, "firm": firm, "person": person}


def list_firm(services, ids: dict, on: date) -> str:  # type: ignore[no-untyped-def]
    # 失信规定 第1条第(2)项: listed for two years (第2条)
    return services.enforcement.list_debtor(
        ids["case"], ListingDraft(ids["firm"], on, 2, "决字1号")
    )


def open_page(qtbot, services, case_id: str) -> CasePage:  # type: ignore[no-untyped-def]
    page = CasePage(services, Bus(), case_id)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    page.tabs.setCurrentIndex(TAB_ENFORCEMENT)
    return page


def test_only_enforcement_cases_have_the_tab(qtbot, services):  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    civil = services.cases.create(CaseDraft("（2026）新01民初8号", "民事", ago(5))).id
    bare = services.cases.create(CaseDraft("（2026）新01执99号", "执行", ago(5))).id
    assert open_page(qtbot, services, ids["case"]).tabs.isTabVisible(TAB_ENFORCEMENT)
    assert not open_page(qtbot, services, civil).tabs.isTabVisible(TAB_ENFORCEMENT)
    page = open_page(qtbot, services, bare)  # no record yet: offered to open one
    assert page.tabs.isTabVisible(TAB_ENFORCEMENT)
    assert page.enforcement.empty.isVisible() and not page.enforcement.body.isVisible()
    assert page.enforcement.record_button.text() == "登记执行依据…"


def test_a_payment_completing_performance_starts_the_deletion_clock(  # type: ignore[no-untyped-def]
    qtbot, services, monkeypatch
):
    ids = enforcement_case(services)
    services.enforcement.add_payment(ids["case"], PaymentDraft(ago(60), 40_000_00, "公司"))
    listing = list_firm(services, ids, ago(30))
    page = open_page(qtbot, services, ids["case"])
    tab = page.enforcement
    assert "到位率 <b style='font-size:13pt'>40.0%</b>" in tab.figures.text()
    assert tab.listings.model.text(0, 1) == LISTED
    hints = []

    def pay_the_rest(dialog: PaymentDialog) -> int:
        dialog.paid_on.set_value(ago(1))
        dialog.amount_fen.setText("60,000.00")
        type_text(dialog.payer, "新疆天山建材有限公司1")
        hints.append(dialog.message("amount_fen"))
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(PaymentDialog, "exec", pay_the_rest)
    with qtbot.waitSignal(tab.changed):
        assert tab.add_payment()
    assert "全部到位" in hints[0]
    v = tab.view
    assert v.performed_on == ago(1) and v.rate_text == "100.0%" and v.remaining_fen == 0
    assert "100.0%" in tab.figures.text()
    # 失信规定 第10条: deleted within three working days of the performance
    (clock,) = [c for c in v.listings[0].clocks if c.rule_id == DELETE_RULE]
    shown = [tab.clocks.model.text(r, 0) for r in range(tab.clocks.model.rowCount())]
    assert "失信信息删除：新疆天山建材有限公司1" in shown
    row = tab.listings.model.row_of(listing)
    assert tab.listings.model.text(row, 1) == PENDING_DELETION
    assert tab.listings.model.text(row, 8) == str(clock.due_on)
    assert not tab.payment_button.isEnabled() and not tab.list_button.isEnabled()
    board = services.deadlines.board(everything=True)
    assert clock.id in {i.deadline_id for i in board.items if i.rule_id == DELETE_RULE}


def test_a_payment_larger_than_what_remains_is_refused_at_the_field(  # type: ignore[no-untyped-def]
    qtbot, services, monkeypatch
):
    ids = enforcement_case(services, claimed=50_000_00)
    services.enforcement.add_payment(ids["case"], PaymentDraft(ago(60), 20_000_00))
    tab = open_page(qtbot, services, ids["case"]).enforcement
    messages = []

    def overpay(dialog: PaymentDialog) -> int:
        dialog.paid_on.set_value(ago(1))
        dialog.amount_fen.setText("30,000.01")
        dialog.save()
        messages.append(dialog.message("amount_fen"))
        return dialog.result()

    monkeypatch.setattr(PaymentDialog, "exec", overpay)
    assert not tab.add_payment()
    assert "超出尚未执行到位的金额 30,000.00 元" in messages[0]
    v = services.enforcement.get(ids["case"])
    assert (len(v.payments), v.recovered_fen, v.performed_on) == (1, 20_000_00, None)


def test_the_list_page_shows_listed_debtors_and_pending_deletions(  # type: ignore[no-untyped-def]
    qtbot, window, services
):
    from casedesk.ui.enforcement.lists import BY_RECOVERY, LISTED, OVERDUE, PENDING
    from casedesk.ui.main_window import ENFORCEMENT_TAB
    from casedesk.ui.measure_lists.table import ALERT_FOREGROUND
    from casedesk.ui.qt import Qt

    still = enforcement_case(services, 1)
    list_firm(services, still, ago(50))
    paid = enforcement_case(services, 2, claimed=10_000_00)
    list_firm(services, paid, ago(40))
    # performed 20 days ago: the three working days are long past, the deletion overdue
    services.enforcement.add_payment(paid["case"], PaymentDraft(ago(20), 10_000_00))
    window.tabs.setCurrentIndex(ENFORCEMENT_TAB)
    page = window.enforcement_list
    qtbot.waitUntil(lambda: not page.busy() and page.count(OVERDUE) == 1)
    assert (page.count(BY_RECOVERY), page.count(LISTED), page.count(PENDING)) == (2, 2, 1)
    page.show_list(LISTED)
    listed = page.models[LISTED]
    names = {listed.index(r, 0).data() for r in range(2)}
    assert names == {"新疆天山建材有限公司1", "新疆天山建材有限公司2"}
    page.show_list(PENDING)
    pending = page.models[PENDING]
    assert pending.index(0, 0).data() == "新疆天山建材有限公司2"
    assert pending.index(0, 4).data() < str(TODAY)  # the last day, past
    assert pending.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) == ALERT_FOREGROUND
    assert "其中 <b>1</b> 条已逾期" in page.summary.text()
    page.views[PENDING].doubleClicked.emit(pending.index(0, 1))
    case_page = window.tabs.currentWidget()
    assert case_page.case_id == paid["case"]
    assert case_page.tabs.currentIndex() == TAB_ENFORCEMENT
    assert case_page.enforcement.listings.model.text(0, 1) == PENDING_DELETION


def test_tables_pass_the_model_tester(qtbot, qtmodeltester, services):  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    sv = services.enforcement
    sv.add_payment(ids["case"], PaymentDraft(ago(60), 10_000_00, "张1", "强制扣划"))
    sv.add_action(ids["case"], ActionDraft("网络查控", ago(100), "查询到存款"))
    sv.warn(ids["case"], WarningDraft(ids["person"], ago(90), "预警1号", 1))
    list_firm(services, ids, ago(30))
    sv.order_spending_ban(
        ids["case"], SpendingBanDraft(ids["firm"], ago(30), "限消1号", "法定代表人李某")
    )
    tab = open_page(qtbot, services, ids["case"]).enforcement
    assert tab.listings.model.rowCount() == 2 and tab.bans.model.rowCount() == 1
    assert tab.clocks.model.rowCount() >= 3  # 执行期限, 宽限期, 纳入期限
    for section in (tab.clocks, tab.listings, tab.payments, tab.actions, tab.bans):
        assert section.model.rowCount() > 0
        qtmodeltester.check(section.model)


@pytest.mark.parametrize("step", ["terminate", "perform"])
def test_step_buttons_follow_the_state(qtbot, services, step):  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    if step == "terminate":
        services.enforcement.terminate(ids["case"], ago(10), "无可供执行财产")
    else:
        services.enforcement.record_performance(ids["case"], ago(10))
    tab = open_page(qtbot, services, ids["case"]).enforcement
    assert not tab.terminate_button.isEnabled()
    assert tab.resume_button.isEnabled() is (step == "terminate")
    assert tab.perform_button.isEnabled() is (step == "terminate")
    assert tab.close_button.isEnabled()


def test_listing_in_the_grace_period_is_refused_at_the_field(qtbot, services, monkeypatch):  # type: ignore[no-untyped-def]
    from casedesk.ui.enforcement.credit_dialogs import ListingDialog

    ids = enforcement_case(services)
    # 法发〔2019〕35号: no listing within the grace period (here two months from 10 days ago)
    services.enforcement.warn(ids["case"], WarningDraft(ids["person"], ago(10), "预警1号", 2))
    tab = open_page(qtbot, services, ids["case"]).enforcement
    tab.listings.table.selectRow(tab.listings.model.row_of(tab.view.listings[0].id))
    messages = []

    def list_now(dialog: ListingDialog) -> int:
        assert dialog.debtor.currentData() == ids["person"]  # the selected debtor
        dialog.ground.setCurrentIndex(dialog.ground.findData(4))
        dialog.save()
        messages.append(dialog.message("listed_on"))
        return dialog.result()

    monkeypatch.setattr(ListingDialog, "exec", list_now)
    assert not tab.list_debtor()
    assert "宽限期内不得纳入失信名单" in messages[0]
    assert services.enforcement.get(ids["case"]).listings[0].listed_on is None


def test_a_deletion_dated_before_the_performance_is_refused(qtbot, services, monkeypatch):  # type: ignore[no-untyped-def]
    from casedesk.ui.enforcement.credit_dialogs import DeletionDialog

    ids = enforcement_case(services)
    listing = list_firm(services, ids, ago(30))
    services.enforcement.record_performance(ids["case"], ago(5))
    tab = open_page(qtbot, services, ids["case"]).enforcement
    messages = []

    def delete_early(dialog: DeletionDialog) -> int:
        assert dialog.reason.currentData() == "履行完毕"  # suggested: the debtor performed
        dialog.deleted_on.set_value(ago(6))
        dialog.save()
        messages.append(dialog.message("deleted_on"))
        return dialog.result()

    monkeypatch.setattr(DeletionDialog, "exec", delete_early)
    assert not tab.delete()
    # 失信规定 第10条: deleted once the debtor performed, never before
    assert f"删除日期不能早于履行完毕的日期 {ago(5)}" in messages[0]
    assert services.enforcement.get(ids["case"]).listings[0].deleted_on is None

    def delete(dialog: DeletionDialog) -> int:
        dialog.deleted_on.set_value(ago(3))
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(DeletionDialog, "exec", delete)
    assert tab.delete()
    assert tab.listings.model.text(tab.listings.model.row_of(listing), 10).startswith(str(ago(3)))
    board = services.deadlines.board(everything=True)
    assert not [i for i in board.items if i.rule_id == DELETE_RULE and i.case_id == ids["case"]]
