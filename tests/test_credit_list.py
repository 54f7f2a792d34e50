"""The debtor credit list (失信被执行人) below the UI: 失信预警 and the grace period, the listing's
ground and term, the 3-working-day deletion after performance (across a holiday and a make-up
working day), deletion, 限制消费 orders and the lists (law.md §6.1–6.2; issue 5, items 4 and 8).

2026 dates from chinesecalendar: 10月1日—10月7日 国庆节、中秋节; 10月10日 (Saturday) and 9月20日
(Sunday) are make-up working days (调休上班); 2月28日 (Saturday) too."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from casedesk.domain.credit_list import (
    DeletionDraft,
    ListingDraft,
    SpendingBanDraft,
    WarningDraft,
    grace_end,
    listing_term_spec,
)
from casedesk.domain.enforcement import (
    PaymentDraft,
)
from casedesk.domain.errors import FieldErrors
from casedesk.services.enforcement_dto import (
    DELETED,
    IN_GRACE,
    LISTED,
    PENDING_DELETION,
    PERFORMED_UNLISTED,
    WARNED,
)
from casedesk.services.errors import ServiceError
from casedesk.store.enforcement_models import DishonestListing
from casedesk.store.models import AuditRecord, Deadline
from tests.test_enforcement import enforcement_case

DELETE = "dishonest.delete_after_performance"


def count(sv, model) -> int:  # type: ignore[no-untyped-def]
    with sv.db.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def listing(sv, case_id: str, listing_id: str, as_of: date | None = None):  # type: ignore[no-untyped-def]
    view = sv.enforcement.get(case_id, as_of)
    return next(x for x in view.listings if x.id == listing_id)


def clock(view, rule_id: str):  # type: ignore[no-untyped-def]
    return next(c for c in view.clocks if c.rule_id == rule_id)


# -- grace period and term (pure) ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        # 法发〔2019〕35号: 一至三个月; months end on the same day number, else the month's
        # last day (民法典 第202条)
        (date(2026, 3, 10), 1, date(2026, 4, 10)),
        (date(2026, 3, 10), 3, date(2026, 6, 10)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 3, date(2026, 11, 30)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # leap year
    ],
)
def test_grace_period_end(start: date, months: int, end: date) -> None:
    assert grace_end(start, months) == end


@pytest.mark.parametrize(
    ("ground", "extra", "spec"),
    [
        (1, 0, None),  # 失信规定 第2条: 有履行能力而拒不履行 — no term, until performance
        (2, 0, "2y"),  # 第2条: two years for grounds (2)–(6)
        (4, 0, "2y"),
        (6, 0, "2y"),
        (2, 1, "3y"),  # serious cases: extended by one to three years
        (3, 3, "5y"),
    ],
)
def test_term_of_listing(ground: int, extra: int, spec: str | None) -> None:
    assert listing_term_spec(ground, extra) == spec


# -- warning and grace period --------------------------------------------------------------------
def test_grace_period_clock_and_listing_within_it_refused(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    lid = services.enforcement.warn(
        ids["case"], WarningDraft(ids["firm"], date(2026, 7, 31), "预警通知书1号", 3)
    )
    row = listing(services, ids["case"], lid)
    # 2026-07-31 + 3 months = 10-31, a Saturday: the grace period ends on Monday 11-02
    assert (row.grace_from, row.grace_months, row.grace_end) == (
        date(2026, 7, 31), 3, date(2026, 11, 2))  # fmt: skip
    assert listing(services, ids["case"], lid, date(2026, 11, 2)).state == IN_GRACE
    assert listing(services, ids["case"], lid, date(2026, 11, 3)).state == WARNED
    grace = clock(row, "dishonest.grace")
    assert (grace.status, grace.due_on) == ("open", date(2026, 11, 2))
    before = (count(services, DishonestListing), count(services, Deadline),
              count(services, AuditRecord))  # fmt: skip
    with pytest.raises(FieldErrors) as err:
        services.enforcement.list_debtor(
            ids["case"], ListingDraft(ids["firm"], date(2026, 11, 2), 2, "决定书1号")
        )
    assert "宽限期内不得纳入失信名单" in err.value.errors["listed_on"]
    after = (count(services, DishonestListing), count(services, Deadline),
             count(services, AuditRecord))  # fmt: skip
    assert after == before
    # the day after the grace period: listed; the grace clock is met
    services.enforcement.list_debtor(
        ids["case"], ListingDraft(ids["firm"], date(2026, 11, 3), 2, "决定书1号")
    )
    row = listing(services, ids["case"], lid)
    assert (row.state, row.listed_on, row.term_spec) == (LISTED, date(2026, 11, 3), "2y")
    assert clock(row, "dishonest.grace").status == "met"


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (WarningDraft("", date(2026, 2, 1)), "debtor_party_id"),
        (WarningDraft("X", None), "warned_on"),
        (WarningDraft("X", date(2026, 2, 1), grace_months=4), "grace_months"),
        (WarningDraft("X", date(2026, 2, 1), grace_months=0), "grace_months"),
        (WarningDraft("X", date(2026, 2, 1), grace_months=1, grace_from=date(2026, 1, 20)),
         "grace_from"),
    ],
)  # fmt: skip
def test_bad_warning_refused(services, draft, field) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    with pytest.raises(FieldErrors) as err:
        services.enforcement.warn(ids["case"], draft)
    assert field in err.value.errors
    assert count(services, DishonestListing) == 0


def test_only_a_debtor_of_the_case_can_be_warned_or_listed(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    with pytest.raises(FieldErrors, match="被执行人"):
        services.enforcement.warn(ids["case"], WarningDraft(ids["applicant"], date(2026, 2, 1)))
    with pytest.raises(FieldErrors, match="被执行人"):
        services.enforcement.list_debtor(
            ids["case"], ListingDraft(ids["applicant"], date(2026, 2, 1), 1)
        )
    assert count(services, DishonestListing) == 0


# -- listing ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ground", "extra", "term_end"),
    [
        (1, 0, None),  # 失信规定 第2条: no term for ground (1)
        (2, 0, date(2028, 2, 10)),  # two years; the term lapses on its day (no roll-forward)
        (5, 3, date(2031, 2, 10)),  # extended by three years
    ],
)
def test_listing_term_clock(services, ground, extra, term_end) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    lid = services.enforcement.list_debtor(
        ids["case"], ListingDraft(ids["person"], date(2026, 2, 10), ground, "决定书", extra)
    )
    row = listing(services, ids["case"], lid)
    assert (row.state, row.term_end) == (LISTED, term_end)
    terms = [c for c in row.clocks if c.rule_id == "dishonest.term"]
    assert [c.due_on for c in terms] == ([] if term_end is None else [term_end])
    assert row.term_label == ("不设期限（至履行完毕）" if ground == 1 else f"{2 + extra}年")


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (ListingDraft("P", date(2026, 2, 10), 7), "ground"),
        (ListingDraft("P", date(2026, 2, 10), None), "ground"),
        (ListingDraft("P", date(2026, 2, 10), 1, extra_years=1), "extra_years"),  # 第2条
        (ListingDraft("P", date(2026, 2, 10), 2, extra_years=4), "extra_years"),
        (ListingDraft("P", date(2025, 12, 1), 2), "listed_on"),  # before acceptance
        (ListingDraft("P", None, 2), "listed_on"),
    ],
)
def test_bad_listing_refused(services, draft, field) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    draft = ListingDraft(
        ids["person"], draft.listed_on, draft.ground, extra_years=draft.extra_years
    )
    with pytest.raises(FieldErrors) as err:
        services.enforcement.list_debtor(ids["case"], draft)
    assert field in err.value.errors
    assert count(services, DishonestListing) == 0


def test_listing_after_performance_refused(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services, claimed=100_00)
    services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 3, 2), 100_00))
    with pytest.raises(FieldErrors, match="已于 2026-03-02 履行完毕"):
        services.enforcement.list_debtor(
            ids["case"], ListingDraft(ids["firm"], date(2026, 3, 5), 1)
        )
    with pytest.raises(ServiceError, match="履行完毕"):
        services.enforcement.warn(ids["case"], WarningDraft(ids["firm"], date(2026, 3, 5)))


# -- performance starts the 3-working-day deletion ------------------------------------------------
@pytest.mark.parametrize(
    ("performed", "due"),
    [
        # 失信规定 第10条: within three working days (weekends and holidays skipped, make-up
        # working days counted)
        (date(2026, 3, 2), date(2026, 3, 5)),  # Monday → Thursday
        (date(2026, 3, 6), date(2026, 3, 11)),  # Friday: the weekend is skipped
        (date(2026, 9, 17), date(2026, 9, 21)),  # Sunday 9-20 is a make-up working day
        (date(2026, 9, 30), date(2026, 10, 10)),  # National Day, then Saturday 10-10 (调休)
    ],
)
def test_performance_starts_the_deletion_clock(services, performed, due) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services, claimed=1_000_00)
    lid = services.enforcement.list_debtor(
        ids["case"], ListingDraft(ids["firm"], date(2026, 2, 10), 1, "（2026）新01执1号")
    )
    services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 2, 20), 400_00))
    assert services.enforcement.pending_deletions() == []
    services.enforcement.add_payment(ids["case"], PaymentDraft(performed, 600_00))
    row = listing(services, ids["case"], lid)
    assert (row.state, row.ground_arose_on, row.delete_due_on) == (PENDING_DELETION, performed, due)
    # on the board until the deletion is recorded
    board = services.deadlines.board(as_of=date.fromordinal(due.toordinal() - 3))
    items = [i for i in board.items if i.rule_id == DELETE]
    assert [(i.case_id, i.due_on, i.subject) for i in items] == [
        (ids["case"], due, "新疆天山建材有限公司1（失信被执行人）")]  # fmt: skip
    (pending,) = services.enforcement.pending_deletions(as_of=performed)
    assert (pending.listing_id, pending.due_on, pending.ground_reason) == (lid, due, "履行完毕")
    assert services.enforcement.overdue_deletions(as_of=due) == []
    (late,) = services.enforcement.overdue_deletions(as_of=date.fromordinal(due.toordinal() + 1))
    assert late.days_left == -1


def test_recording_the_deletion_meets_the_clock(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services, claimed=1_000_00)
    firm = services.enforcement.list_debtor(
        ids["case"], ListingDraft(ids["firm"], date(2026, 2, 10), 2, "决定书")
    )
    person = services.enforcement.warn(
        ids["case"], WarningDraft(ids["person"], date(2026, 9, 1), grace_months=2)
    )
    assert {d.listing_id for d in services.enforcement.listed_debtors()} == {firm}
    services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 9, 30), 1_000_00))
    # deletion before the performance refused, nothing saved
    before = (count(services, AuditRecord), count(services, Deadline))
    with pytest.raises(FieldErrors) as err:
        services.enforcement.delete_listing(firm, DeletionDraft(date(2026, 9, 29), "履行完毕"))
    assert err.value.errors == {"deleted_on": "删除日期不能早于履行完毕的日期 2026-09-30"}
    assert (count(services, AuditRecord), count(services, Deadline)) == before
    services.enforcement.delete_listing(
        firm, DeletionDraft(date(2026, 10, 9), "履行完毕", "删除决定")
    )
    row = listing(services, ids["case"], firm)
    assert (row.state, row.deleted_on, row.delete_due_on) == (DELETED, date(2026, 10, 9), None)
    assert {c.rule_id: (c.status, c.closed_on) for c in row.clocks} == {
        DELETE: ("met", date(2026, 10, 9)),
        "dishonest.term": ("met", date(2026, 10, 9)),
    }
    assert not [i for i in services.deadlines.board(as_of=date(2026, 10, 9)).items
                if i.rule_id == DELETE]  # fmt: skip
    assert services.enforcement.pending_deletions() == []
    assert services.enforcement.listed_debtors() == []
    # the person was only warned: the grace period ended with the performance, nothing to delete
    warned = listing(services, ids["case"], person)
    assert warned.state == PERFORMED_UNLISTED
    assert clock(warned, "dishonest.grace").status == "met"
    with pytest.raises(ServiceError, match="已于 2026-10-09 删除"):
        services.enforcement.delete_listing(firm, DeletionDraft(date(2026, 10, 10), "履行完毕"))


@pytest.mark.parametrize(
    ("reason", "on", "message"),
    [
        ("履行完毕", date(2026, 3, 1), "尚未登记被执行人履行完毕"),  # 第10条 needs performance
        ("期限届满", date(2026, 3, 1), "届满前不能以期限届满为由删除"),
        ("到期", date(2026, 3, 1), "请选择删除的理由"),
        ("信用修复", date(2026, 2, 9), "不能早于纳入日期"),
    ],
)
def test_bad_deletion_refused(services, reason, on, message) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    lid = services.enforcement.list_debtor(
        ids["case"], ListingDraft(ids["firm"], date(2026, 2, 10), 2)
    )
    with pytest.raises(FieldErrors, match=message):
        services.enforcement.delete_listing(lid, DeletionDraft(on, reason))
    assert listing(services, ids["case"], lid).deleted_on is None


def test_other_grounds_and_early_deletion(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services)
    firm = services.enforcement.list_debtor(
        ids["case"], ListingDraft(ids["firm"], date(2026, 2, 10), 1)
    )
    person = services.enforcement.list_debtor(
        ids["case"], ListingDraft(ids["person"], date(2026, 2, 10), 4)
    )
    # 终结执行 (第10条): the 3-working-day clock starts from the ruling
    with pytest.raises(FieldErrors, match="履行完毕请登记履行"):
        services.enforcement.deletion_ground(firm, date(2026, 9, 30), "履行完毕")
    services.enforcement.deletion_ground(firm, date(2026, 9, 30), "终结执行")
    row = listing(services, ids["case"], firm)
    assert (row.state, row.delete_due_on) == (PENDING_DELETION, date(2026, 10, 10))
    with pytest.raises(ServiceError, match="删除期限正在计算"):
        services.enforcement.deletion_ground(firm, date(2026, 10, 1), "不予执行")
    # 信用修复: early deletion for active performance, no clock needed first
    services.enforcement.delete_listing(person, DeletionDraft(date(2026, 5, 1), "信用修复"))
    assert listing(services, ids["case"], person).state == DELETED


# -- 限制消费 -------------------------------------------------------------------------------------
def test_spending_ban_to_lift_after_performance(services) -> None:  # type: ignore[no-untyped-def]
    ids = enforcement_case(services, claimed=100_00)
    ban = services.enforcement.order_spending_ban(
        ids["case"], SpendingBanDraft(ids["firm"], date(2026, 2, 1), "限消令1号", "法定代表人李某")
    )
    with pytest.raises(FieldErrors, match="尚未解除"):
        services.enforcement.order_spending_ban(
            ids["case"], SpendingBanDraft(ids["firm"], date(2026, 2, 2))
        )
    assert not services.enforcement.get(ids["case"]).bans[0].to_lift
    services.enforcement.add_payment(ids["case"], PaymentDraft(date(2026, 3, 2), 100_00))
    # 限制消费规定 第9条: fully performed → must be lifted
    assert services.enforcement.get(ids["case"]).bans[0].to_lift
    with pytest.raises(FieldErrors, match="不能早于限制消费令日期"):
        services.enforcement.lift_spending_ban(ban, date(2026, 1, 31), "履行完毕")
    services.enforcement.lift_spending_ban(ban, date(2026, 3, 3), "履行完毕")
    (view,) = services.enforcement.get(ids["case"]).bans
    assert (view.lifted_on, view.to_lift) == (date(2026, 3, 3), False)


def test_a_listed_debtor_cannot_be_removed_from_the_case(services) -> None:  # type: ignore[no-untyped-def]
    """The listing names its debtor among the case's parties: removing the party is refused."""
    ids = enforcement_case(services, 31)
    services.enforcement.list_debtor(
        ids["case"], ListingDraft(ids["firm"], date(2026, 3, 2), 1, "决定书2号")
    )
    before = count(services, AuditRecord)
    with pytest.raises(ServiceError, match="不能移除"):
        services.parties.remove(ids["firm"])
    assert count(services, AuditRecord) == before
    services.parties.remove(ids["applicant"])  # nothing of the applicant's: removed


def _id(birth: str, seq: str = "123") -> str:
    from casedesk.domain.identifiers.id_number import id_number_check_char

    first17 = "110105" + birth + seq
    return first17 + id_number_check_char(first17)


@pytest.mark.parametrize(
    ("id_number", "on", "minor"),
    [
        # 失信规定 第4条: not listed while under 18
        (_id("20081127"), date(2026, 11, 26), True),  # 18 tomorrow
        (_id("20081127"), date(2026, 11, 27), False),  # 18 today
        (_id("20080229"), date(2026, 2, 28), True),  # born on 29 February: 18 on 1 March
        (_id("20080229"), date(2026, 3, 1), False),
        ("110105800315123", date(2026, 1, 5), False),  # 15-digit, born 1980
        ("110105201003151234", date(2026, 1, 5), False),  # bad check character: not known
        ("", date(2026, 1, 5), False),
        (None, date(2026, 1, 5), False),
    ],
)
def test_minors_are_known_by_their_id_number(id_number, on: date, minor: bool) -> None:  # type: ignore[no-untyped-def]
    from casedesk.domain.credit_list import is_minor

    assert is_minor(id_number, on) is minor


def test_a_minor_debtor_is_not_listed(services) -> None:  # type: ignore[no-untyped-def]
    from casedesk.domain.drafts import PersonDraft

    ids = enforcement_case(services, 41)
    minor = services.parties.add(
        ids["case"], "被执行人", new_person=PersonDraft("李小", _id("20100315"))
    )
    before = count(services, DishonestListing)
    with pytest.raises(FieldErrors) as err:
        services.enforcement.list_debtor(ids["case"], ListingDraft(minor, date(2026, 3, 2), 4))
    assert "未满18周岁" in err.value.errors["debtor_party_id"]
    assert count(services, DishonestListing) == before
