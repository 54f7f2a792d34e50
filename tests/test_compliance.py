"""Compliance reform (合规考察) as a state machine: steps allowed and refused, the 考察期 and its
reports as clocks on the board, the 检察意见's reply clock, the warning where the 考察期 outlasts a
criminal clock, and bad input refused with nothing saved. Sources: 《关于建立涉案企业合规第三方
监督评估机制的指导意见（试行）》 (2021) 第4、5条; 刑诉法 第172、177条 (law.md §5)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casedesk.domain import compliance as cp
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import PersonalMeasureDraft
from casedesk.domain.periods import Period, add_months
from casedesk.services.errors import ServiceError
from casedesk.store.compliance_models import ComplianceCase, ComplianceEntry, ComplianceMember
from casedesk.store.models import AuditRecord, Deadline

TODAY = date.today()
ALL_CONDITIONS = frozenset(cp.CONDITIONS)


def d(text: str) -> date:
    return date.fromisoformat(text)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def criminal_case(services, n: int = 1, family: str = "刑事"):  # type: ignore[no-untyped-def]
    """A criminal case with an enterprise (被告单位) and a person; (case id, enterprise party)."""
    number = f"（2026）新01刑初{n}号"
    case_id = services.cases.create(CaseDraft(number, family, ago(200))).id
    party = services.parties.add(
        case_id, "被告单位", new_enterprise=EnterpriseDraft(f"新疆丝路{n}号贸易有限公司")
    )
    services.parties.add(case_id, "犯罪嫌疑人", new_person=PersonDraft("王某"))
    return case_id, party


def started(services, n: int = 1):  # type: ignore[no-untyped-def]
    case_id, party = criminal_case(services, n)
    cid = services.compliance.start(
        case_id, cp.ComplianceDraft(party, "企业申请", ago(150), applicant="公司法定代表人")
    )
    return case_id, cid


def examining(services, n: int = 1, months: int = 3, interval: str = "1m", start: int = 100):  # type: ignore[no-untyped-def]
    """A compliance case whose 考察期 began ``start`` days ago."""
    case_id, cid = started(services, n)
    sv = services.compliance
    sv.apply(cid, cp.ApplyDraft(ago(140), ALL_CONDITIONS, document_no="乌检合规〔2026〕1号"))
    sv.form_org(cid, cp.OrgDraft(ago(130), "第三方监督评估组织", (
        cp.MemberDraft("李律师", "律师", "新疆某律师事务所"),
        cp.MemberDraft("张会计", "注册会计师", "某会计师事务所"),
    )))  # fmt: skip
    sv.submit_plan(cid, ago(120), committed_on=ago(120) + timedelta(days=180))
    sv.accept_plan(cid, cp.PlanAcceptDraft(ago(start), ago(start), months, interval))
    return case_id, cid


def counts(services) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    with services.db.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m)) or 0
            for m in (ComplianceCase, ComplianceMember, ComplianceEntry, Deadline, AuditRecord)
        )


# -- the state machine ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("state", "step", "to"),
    [
        (cp.REVIEWING, "apply", cp.APPLIED),
        (cp.REVIEWING, "reject", cp.NOT_APPLIED),
        (cp.APPLIED, "form_org", cp.ORG_FORMED),
        (cp.ORG_FORMED, "submit_plan", cp.PLAN_SUBMITTED),
        (cp.PLAN_SUBMITTED, "request_revision", cp.PLAN_SUBMITTED),
        (cp.PLAN_SUBMITTED, "accept_plan", cp.EXAMINING),
        (cp.EXAMINING, "extend", cp.EXAMINING),
        (cp.EXAMINING, "evaluate", cp.EVALUATED),
        (cp.EVALUATED, "decide", cp.DECIDED),  # the hearing is not compulsory
        (cp.EVALUATED, "hear", cp.HEARD),
        (cp.HEARD, "decide", cp.DECIDED),
        (cp.DECIDED, "close", cp.CLOSED),
        (cp.EXAMINING, "terminate", cp.TERMINATED),
    ],
)
def test_allowed_steps(state: str, step: str, to: str) -> None:
    assert cp.step_to(state, step) == to


@pytest.mark.parametrize(
    ("state", "step"),
    [
        (cp.REVIEWING, "form_org"),  # the decision to apply comes first (指导意见 第4条)
        (cp.APPLIED, "submit_plan"),  # the plan goes to a formed third-party organisation
        (cp.ORG_FORMED, "accept_plan"),  # nothing submitted yet
        (cp.PLAN_SUBMITTED, "evaluate"),  # no 考察期 yet
        (cp.EXAMINING, "decide"),  # the evaluation report comes first
        (cp.EVALUATED, "close"),  # no decision yet
        (cp.DECIDED, "terminate"),  # decided: closed, not terminated
        (cp.CLOSED, "apply"),
        (cp.NOT_APPLIED, "form_org"),
    ],
)
def test_refused_steps_name_the_state(state: str, step: str) -> None:
    with pytest.raises(FieldErrors) as err:
        cp.step_to(state, step)
    assert f"当前状态为“{state}”" in err.value.errors["step"]
    assert cp.STEP_NAMES[step] in err.value.errors["step"]


@pytest.mark.parametrize(
    ("start", "end", "interval", "expected"),
    [
        ("2026-01-31", "2026-04-30", "1m", ["2026-02-28", "2026-03-31", "2026-04-30"]),
        ("2026-03-01", "2026-06-01", "2m", ["2026-05-01", "2026-06-01"]),
        ("2026-03-01", "2026-04-15", "30d", ["2026-03-31", "2026-04-15"]),
    ],
)
def test_report_due_days_run_to_the_end_of_the_exam(start, end, interval, expected) -> None:  # type: ignore[no-untyped-def]
    days = cp.report_due_days(d(start), d(end), Period.parse(interval))
    assert days == [d(x) for x in expected]


# -- through the service ----------------------------------------------------------------------
def test_the_whole_way_to_non_prosecution_and_the_opinion_reply(services) -> None:  # type: ignore[no-untyped-def]
    case_id, cid = examining(services, months=3, start=100)
    sv = services.compliance
    v = sv.get(cid)
    assert v.state == cp.EXAMINING and v.exam_months == 3
    assert [c.rule_id for c in v.clocks] == ["compliance.exam", "compliance.report"]
    assert v.exam_end == v.clocks[0].due_on >= add_months(ago(100), 3)
    sv.receive_report(cid, ago(70))
    sv.inspect(cid, ago(60), "现场检查合规制度落实情况")
    sv.receive_report(cid, ago(35))  # due ~40 days ago: late
    sv.evaluate(cid, ago(5), "合格")
    sv.hear(cid, ago(4), "第三方组织成员、人民监督员、被害单位代表")
    sv.decide(cid, ago(3), "不起诉", "乌检刑不诉〔2026〕9号")
    sv.send_opinion(cid, ago(2), "乌鲁木齐市市场监督管理局")
    v = sv.get(cid)
    reports = [e for e in v.entries if e.kind == "定期报告"]
    assert [r.late for r in reports] == [False, True]
    opinion = next(c for c in v.clocks if c.rule_id == "procuratorial_opinion.reply")
    assert opinion.status == "open" and opinion.subject == v.enterprise_name
    board = {i.deadline_id for i in services.deadlines.board(everything=True).items}
    assert opinion.id in board
    with pytest.raises(FieldErrors, match="尚未收到主管机关回复"):
        sv.close(cid, TODAY)
    sv.record_reply(cid, TODAY, "已给予行政处罚")
    sv.close(cid, TODAY)
    v = sv.get(cid)
    assert v.state == cp.CLOSED and v.ended_on == TODAY
    assert all(c.status != "open" for c in v.clocks)
    history = [h.label for h in services.cases.history(case_id)]
    for label in (
        "启动合规考察 新疆丝路1号贸易有限公司",
        "合规计划通过，开始考察",
        "作出处理决定",
        "结案",
    ):
        assert label in history


def test_exam_and_report_clocks_with_their_own_lengths(services) -> None:  # type: ignore[no-untyped-def]
    """考察期 of 4 months from 2 months ago; reports every 30 days (set per case: law.md §5.2)."""
    _case, cid = examining(services, months=4, interval="30d", start=60)
    v = services.compliance.get(cid)
    exam, report = v.clocks
    assert (exam.rule_id, exam.period_spec) == ("compliance.exam", "4m")
    assert report.period_spec == "30d" and report.start == ago(60).isoformat()
    services.compliance.receive_report(cid, ago(31))
    v = services.compliance.get(cid)
    second = [c for c in v.clocks if c.rule_id == "compliance.report" and c.status == "open"]
    assert len(second) == 1 and second[0].start == (ago(60) + timedelta(days=30)).isoformat()
    services.compliance.extend(cid, ago(1), 2, "整改任务未完成")
    v = services.compliance.get(cid)
    assert v.exam_months == 6
    (open_exam,) = [c for c in v.clocks if c.rule_id == "compliance.exam" and c.status == "open"]
    assert open_exam.start == ago(60).isoformat()  # counted again from the start: 6 months
    assert add_months(ago(60), 6) <= open_exam.due_on <= add_months(ago(60), 6) + timedelta(9)
    assert v.entries[-1].kind == "延长考察期" and v.entries[-1].months == 2


def test_the_exam_is_weighed_against_the_criminal_clocks(services) -> None:  # type: ignore[no-untyped-def]
    """The 考察期 stops neither custody nor 审查起诉 (law.md §5.2): the page warns."""
    case_id, cid = examining(services, months=6, start=10)
    person = next(p.id for p in services.cases.get(case_id).parties if p.kind == "person")
    services.personal_measures.add(
        case_id, PersonalMeasureDraft("取保候审", person, ago(20), guarantor="王某某")
    )
    services.deadlines.record_trigger(case_id, "prosecution_received", ago(5))
    v = services.compliance.get(cid)
    names = {c.name for c in v.criminal_clocks}
    assert {"审查起诉期限", "取保候审最长期限"} <= names
    (warning,) = v.warnings  # bail (12 months) lasts; 审查起诉 (1 month) does not
    assert "审查起诉期限" in warning and str(v.exam_end) in warning


# -- bad input: refused, nothing saved -----------------------------------------------------------
def test_applying_needs_every_condition_and_no_exclusion(services) -> None:  # type: ignore[no-untyped-def]
    _case, cid = started(services)
    before = counts(services)
    with pytest.raises(FieldErrors) as err:
        services.compliance.apply(
            cid, cp.ApplyDraft(ago(140), frozenset({"admits_guilt"}),
                               frozenset({cp.EXCLUSIONS[2]})),
        )  # fmt: skip
    assert (
        "自愿" in err.value.errors["conditions"]
        and "盗用单位名义" in err.value.errors["exclusions"]
    )
    assert counts(services) == before and services.compliance.get(cid).state == cp.REVIEWING


@pytest.mark.parametrize(
    ("act", "field", "message"),
    [
        (lambda sv, cid: sv.form_org(cid, cp.OrgDraft(ago(1), "组织", ())), "step", "不能组建"),
        (lambda sv, cid: sv.apply(cid, cp.ApplyDraft(ago(160), ALL_CONDITIONS)), "decided_on",
         "不能早于启动日期"),
        (lambda sv, cid: sv.apply(cid, cp.ApplyDraft(TODAY + timedelta(1), ALL_CONDITIONS)),
         "decided_on", "不能晚于今天"),
        (lambda sv, cid: sv.reject(cid, ago(1), " "), "reason", "理由"),
    ],
)  # fmt: skip
def test_a_step_refused_saves_nothing(services, act, field, message) -> None:  # type: ignore[no-untyped-def]
    _case, cid = started(services)
    before = counts(services)
    with pytest.raises(FieldErrors) as err:
        act(services.compliance, cid)
    assert message in err.value.errors[field]
    assert counts(services) == before


def test_no_non_prosecution_on_a_failed_evaluation(services) -> None:  # type: ignore[no-untyped-def]
    _case, cid = examining(services, months=3, start=100)
    services.compliance.evaluate(cid, ago(2), "不合格")
    before = counts(services)
    with pytest.raises(FieldErrors, match="评估不合格"):
        services.compliance.decide(cid, ago(1), "不起诉")
    assert counts(services) == before
    services.compliance.decide(cid, ago(1), "起诉")
    with pytest.raises(FieldErrors, match="不起诉决定后"):
        services.compliance.send_opinion(cid, TODAY, "某局")


def test_a_report_before_the_exam_began_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    _case, cid = examining(services, months=3, start=30)
    with pytest.raises(FieldErrors, match="不能早于考察期开始日期"):
        services.compliance.receive_report(cid, ago(40))


def test_only_an_enterprise_of_a_criminal_case(services) -> None:  # type: ignore[no-untyped-def]
    civil = services.cases.create(CaseDraft("（2026）新01民初5号", "民事", ago(10))).id
    party = services.parties.add(civil, "被告", new_enterprise=EnterpriseDraft("某公司"))
    with pytest.raises(FieldErrors, match="只适用于刑事案件"):
        services.compliance.start(civil, cp.ComplianceDraft(party, "依职权启动", ago(1)))
    case_id, enterprise = criminal_case(services, 2)
    person = next(p.id for p in services.cases.get(case_id).parties if p.kind == "person")
    with pytest.raises(FieldErrors, match="本案当事人中的企业"):
        services.compliance.start(case_id, cp.ComplianceDraft(person, "依职权启动", ago(1)))
    services.compliance.start(case_id, cp.ComplianceDraft(enterprise, "依职权启动", ago(1)))
    with pytest.raises(FieldErrors, match="已有进行中的合规考察"):
        services.compliance.start(case_id, cp.ComplianceDraft(enterprise, "依职权启动", ago(1)))


def test_members_object_and_are_replaced(services) -> None:  # type: ignore[no-untyped-def]
    _case, cid = examining(services, start=20)
    sv = services.compliance
    first = sv.get(cid).members[0]
    sv.object_member(cid, first.id, ago(15), "曾担任涉案企业法律顾问，申请回避")
    new_id = sv.replace_member(cid, first.id, ago(14), cp.MemberDraft("赵律师", "律师"))
    members = {m.id: m for m in sv.get(cid).members}
    assert members[first.id].left_on == ago(14) and members[first.id].replaced_by == "赵律师"
    assert members[new_id].serving and members[new_id].joined_on == ago(14)
    with pytest.raises(FieldErrors, match="已被更换"):
        sv.replace_member(cid, first.id, ago(1), cp.MemberDraft("钱律师", "律师"))


def test_the_list_shows_the_next_step_and_nearest_clock(services) -> None:  # type: ignore[no-untyped-def]
    _a, reviewing = started(services, 1)
    _b, exam = examining(services, 2, start=20)
    rows = {r.id: r for r in services.compliance.rows()}
    assert rows[reviewing].next_step == "审查是否适用" and rows[reviewing].next_due is None
    assert rows[exam].state == cp.EXAMINING and rows[exam].next_due is not None
    assert [r.id for r in services.compliance.rows(cp.EXAMINING)] == [exam]


def test_the_enterprise_under_compliance_stays_a_party(services) -> None:  # type: ignore[no-untyped-def]
    case_id, party = criminal_case(services, 9)
    services.compliance.start(case_id, cp.ComplianceDraft(party, "依职权启动", ago(3)))
    before = counts(services)
    with pytest.raises(ServiceError, match="合规考察"):
        services.parties.remove(party)
    assert counts(services) == before
