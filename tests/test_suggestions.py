"""Suggestion documents below the UI (issue 6, points 2, 3, 6–8): drafting from a case with the
unit's wording filled in, finalising with a number per issuing unit, kind and year (GB/T
9704-2012 7.2.4: 〔year〕, no leading zeros) without gaps or duplicates under concurrency, the text
locked, service starting the two-month reply clock (《关于综合治理类司法建议工作若干问题的规定》
第8条; 《人民检察院检察建议工作规定》), the reply meeting it, 催办 and 回访, the ledger with each
one's state, the annual statistics, templates, and bad input refused with nothing saved."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casedesk.domain import documents as dm
from casedesk.domain.doc_templates import (
    DEFAULT_WORDING,
    Wording,
    check_complete,
    check_wording,
    draft_body,
    fill,
    fill_strict,
)
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft
from casedesk.domain.errors import FieldErrors
from casedesk.domain.periods import add_months
from casedesk.services.app import Services
from casedesk.services.errors import Conflict
from casedesk.services.suggestions_dto import DRAFT, FINAL, OVERDUE, REPLIED, SERVED
from casedesk.store.models import AuditRecord, CaseEvent, Deadline
from casedesk.store.suggestion_models import Suggestion, SuggestionCounter, SuggestionEntry

TODAY = date.today()
ACCEPTED = date(2025, 3, 2)
COURT = "乌鲁木齐市中级人民法院"  # 新01 in the court code table (law.md §8.1)
PROCURATORATE = "乌鲁木齐市人民检察院"


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def new_case(sv: Services, n: int = 1, *, closed: date | None = None, cause: str = "买卖合同纠纷",
             firm: str = "新疆丝路贸易有限公司") -> str:  # fmt: skip
    case_id = sv.cases.create(CaseDraft(f"（2025）新01民初{n}号", "民事", ACCEPTED, cause=cause,
                                        handler="王法官", closed_on=closed)).id  # fmt: skip
    sv.parties.add(case_id, "原告", new_enterprise=EnterpriseDraft(firm))
    sv.parties.add(case_id, "被告", new_enterprise=EnterpriseDraft(f"乌鲁木齐某建设{n}公司"))
    return case_id


def ready(sv: Services, sid: str, signed: date = ACCEPTED + timedelta(days=30),
          recipient: str = "乌鲁木齐市住房和城乡建设局") -> None:  # fmt: skip
    """Fill what a new draft leaves to the clerk: recipient, empty paragraphs, the item, date."""
    view = sv.suggestions.get(sid)
    blocks = tuple(
        dm.Block(b.kind, b.text or ("建议加强工程款支付监管" if b.kind == dm.ITEM else "经查……"))
        for b in view.blocks
    )
    draft = dataclasses.replace(view.draft, blocks=blocks, recipient=recipient, signed_on=signed)
    sv.suggestions.save_draft(sid, view.version, draft)


def finalised(sv: Services, case_id: str, signed: date = ACCEPTED + timedelta(days=30),
              kind: str = dm.JUDICIAL, subtype: str = "个案") -> str:  # fmt: skip
    sid = sv.suggestions.new_draft(case_id, kind, subtype)
    ready(sv, sid, signed)
    sv.suggestions.finalise(sid)
    return sid


def counts(sv: Services) -> tuple[int, ...]:
    with sv.db.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Suggestion, SuggestionEntry, SuggestionCounter, Deadline, AuditRecord)
        )


# -- drafting -------------------------------------------------------------------------------------
def test_a_draft_is_filled_from_the_case(services: Services) -> None:
    """Issuer = the court code table's name of the case's court (新01); recipient one of the
    case's enterprises; the body the 2023 规定 附件2 structure with the reply sentence."""
    case_id = new_case(services)
    (firm_id, firm), _other = services.suggestions.recipients(case_id)
    sid = services.suggestions.new_draft(case_id, dm.JUDICIAL, "个案", enterprise_id=firm_id)
    view = services.suggestions.get(sid)
    assert (view.state, view.issuer, view.recipient, firm) == (
        DRAFT, COURT, "新疆丝路贸易有限公司", "新疆丝路贸易有限公司")  # fmt: skip
    assert view.subject == "买卖合同纠纷案件中发现的问题" and view.contact == "王法官"
    assert view.blocks[0].text == ("我院在审理新疆丝路贸易有限公司、乌鲁木齐某建设1公司买卖合同"
                                   "纠纷一案（（2025）新01民初1号）中，发现以下问题：")  # fmt: skip
    assert view.blocks[-1].text.startswith("请你单位在收到本建议书后")
    assert "在两个月内向我院书面反馈" in view.blocks[-1].text
    assert [b.kind for b in view.blocks].count(dm.ITEM) == 1 and view.unfilled == ()
    # the draft is kept with the case and reopened as saved
    assert [v.id for v in services.suggestions.for_case(case_id)] == [sid]
    title = dm.document_lines(services.suggestions.document(sid, preview=True))[0].text
    assert title == f"{COURT}关于买卖合同纠纷案件中发现的问题的司法建议书"


def test_a_procuratorial_draft_has_the_five_sections(services: Services) -> None:
    """检察建议书: 问题来源 … 异议期限与回复期限 (law.md §7.3); issuer from the unit setting."""
    services.suggestions.set_unit_names("", PROCURATORATE)
    sid = services.suggestions.new_draft(new_case(services), dm.PROCURATORIAL, "社会治理检察建议",
                                         recipient="某某区市场监督管理局")  # fmt: skip
    view = services.suggestions.get(sid)
    headings = [b.text for b in view.blocks if b.kind == dm.HEADING]
    assert headings == ["问题来源", "查明的事实及证据", "存在的问题", "建议内容及依据",
                        "异议期限与回复期限"]  # fmt: skip
    assert (
        view.issuer == PROCURATORATE
        and "发现某某区市场监督管理局存在以下问题" in view.blocks[1].text
    )
    assert "两个月内" in view.blocks[-1].text and "异议" in view.blocks[-1].text


def test_a_placeholder_without_a_value_is_left_and_reported_never_exported(services) -> None:  # type: ignore[no-untyped-def]
    """{{结案日期}} on an open case: listed in the draft, finalising and export refuse it."""
    case_id = new_case(services)
    services.suggestions.set_template(COURT, dm.JUDICIAL, Wording(
        "{{案号}}一案于{{结案日期}}审结。", DEFAULT_WORDING[dm.JUDICIAL].reply))  # fmt: skip
    sid = services.suggestions.new_draft(case_id, dm.JUDICIAL, "个案")
    ready(services, sid)
    assert services.suggestions.get(sid).unfilled == ("结案日期",)
    with pytest.raises(FieldErrors) as info:
        services.suggestions.document(sid)
    assert "{{结案日期}}" in info.value.errors["blocks"]
    with pytest.raises(FieldErrors) as info:
        services.suggestions.finalise(sid)
    assert "{{结案日期}}" in info.value.errors["blocks"]
    assert services.suggestions.get(sid).state == DRAFT
    # a closed case fills it
    closed = new_case(services, 2, closed=date(2025, 9, 30))
    sid2 = services.suggestions.new_draft(closed, dm.JUDICIAL, "个案")
    assert (
        services.suggestions.get(sid2).blocks[0].text
        == "（2025）新01民初2号一案于2025年9月30日审结。"
    )


def test_case_text_with_ampersand_angle_and_quotes_survives(services: Services) -> None:
    firm = 'A&B <国际> "丝路"有限公司'
    case_id = new_case(services, cause="合同纠纷 & <其他>", firm=firm)
    sid = services.suggestions.new_draft(case_id, dm.JUDICIAL, "个案", recipient=firm)
    ready(services, sid, recipient=firm)
    services.suggestions.finalise(sid)
    text = dm.plain_text(services.suggestions.document(sid))
    assert f"{firm}：" in text and "合同纠纷 & <其他>一案" in text
    assert "&amp;" not in text and "&lt;" not in text and "&quot;" not in text


# -- templates (pure) -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "values", "expected", "missing"),
    [
        ("{{案号}}一案", {"案号": "（2026）新01民初1号"}, "（2026）新01民初1号一案", ()),
        ("{{ 案号 }}", {"案号": "X"}, "X", ()),  # spaces inside the braces
        ("{{案号}}于{{结案日期}}", {"案号": "X", "结案日期": ""}, "X于{{结案日期}}", ("结案日期",)),
        ("{{当事人}}", {"当事人": 'A&B <C> "D"'}, 'A&B <C> "D"', ()),  # plain text, not escaped
        ("{{案由}}", {"案由": "{{案号}}"}, "{{案号}}", ()),  # a value is not filled again
        ("无占位符", {}, "无占位符", ()),
    ],
)
def test_fill(text: str, values: dict, expected: str, missing: tuple) -> None:
    assert fill(text, values) == type(fill("", {}))(expected, missing)


def test_fill_strict_names_the_placeholder() -> None:
    with pytest.raises(FieldErrors) as info:
        fill_strict("{{案号}}{{承办人}}", {"案号": "X"}, "opening")
    assert (
        "{{承办人}}" in info.value.errors["opening"]
        and "{{案号}}" not in info.value.errors["opening"]
    )


@pytest.mark.parametrize(
    ("wording", "field"),
    [
        (Wording("{{未知}}", "请回复"), "opening"),  # not a known placeholder
        (Wording("{{案号}", "请回复"), "opening"),  # unbalanced braces
        (Wording("开头", ""), "reply"),  # the reply sentence is required
        (Wording("开头", "请回复", "x" * 2001), "closing"),
    ],
)
def test_bad_wording_is_refused(wording: Wording, field: str) -> None:
    with pytest.raises(FieldErrors) as info:
        check_wording(wording)
    assert field in info.value.errors


@pytest.mark.parametrize("kind", list(dm.KINDS))
def test_every_kinds_default_draft_needs_the_clerk_before_it_is_final(kind: str) -> None:
    """Default wording is valid; the draft body has an item and its empty blocks are refused."""
    check_wording(DEFAULT_WORDING[kind])
    values = {n: n for n in ("案号", "案由", "当事人", "主送单位", "事由")}
    body = draft_body(kind, DEFAULT_WORDING[kind], values)
    assert body.missing == () and any(b.kind == dm.ITEM for b in body.blocks)
    doc = dm.Document(kind, (dm.KINDS[kind] or ("",))[0], "某院", "", "某局", body.blocks,
                      signed_on=TODAY)  # fmt: skip
    with pytest.raises(FieldErrors) as info:
        check_complete(doc)
    assert "尚未填写内容" in info.value.errors["blocks"]


# -- numbering ------------------------------------------------------------------------------------
def test_numbers_follow_each_other_and_restart_each_year(services: Services) -> None:
    """新01法建〔2025〕1号, 2号 …; the year of the signing date; 〔2026〕 starts at 1 again; no
    leading zeros (GB/T 9704-2012 7.2.4); another kind counts apart."""
    case_id = new_case(services)
    numbers = [services.suggestions.get(finalised(services, case_id, date(2025, 12, d))).number
               for d in (1, 2, 30)]  # fmt: skip
    assert numbers == ["新01法建〔2025〕1号", "新01法建〔2025〕2号", "新01法建〔2025〕3号"]
    sid = finalised(services, case_id, date(2026, 1, 4))
    assert services.suggestions.get(sid).number == "新01法建〔2026〕1号"
    notice = finalised(services, case_id, date(2026, 1, 5), dm.NOTICE, "")
    assert services.suggestions.get(notice).number == "新01补告〔2026〕1号"
    rows = {r.number: r.state for r in services.suggestions.ledger(2025)}
    assert set(rows) == set(numbers) and set(rows.values()) == {FINAL}


def test_a_procuratorate_numbers_with_its_own_pattern(services: Services) -> None:
    """乌检民建〔2026〕12号 (law.md §8.2): fields filled when saved; without a pattern the
    procuratorate cannot finalise."""
    services.suggestions.set_unit_names("", PROCURATORATE)
    case_id = new_case(services)
    sid = services.suggestions.new_draft(case_id, dm.PROCURATORIAL, "其他检察建议")
    ready(services, sid, date(2026, 2, 1))
    with pytest.raises(FieldErrors) as info:
        services.suggestions.finalise(sid)
    assert set(info.value.errors) == {"pattern"}
    saved = services.suggestions.set_pattern(PROCURATORATE, dm.PROCURATORIAL,
                                             "{abbr}检{dept}建〔{year}〕{n}号",
                                             {"abbr": "乌", "dept": "民"})  # fmt: skip
    assert saved.pattern == "乌检民建〔{year}〕{n}号"
    assert services.suggestions.pattern(PROCURATORATE, dm.PROCURATORIAL).saved
    assert services.suggestions.finalise(sid) == "乌检民建〔2026〕1号"


@pytest.mark.parametrize(
    ("pattern", "fields", "message"),
    [
        ("乌检民建〔2026〕{n}号", None, "年度"),  # no year: refused (issue 6, bad input)
        ("乌检民建〔{year}〕号", None, "序号"),
        ("乌检民建[{year}]{n}号", None, "六角括号"),
        ("{abbr}检建〔{year}〕{n}号", None, "{abbr}"),  # a unit field left unfilled
        ("{abbr}检建〔{year}〕{n}号", {"abbr": "乌{"}, "单位代字"),
    ],
)
def test_a_bad_pattern_is_refused_and_nothing_saved(services, pattern, fields, message) -> None:  # type: ignore[no-untyped-def]
    before = counts(services)
    with pytest.raises(FieldErrors) as info:
        services.suggestions.set_pattern(PROCURATORATE, dm.PROCURATORIAL, pattern, fields)
    assert message in "".join(info.value.errors.values())
    assert counts(services) == before
    assert not services.suggestions.pattern(PROCURATORATE, dm.PROCURATORIAL).saved


def test_two_desks_finalising_at_once_get_no_gap_and_no_duplicate(db_path) -> None:  # type: ignore[no-untyped-def]
    """Two Services on the same file (two desks), each finalising drafts in its own thread, all
    released at once: the numbers are 1…N exactly."""
    desks = [Services.open(db_path, "甲"), Services.open(db_path, "乙")]
    try:
        case_id = new_case(desks[0])
        per_desk = 8
        drafts = [[desks[0].suggestions.new_draft(case_id, dm.JUDICIAL, "类案")
                   for _ in range(per_desk)] for _desk in desks]  # fmt: skip
        for batch in drafts:
            for sid in batch:
                ready(desks[0], sid, date(2026, 3, 1))
        barrier, numbers, failures = threading.Barrier(len(desks)), [], []

        def run(desk: Services, batch: list[str]) -> None:
            barrier.wait()
            for sid in batch:
                try:
                    numbers.append(desk.suggestions.finalise(sid))
                except Exception as exc:  # reported below
                    failures.append(exc)

        pairs = zip(desks, drafts, strict=True)
        threads = [threading.Thread(target=run, args=pair) for pair in pairs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failures == []
        total = per_desk * len(desks)
        assert sorted(numbers) == sorted(f"新01法建〔2026〕{n}号" for n in range(1, total + 1))
        with desks[1].db.session() as s:
            assert s.scalar(select(SuggestionCounter.last_seq)) == total
    finally:
        for desk in desks:
            desk.close()


# -- locked text ----------------------------------------------------------------------------------
def test_a_finalised_text_is_locked(services: Services) -> None:
    sid = finalised(services, new_case(services))
    view = services.suggestions.get(sid)
    before = counts(services)
    edited = dataclasses.replace(view.draft, subject="改过的事由")
    with pytest.raises(FieldErrors) as info:
        services.suggestions.save_draft(sid, view.version, edited)
    assert "锁定" in info.value.errors["state"]
    for act in (lambda: services.suggestions.finalise(sid),
                lambda: services.suggestions.delete_draft(sid)):  # fmt: skip
        with pytest.raises(FieldErrors):
            act()
    assert counts(services) == before and services.suggestions.get(sid) == view


def test_a_stale_version_is_a_conflict(services: Services) -> None:
    sid = services.suggestions.new_draft(new_case(services), dm.JUDICIAL, "个案")
    view = services.suggestions.get(sid)
    services.suggestions.save_draft(sid, view.version, view.draft)
    with pytest.raises(Conflict):
        services.suggestions.save_draft(sid, view.version, view.draft)


# -- service, reply, follow-up --------------------------------------------------------------------
def test_service_starts_the_two_month_clock_on_the_board(services: Services) -> None:
    """送达 → suggestion.reply (2 months from service; 2023 规定 第8条) on the board, linked by
    id; no bare timeline entry; the reply meets it."""
    case_id = new_case(services)
    sid = finalised(services, case_id)
    served_on = ago(20)
    clock_id = services.suggestions.serve(sid, "直接送达", served_on, "张某（办公室）")
    view = services.suggestions.get(sid)
    assert (view.state, view.reply_deadline_id) == (SERVED, clock_id)
    assert view.reply_due_on is not None
    assert add_months(served_on, 2) <= view.reply_due_on <= add_months(served_on, 2) + timedelta(9)
    board = services.deadlines.board(everything=True)
    item = next(i for i in board.items if i.deadline_id == clock_id)
    assert (item.rule_id, item.subject, item.case_id) == (
        "suggestion.reply", "乌鲁木齐市住房和城乡建设局", case_id)  # fmt: skip
    with services.db.session() as s:
        assert s.scalar(select(func.count()).select_from(CaseEvent).where(
            CaseEvent.trigger == "suggestion_served")) == 0  # fmt: skip
    # the timeline no longer offers it: it is recorded through the suggestion
    assert "suggestion_served" not in services.deadlines.triggers_for(case_id)
    with pytest.raises(FieldErrors) as info:
        services.deadlines.record_trigger(case_id, "suggestion_served", ago(1))
    assert "建议书" in info.value.errors["trigger"]

    services.suggestions.record_reply(
        sid, ago(5), "已召开专题会议研究整改", "部分采纳", "修订制度两项"
    )
    view = services.suggestions.get(sid)
    assert (view.state, view.adoption, view.measures) == (REPLIED, "部分采纳", "修订制度两项")
    assert clock_id not in {i.deadline_id for i in services.deadlines.board(everything=True).items}
    clock = next(d for d in services.deadlines.for_case(case_id) if d.id == clock_id)
    assert (clock.status, clock.closed_on) == ("met", ago(5))


def test_reminders_and_revisits(services: Services) -> None:
    sid = finalised(services, new_case(services))
    services.suggestions.serve(sid, "邮寄送达", ago(90), "收发室")
    services.suggestions.remind(sid, ago(20), "电话催办")
    with pytest.raises(FieldErrors):
        services.suggestions.revisit(sid, ago(10), "")  # what was seen is required
    services.suggestions.record_reply(sid, ago(10), "已整改", "采纳")
    with pytest.raises(FieldErrors) as info:
        services.suggestions.remind(sid, ago(5))
    assert "无需催办" in info.value.errors["state"]
    services.suggestions.revisit(sid, ago(3), "回访整改落实情况良好")
    entries = services.suggestions.get(sid).entries
    assert [(e.kind, e.on) for e in entries] == [("催办", ago(20)), ("回访", ago(3))]
    (row,) = services.suggestions.ledger()
    assert (row.reminders, row.revisits, row.replied_late) == (1, 1, True)


# -- ledger and statistics ------------------------------------------------------------------------
def test_ledger_states_and_annual_statistics(services: Services) -> None:
    """草稿, 已定稿, 已送达, 逾期未回复 (served, its last day past, no reply), 已回复; the year's
    figures by unit and kind."""
    case_id = new_case(services)
    sv = services.suggestions
    sv.new_draft(case_id, dm.JUDICIAL, "个案")  # stays a draft
    final = finalised(services, case_id, ago(200))
    served = finalised(services, case_id, ago(200))
    sv.serve(served, "电子送达", ago(10), "某局")
    overdue = finalised(services, case_id, ago(200))
    sv.serve(overdue, "宣告送达", ago(100), "某局局长等")
    replied = finalised(services, case_id, ago(200), subtype="综合治理类")
    sv.serve(replied, "直接送达", ago(50), "某局")
    sv.record_reply(replied, ago(30), "已采纳", "采纳", "建立联席机制")
    states = {r.id: r.state for r in sv.ledger()}
    assert sorted(states.values()) == sorted([DRAFT, FINAL, SERVED, OVERDUE, REPLIED])
    assert (states[final], states[served], states[overdue], states[replied]) == (
        FINAL, SERVED, OVERDUE, REPLIED)  # fmt: skip
    assert sv.get(overdue).state == OVERDUE
    # as of the day before its last day it was not overdue yet
    due = sv.get(overdue).reply_due_on
    assert due is not None and sv.get(overdue, as_of=due).state == SERVED

    year = ago(200).year
    stats = sv.statistics(year)
    (row,) = stats.rows
    assert (row.issuer, row.kind, row.issued, row.served, row.replied, row.overdue) == (
        COURT, dm.JUDICIAL, 4, 3, 1, 1)  # fmt: skip
    assert (row.adopted, row.partly_adopted, row.not_adopted) == (1, 0, 0)
    assert stats.total.issued == 4 and sv.statistics(year - 5).rows == ()
    assert {r.kind for r in sv.ledger(kind=dm.PROCURATORIAL)} == set()


# -- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"recipient": ""}, "recipient"),  # 主送 missing
        ({"blocks": (dm.Block(dm.PARAGRAPH, "只有说明"),)}, "blocks"),  # no suggestion item
        ({"signed_on": None}, "signed_on"),
    ],
)
def test_finalising_an_incomplete_draft_is_refused_and_nothing_saved(
    services, change, field
) -> None:  # type: ignore[no-untyped-def]
    sid = services.suggestions.new_draft(new_case(services), dm.JUDICIAL, "个案")
    ready(services, sid)
    view = services.suggestions.get(sid)
    services.suggestions.save_draft(sid, view.version, dataclasses.replace(view.draft, **change))
    before = counts(services)
    with pytest.raises(FieldErrors) as info:
        services.suggestions.finalise(sid)
    assert field in info.value.errors
    assert counts(services) == before and services.suggestions.get(sid).number == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subtype": "不存在的类别"}, "subtype"),
        ({"recipient": "甲\n乙"}, "recipient"),
        ({"blocks": (dm.Block("table", "x"),)}, "blocks"),
        ({"signed_on": ACCEPTED - timedelta(days=1)}, "signed_on"),
        ({"copy_to": ("x" * 201,)}, "copy_to"),
    ],
)
def test_a_bad_draft_is_refused_and_nothing_saved(services, change, field) -> None:  # type: ignore[no-untyped-def]
    sid = services.suggestions.new_draft(new_case(services), dm.JUDICIAL, "个案")
    view = services.suggestions.get(sid)
    before = counts(services)
    with pytest.raises(FieldErrors) as info:
        services.suggestions.save_draft(
            sid, view.version, dataclasses.replace(view.draft, **change)
        )
    assert field in info.value.errors
    assert counts(services) == before and services.suggestions.get(sid) == view


def test_serving_and_replying_out_of_order_are_refused(services: Services) -> None:
    case_id = new_case(services)
    sv = services.suggestions
    draft = sv.new_draft(case_id, dm.JUDICIAL, "个案")
    ready(services, draft)
    sid = finalised(services, case_id)
    before = counts(services)
    refused = [
        (lambda: sv.serve(draft, "直接送达", ago(1), "某人"), "state"),  # serving before finalising
        (lambda: sv.record_reply(sid, ago(1), "回复", "采纳"), "state"),  # a reply before service
        (lambda: sv.remind(sid, ago(1)), "state"),
        (lambda: sv.serve(sid, "托人带去", ago(1), "某人"), "way"),
        (lambda: sv.serve(sid, "直接送达", ago(1), " "), "receiver"),
        (lambda: sv.serve(sid, "直接送达", TODAY + timedelta(1), "某人"), "on"),
        (lambda: sv.serve(sid, "直接送达", ACCEPTED, "某人"), "on"),  # before the signing date
        (lambda: sv.new_draft(case_id, "通知书", ""), "kind"),
        (lambda: sv.new_draft(case_id, dm.PROCURATORIAL, ""), "subtype"),
    ]
    for act, field in refused:
        with pytest.raises(FieldErrors) as info:
            act()
        assert field in info.value.errors, info.value.errors
        assert all("\u4e00" <= ch <= "\u9fff" for ch in info.value.errors[field][:1])  # Chinese
    sv.serve(sid, "直接送达", ago(30), "某人")
    after_service = counts(services)
    assert after_service != before
    for act, field in [
        (lambda: sv.serve(sid, "直接送达", ago(1), "某人"), "state"),  # served twice
        (lambda: sv.record_reply(sid, ago(40), "回复", "采纳"), "on"),  # before service
        (lambda: sv.record_reply(sid, ago(1), "", "采纳"), "summary"),
        (lambda: sv.record_reply(sid, ago(1), "回复", "基本采纳"), "adoption"),
    ]:
        with pytest.raises(FieldErrors) as info:
            act()
        assert field in info.value.errors
    assert counts(services) == after_service and sv.get(sid).state == SERVED


def test_every_write_is_audited(services: Services) -> None:
    case_id = new_case(services)
    sid = finalised(services, case_id)
    services.suggestions.serve(sid, "直接送达", ago(3), "某人")
    services.suggestions.remind(sid, ago(1), "")
    with services.db.session() as s:
        labels = s.scalars(select(AuditRecord.label).where(
            AuditRecord.entity_type == "suggestion").order_by(AuditRecord.id)).all()  # fmt: skip
    assert labels == [
        "司法建议书 新建草稿", "司法建议书 保存草稿", "司法建议书 定稿 新01法建〔2025〕1号",
        "司法建议书 送达 新01法建〔2025〕1号", "司法建议书 催办 新01法建〔2025〕1号",
    ]  # fmt: skip


def test_the_command_line_exports_a_saved_document(services: Services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """casedesk export-document --db PATH --id ID: the same text as the model, in both formats."""
    from pypdf import PdfReader

    from casedesk.cli.main import main

    sid = finalised(services, new_case(services, 77))
    doc = services.suggestions.document(sid)
    db = str(services.path)
    for fmt in ("pdf", "docx"):
        out = tmp_path / f"doc.{fmt}"
        assert main(["export-document", "--db", db, "--id", sid, str(out)]) == 0
        assert out.stat().st_size > 0
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "doc.pdf").pages)
    assert doc.number and doc.number in text.replace(" ", "").replace("\n", "")
    assert main(["export-document", "--db", db, "--id", "0" * 32, str(tmp_path / "x.pdf")]) == 1
    missing = str(tmp_path / "none.sqlite3")
    assert main(["export-document", "--db", missing, "--id", sid, str(tmp_path / "y.pdf")]) == 1
    assert not (tmp_path / "none.sqlite3").exists()
