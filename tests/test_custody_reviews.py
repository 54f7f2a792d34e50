"""羁押必要性审查 (刑诉法 第95条; 刑诉规则 第574–579条): reviews of a person in custody, the
10-day reply to a recommendation, and the list of persons in custody without a recent review."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casedesk.domain.drafts import CaseDraft, PersonDraft
from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import CustodyReviewDraft, MeasureEndDraft, PersonalMeasureDraft
from casedesk.services.errors import Conflict
from casedesk.store.models import AuditRecord, CustodyReview, Deadline

ACCEPTED = date(2025, 6, 1)


def d(text: str) -> date:
    return date.fromisoformat(text)


def person_case(services, n: int = 1, name: str = "王某"):  # type: ignore[no-untyped-def]
    case_id = services.cases.create(CaseDraft(f"（2025）新01刑初{n}号", "刑事", ACCEPTED)).id
    party = services.parties.add(case_id, "犯罪嫌疑人", new_person=PersonDraft(name))
    return case_id, party


def arrested(services, on: str, n: int = 1, name: str = "王某"):  # type: ignore[no-untyped-def]
    """A person arrested on ``on``; returns (case id, measure id)."""
    case_id, party = person_case(services, n, name)
    draft = PersonalMeasureDraft("逮捕", party, d(on))
    return case_id, services.personal_measures.add(case_id, draft)


def recommend(started: str, served: str | None = None, **kw) -> CustodyReviewDraft:  # type: ignore[no-untyped-def]
    values = {"trigger": "依职权", "started_on": d(started), "concluded_on": d(started),
              "conclusion": "建议变更强制措施", "recipient": "乌鲁木齐市公安局",
              "served_on": d(served) if served else None}  # fmt: skip
    return CustodyReviewDraft(**(values | kw))


def rows(sv) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    with sv.db.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model)) or 0
            for model in (CustodyReview, Deadline, AuditRecord)
        )


def review(services, case_id: str):  # type: ignore[no-untyped-def]
    [view] = services.custody_reviews.for_case(case_id)
    return view


def reply_clock(services, case_id: str):  # type: ignore[no-untyped-def]
    [clock] = [c for c in services.deadlines.for_case(case_id) if c.custody_review_id]
    return clock


# -- the 10-day reply ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("served", "due"),
    [
        # 刑诉法 第95条: the case organ reports within 10 days. Not a custody period: a last
        # day in a holiday moves to the next working day (第105条第4款, first clause).
        ("2026-06-01", "2026-06-11"),
        ("2026-09-25", "2026-10-08"),  # 5 Oct: 国庆节 → 8 Oct
        ("2026-09-21", "2026-10-08"),  # 1 Oct: 国庆节 → 8 Oct
        ("2026-09-30", "2026-10-10"),  # 10 Oct 2026 is a Saturday worked in lieu (调休)
        ("2026-11-01", "2026-11-11"),
    ],
)
def test_a_served_recommendation_starts_the_ten_day_reply(services, served, due) -> None:  # type: ignore[no-untyped-def]
    case_id, measure = arrested(services, "2026-05-20")
    review_id = services.custody_reviews.add(measure, recommend(served, served))
    clock = reply_clock(services, case_id)
    assert (clock.rule_id, clock.due_on, clock.custody) == ("custody_review.reply", d(due), False)
    assert clock.custody_review_id == review_id and clock.subject == "王某"
    assert clock.source == "《刑事诉讼法》第95条"
    view = review(services, case_id)
    assert (view.reply_due, view.person_name, view.served_on) == (d(due), "王某", d(served))


def test_conclusion_and_service_recorded_later(services) -> None:  # type: ignore[no-untyped-def]
    sv = services.custody_reviews
    case_id, measure = arrested(services, "2026-05-20")
    sv.add(measure, CustodyReviewDraft("申请", d("2026-06-01"), applicant="王某之妻"))
    assert review(services, case_id).reply_due is None
    assert not [c for c in services.deadlines.for_case(case_id) if c.custody_review_id]
    first = review(services, case_id)
    sv.update(first.id, first.version, recommend("2026-06-01", "2026-06-05", trigger="申请",
                                                 applicant="王某之妻"))  # fmt: skip
    assert review(services, case_id).reply_due == d("2026-06-15")
    with pytest.raises(Conflict):  # someone saved since ``first`` was read
        sv.update(first.id, first.version, recommend("2026-06-01", "2026-06-08"))
    # correcting the day of service counts the reply again
    second = review(services, case_id)
    sv.update(second.id, second.version, dataclasses.replace(
        recommend("2026-06-01", "2026-06-08"), trigger="申请", applicant="王某之妻"))  # fmt: skip
    assert reply_clock(services, case_id).due_on == d("2026-06-18")
    history = [h for h in services.cases.history(case_id) if h.label.startswith("羁押必要性审查")]
    assert {"served_on", "conclusion"} <= {k for h in history for k, *_ in h.changes}


def test_the_reply_meets_the_clock(services) -> None:  # type: ignore[no-untyped-def]
    sv = services.custody_reviews
    case_id, measure = arrested(services, "2026-05-20")
    review_id = sv.add(measure, recommend("2026-06-01", "2026-06-05"))
    before = rows(services)
    for on, reply, field in ((d("2026-06-04"), "已变更", "on"), (None, "已变更", "on"),
                             (d("2026-06-10"), " ", "reply")):  # fmt: skip
        with pytest.raises(FieldErrors) as info:
            sv.record_reply(review_id, on, reply)
        assert set(info.value.errors) == {field}
    assert rows(services) == before
    sv.record_reply(review_id, d("2026-06-12"), "已变更为取保候审")
    clock = reply_clock(services, case_id)
    assert (clock.status, clock.closed_on) == ("met", d("2026-06-12"))
    view = review(services, case_id)
    assert (view.replied_on, view.reply) == (d("2026-06-12"), "已变更为取保候审")


# -- bad input -------------------------------------------------------------------------------------


def test_only_a_custody_measure_is_reviewed(services) -> None:  # type: ignore[no-untyped-def]
    case_id, party = person_case(services)
    bail = services.personal_measures.add(
        case_id, PersonalMeasureDraft("取保候审", party, d("2026-05-01"), guarantor="王父")
    )
    before = rows(services)
    with pytest.raises(FieldErrors) as info:
        services.custody_reviews.add(bail, recommend("2026-06-01"))
    assert set(info.value.errors) == {"measure"}
    assert rows(services) == before


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (recommend("2026-09-27"), "started_on"),  # before the 拘留 that began custody
        (recommend("2026-10-10", "2026-10-12", conclusion="继续羁押"), "served_on"),
        (recommend("2026-10-10", "2026-10-09"), "served_on"),  # served before the conclusion
        (recommend("2026-10-10", "2026-10-12", recipient=""), "recipient"),
        (CustodyReviewDraft("申请", d("2026-10-10")), "applicant"),
        (CustodyReviewDraft("随便", d("2026-10-10")), "trigger"),
    ],
)
def test_bad_reviews_are_refused_at_the_field(services, draft, field) -> None:  # type: ignore[no-untyped-def]
    case_id, party = person_case(services)
    sv = services.personal_measures
    detention = sv.add(case_id, PersonalMeasureDraft("拘留", party, d("2026-09-28")))
    arrest = sv.change(
        detention, d("2026-10-05"), PersonalMeasureDraft("逮捕", party, d("2026-10-05"))
    )
    before = rows(services)
    with pytest.raises(FieldErrors) as info:
        services.custody_reviews.add(arrest, draft)
    assert field in info.value.errors
    assert rows(services) == before
    # custody counts from the 拘留: a review on 28 Sep of the arrest measure is fine
    services.custody_reviews.add(arrest, CustodyReviewDraft("依职权", d("2026-09-28")))


# -- persons in custody ----------------------------------------------------------------------------

AS_OF = date(2026, 11, 20)
INTERVAL = 30


def test_persons_in_custody_and_the_review_interval(services) -> None:  # type: ignore[no-untyped-def]
    """Listed when more than N days (the administrator's interval) passed since the last review,
    or since custody began: exactly N days is still in time, N + 1 is not."""
    services.measure_settings.save("1.2", str(INTERVAL))
    pm, cr = services.personal_measures, services.custody_reviews
    n_days = AS_OF - timedelta(days=INTERVAL)
    n1_days = AS_OF - timedelta(days=INTERVAL + 1)
    # 甲: arrested N days ago, never reviewed → in time
    _, jia = arrested(services, n_days.isoformat(), 1, "甲")
    # 乙: arrested N + 1 days ago, never reviewed → overdue
    _, yi = arrested(services, n1_days.isoformat(), 2, "乙")
    # 丙: detained long ago, then arrested; reviewed N days ago → in time; custody from the 拘留
    case_c, party_c = person_case(services, 3, "丙")
    det = pm.add(case_c, PersonalMeasureDraft("拘留", party_c, d("2026-06-01")))
    bing = pm.change(det, d("2026-06-05"), PersonalMeasureDraft("逮捕", party_c, d("2026-06-05")))
    cr.add(bing, CustodyReviewDraft("依职权", d("2026-07-01")))
    cr.add(bing, CustodyReviewDraft("依职权", n_days))
    # 丁: reviewed N + 1 days ago → overdue
    _, ding = arrested(services, "2026-06-01", 4, "丁")
    cr.add(ding, CustodyReviewDraft("看守所建议", n1_days))
    # not in custody: released, on bail, or the case deleted
    _, gone = arrested(services, "2026-06-01", 5, "戊")
    pm.end(gone, MeasureEndDraft(d("2026-07-01"), "释放"))
    case_f, party_f = person_case(services, 6, "己")
    pm.add(case_f, PersonalMeasureDraft("取保候审", party_f, d("2026-06-01"), guarantor="某"))
    deleted, _ = arrested(services, "2026-06-01", 7, "庚")
    services.cases.delete(deleted)

    listed = {r.person_name: r for r in cr.in_custody(AS_OF)}
    assert set(listed) == {"甲", "乙", "丙", "丁"}
    assert [(listed[n].days_since_review, listed[n].review_overdue) for n in "甲乙丙丁"] == [
        (INTERVAL, False), (INTERVAL + 1, True), (INTERVAL, False), (INTERVAL + 1, True),
    ]  # fmt: skip
    c = listed["丙"]
    assert (c.kind, c.custody_from, c.last_review_on) == ("逮捕", d("2026-06-01"), n_days)
    assert c.days_in_custody == (AS_OF - d("2026-06-01")).days and c.measure_id == bing
    # 5 Jun + 2 months = 5 Aug: the arrest's open clock
    assert (c.clock_name, c.clock_due) == ("逮捕后侦查羁押期限", d("2026-08-05"))
    # 丁's case transferred for prosecution on 1 Jul: held within 审查起诉 (第172条), to 1 Aug,
    # a Saturday kept as the last day while in custody (第105条第4款)
    services.deadlines.record_trigger(
        services.personal_measures.get(ding).case_id, "prosecution_received", d("2026-07-01")
    )
    after = next(r for r in cr.in_custody(AS_OF) if r.person_name == "丁")
    assert (after.clock_name, after.clock_due) == ("审查起诉期限", d("2026-08-01"))
    assert listed["甲"].last_review_on is None and listed["甲"].custody_from == n_days
    order = [r.person_name for r in cr.in_custody(AS_OF)]
    assert order.index("丁") < order.index("甲")  # longest without review first
    overdue = cr.in_custody(AS_OF, unreviewed_only=True)
    assert {r.person_name for r in overdue} == {"乙", "丁"}
    assert (listed["甲"].measure_id, listed["乙"].measure_id) == (jia, yi)


def test_a_review_before_custody_began_again_does_not_count(services) -> None:  # type: ignore[no-untyped-def]
    """Released and detained again in the same case: the earlier custody's review is not this
    custody's review."""
    pm, cr = services.personal_measures, services.custody_reviews
    case_id, party = person_case(services)
    first = pm.add(case_id, PersonalMeasureDraft("逮捕", party, d("2026-03-01")))
    cr.add(first, CustodyReviewDraft("依职权", d("2026-04-01")))
    pm.change(first, d("2026-05-01"), PersonalMeasureDraft("取保候审", party, d("2026-05-01"),
                                                          guarantor="王父"))  # fmt: skip
    bail = pm.for_case(case_id)[0].id
    again = pm.change(bail, d("2026-09-01"), PersonalMeasureDraft("逮捕", party, d("2026-09-01")))
    [row] = services.custody_reviews.in_custody(AS_OF)
    assert (row.measure_id, row.custody_from, row.last_review_on) == (again, d("2026-09-01"), None)
