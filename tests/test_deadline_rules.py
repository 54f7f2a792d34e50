"""The rule table against law.md: every value here is copied from law.md (section in each row),
not from the code. Where law.md and the table disagree the test is marked xfail(strict) with
the reason, so the disagreement stays visible until someone decides it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from casedesk.domain.deadline_rules import DEFAULT_RULES, TRIGGERS, DeadlineRule, default_rule_map
from casedesk.domain.holidays import packaged_days, packaged_years
from casedesk.domain.periods import Period, compute_due
from casedesk.domain.work_calendar import WorkCalendar

CAL = WorkCalendar.build(packaged_days(), packaged_years())
RULES = default_rule_map()
CJK = re.compile(r"[\u4e00-\u9fff]")
ARTICLE = re.compile(r"第\d+条")

#: The ids the issue asks for.
ISSUE_IDS = [
    "filing.review",
    "mediation.pre_filing",
    "civil.first.ordinary",
    "civil.first.simple",
    "civil.small_claims",
    "civil.second.judgment",
    "admin.first",
    "enforcement.term",
    "criminal.detention.request_arrest",
    "criminal.arrest.review",
    "criminal.custody.investigation",
    "criminal.prosecution.review",
    "criminal.supplementary_investigation",
    "criminal.trial.first",
    "bail.max",
    "surveillance.max",
    "custody_review.reply",
    "property.release_unrelated",
    "property.civil.freeze_deposit",
    "property.civil.seal_movable",
    "property.civil.seal_realty",
    "property.police.freeze_deposit",
    "dishonest.delete_after_performance",
    "dishonest.term",
    "suggestion.reply",
    "complaint.procedural_reply",
    "complaint.result_reply",
    "stalled.no_measure",
    "stalled.after_measure",
    # compulsory measures (issue 4)
    "summon.max",
    "property.police.freeze_other",
    "property.criminal.review",
]

#: Rules with no entry in law.md at all: local service commitments (law.md §11 item 8 style).
NOT_IN_LAW_MD = {
    "complaint.procedural_reply",
    "complaint.result_reply",
    # law.md §2.1: criminal 查封/扣押 has no statutory term, "track … with a review reminder";
    # the review interval is the court's own choice.
    "property.criminal.review",
}

UNKNOWN = None  # law.md names the extension and who approves it, but gives no length


@dataclass(frozen=True)
class Expected:
    period: str
    custody: bool
    extensions: tuple[str | None, ...]
    source: str  # a substring of the rule's source: the law and article law.md cites
    confidence: str
    section: str  # where in law.md


LAW_MD: dict[str, Expected] = {
    "filing.review": Expected("7d", False, (), "民事诉讼法》第126条", "H", "§3.1"),
    "mediation.pre_filing": Expected("30d", False, (), "特邀调解的规定》第27条", "H", "§3.1"),
    # 6 months, +6 (院长); "further: 上级法院 approves" — no length in law.md.
    "civil.first.ordinary": Expected("6m", False, ("6m", UNKNOWN), "民事诉讼法》第152条", "H",
                                     "§3.2"),
    "civil.first.simple": Expected("3m", False, ("1m",), "民事诉讼法》第164条", "H", "§3.2"),
    "civil.small_claims": Expected("2m", False, ("1m",), "民事诉讼法》第168条", "H", "§3.2"),
    # "+院长 approval (2000 规定: +3 months)".
    "civil.second.judgment": Expected("3m", False, ("3m",), "民事诉讼法》第183条", "H", "§3.2"),
    # "extension by the 高级法院" — no length in law.md.
    "admin.first": Expected("6m", False, (UNKNOWN,), "行政诉讼法》第81条", "H", "§3.3"),
    # "Extension by the 院长/副院长" — no length in law.md.
    "enforcement.term": Expected("6m", False, (UNKNOWN,), "办理执行案件若干期限的规定》第1条",
                                 "H", "§3.4"),
    # 3 days, +1 to 4 days (max 7); in custody (拘留).
    "criminal.detention.request_arrest": Expected("3d", True, ("4d",), "刑事诉讼法》第91条", "H",
                                                  "§1.2"),
    "criminal.arrest.review": Expected("7d", True, (), "刑事诉讼法》第91条第3款", "H", "§1.2"),
    "criminal.custody.investigation": Expected("2m", True, ("1m", "2m", "2m"),
                                               "刑事诉讼法》第156条", "H", "§1.2"),
    # 1 month, +15 days. In custody or not depends on the suspect: the caller says so.
    "criminal.prosecution.review": Expected("1m", False, ("15d",), "刑事诉讼法》第172条", "H",
                                            "§1.3"),
    "criminal.supplementary_investigation": Expected("1m", False, (), "刑事诉讼法》第175条第3款",
                                                     "H", "§1.3"),
    # 2 months, at most 3 (+1); +3 months with the 上一级法院.
    "criminal.trial.first": Expected("2m", False, ("1m", "3m"), "刑事诉讼法》第208条", "H",
                                     "§1.4"),
    "bail.max": Expected("12m", False, (), "刑事诉讼法》第79条", "H", "§1.1"),
    "surveillance.max": Expected("6m", False, (), "刑事诉讼法》第79条", "H", "§1.1"),
    "custody_review.reply": Expected("10d", False, (), "刑事诉讼法》第95条", "H", "§1.5"),
    "property.release_unrelated": Expected("3d", False, (), "刑事诉讼法》第145条", "H", "§2.1"),
    "property.civil.freeze_deposit": Expected("1y", False, (), "民事诉讼法解释》第485条", "H",
                                              "§2.2"),
    "property.civil.seal_movable": Expected("2y", False, (), "民事诉讼法解释》第485条", "H",
                                            "§2.2"),
    "property.civil.seal_realty": Expected("3y", False, (), "民事诉讼法解释》第485条", "H",
                                           "§2.2"),
    "property.police.freeze_deposit": Expected("6m", False, (),
                                               "公安机关办理刑事案件程序规定》第243条", "H",
                                               "§2.1"),
    "dishonest.delete_after_performance": Expected("3wd", False, (),
                                                   "失信被执行人名单信息的若干规定》第10条", "M",
                                                   "§6.1"),
    # 2 years; "extend 1–3 years" (checked separately below).
    "dishonest.term": Expected("2y", False, ("1y",), "失信被执行人名单信息的若干规定》第2条", "M",
                               "§6.1"),
    "suggestion.reply": Expected("2m", False, (), "综合治理类司法建议工作若干问题的规定》第8条",
                                 "H", "§7.1, §7.2"),
    # 12 h; 24 h where 特别重大、复杂 and 拘留/逮捕 is needed.
    "summon.max": Expected("12h", True, ("12h",), "刑事诉讼法》第119条", "H", "§1.1"),
    "property.police.freeze_other": Expected("2y", False, (), "公安机关办理刑事案件程序规定》",
                                             "M", "§2.1"),
    "stalled.no_measure": Expected("2y", False, (), "经济犯罪案件的若干规定》第25条", "H", "§9"),
    "stalled.after_measure": Expected("12m", False, (), "经济犯罪案件的若干规定》第25条", "H",
                                      "§9"),
}  # fmt: skip


def test_every_issue_rule_exists() -> None:
    missing = [rule_id for rule_id in ISSUE_IDS if rule_id not in RULES]
    assert missing == []


def test_rule_ids_are_unique() -> None:
    ids = [r.id for r in DEFAULT_RULES]
    assert len(ids) == len(set(ids))
    assert len(RULES) == len(DEFAULT_RULES)


def test_every_issue_rule_is_checked_against_law_md_or_listed_as_absent() -> None:
    assert set(LAW_MD) | NOT_IN_LAW_MD == set(ISSUE_IDS)
    assert not set(LAW_MD) & NOT_IN_LAW_MD


@pytest.mark.parametrize("rule", DEFAULT_RULES, ids=lambda r: r.id)
def test_rule_is_well_formed(rule: DeadlineRule) -> None:
    assert CJK.search(rule.name), "Chinese name"
    assert rule.confidence in {"H", "M", "L"}
    assert rule.trigger in TRIGGERS and CJK.search(TRIGGERS[rule.trigger])
    assert Period.parse(rule.period.spec) == rule.period
    if rule.local:
        # A local commitment names who made it; it may have no article.
        assert CJK.search(rule.source) and rule.editable
    else:
        assert "《" in rule.source and "》" in rule.source, "names a law"
        assert ARTICLE.search(rule.source), "names an article"
    for extension in rule.extensions:
        assert CJK.search(extension.approver)
    assert all(r > 0 for r in rule.reminders)
    if rule.custody:
        assert rule.criminal and "刑事" in rule.families  # 刑诉法 第105条第4款


@pytest.mark.parametrize("rule", DEFAULT_RULES, ids=lambda r: r.id)
def test_editable_follows_confidence(rule: DeadlineRule) -> None:
    # law.md: values marked M or L (and local service commitments) must stay adjustable;
    # H values are the statute's own and are not. An extension length the statute does not
    # give (marked M on the extension) makes the rule adjustable too.
    uncertain_extension = any(e.confidence != "H" for e in rule.extensions)
    assert rule.editable == (rule.confidence != "H" or rule.local or uncertain_extension)


@pytest.mark.parametrize("rule_id", list(LAW_MD))
def test_rule_values_agree_with_law_md(rule_id: str) -> None:
    rule, expected = RULES[rule_id], LAW_MD[rule_id]
    where = f"law.md {expected.section}"
    assert rule.period.spec == expected.period, where
    assert rule.custody is expected.custody, where
    assert rule.confidence == expected.confidence, where
    assert expected.source in rule.source, where
    assert len(rule.extensions) == len(expected.extensions), where
    for extension, spec in zip(rule.extensions, expected.extensions, strict=True):
        if spec is not UNKNOWN:
            assert extension.period.spec == spec, where


def test_custody_investigation_extensions_cite_their_articles() -> None:
    # law.md §1.2: +1m 第156条 (上一级人民检察院), +2m 第158条, +2m 第159条 (省级).
    ext = RULES["criminal.custody.investigation"].extensions
    assert [e.source for e in ext] == [
        "《刑事诉讼法》第156条",
        "《刑事诉讼法》第158条",
        "《刑事诉讼法》第159条",
    ]
    assert "上一级" in ext[0].approver and all("省级" in e.approver for e in ext[1:])


def test_custody_investigation_adds_up_to_seven_months() -> None:
    # law.md §1.2: 2+1+2+2 = 7 months maximum.
    rule = RULES["criminal.custody.investigation"]
    months = [rule.period, *(e.period for e in rule.extensions)]
    assert all(p.unit == "m" for p in months)
    assert sum(p.amount for p in months) == 7


def test_supplementary_investigation_at_most_twice() -> None:
    # law.md §1.3: 退回补充侦查 ≤ 1 month each, at most 2 rounds (刑诉法 第175条第3款).
    assert RULES["criminal.supplementary_investigation"].max_rounds == 2


def test_simple_procedure_total_at_most_four_months() -> None:
    # law.md §3.2: 简易程序 3 months +1, total ≤ 4 months (民诉法 第164条).
    rule = RULES["civil.first.simple"]
    assert rule.period.amount + sum(e.period.amount for e in rule.extensions) == 4


def test_criminal_trial_at_most_three_months_before_the_higher_court() -> None:
    # law.md §1.4: judgment within 2 months, at most 3 months; then +3 by the 上一级法院.
    rule = RULES["criminal.trial.first"]
    assert rule.period.amount + rule.extensions[0].period.amount == 3
    assert "上一级" in rule.extensions[1].approver


def test_dishonest_term_extension_within_one_to_three_years() -> None:
    # law.md §6.1 第2条: 2 years; serious cases extended by 1–3 years.
    (extension,) = RULES["dishonest.term"].extensions
    assert extension.period.unit == "y" and 1 <= extension.period.amount <= 3


def test_dishonest_deletion_counts_working_days() -> None:
    # law.md §6.1 "Seed check": 三个工作日, not 3 calendar days.
    assert RULES["dishonest.delete_after_performance"].period == Period(3, "wd")


@pytest.mark.parametrize("rule_id", ["civil.first.ordinary", "admin.first", "enforcement.term"])
def test_extension_lengths_law_md_does_not_give_are_not_fixed(rule_id: str) -> None:
    """An extension whose length law.md does not state must not be a fixed, uneditable value:
    it names where its length comes from, is marked M, and the rule is editable."""
    rule, expected = RULES[rule_id], LAW_MD[rule_id]
    for extension, spec in zip(rule.extensions, expected.extensions, strict=True):
        if spec is UNKNOWN:
            assert rule.editable and extension.source and extension.confidence == "M", rule_id


def test_local_commitments_are_editable() -> None:
    # Not in law.md: 最高人民检察院"群众来信件件有回复" (7日内程序性回复, 3个月内答复结果).
    for rule_id in NOT_IN_LAW_MD:
        rule = RULES[rule_id]
        assert rule.local and rule.editable and rule.confidence in ("M", "L")
    assert RULES["complaint.procedural_reply"].period.spec == "7d"
    assert RULES["complaint.result_reply"].period.spec == "3m"


def test_terms_that_lapse_by_themselves_do_not_roll_forward() -> None:
    # law.md §2.2: a freeze or seal not renewed "loses effect automatically"
    # (查扣冻规定 第27条); §2.1: police freezes "视为自动解冻". These end on their last day.
    for rule_id in [
        "property.civil.freeze_deposit",
        "property.civil.seal_movable",
        "property.civil.seal_realty",
        "property.police.freeze_deposit",
    ]:
        assert RULES[rule_id].roll_forward is False, rule_id
    # Time limits for an act by the court or procuratorate do roll forward (民诉法 第85条第3款).
    for rule_id in ["filing.review", "civil.first.ordinary", "property.release_unrelated"]:
        assert RULES[rule_id].roll_forward is True, rule_id


def test_criminal_rules_count_months_by_the_criminal_rule() -> None:
    # 刑诉法解释 第202条 applies to criminal-procedure periods.
    for rule in DEFAULT_RULES:
        if rule.id.startswith("criminal.") or rule.id in {"bail.max", "surveillance.max"}:
            assert rule.criminal, rule.id
    for rule_id in ["civil.first.ordinary", "property.civil.seal_realty", "dishonest.term"]:
        assert not RULES[rule_id].criminal, rule_id


@pytest.mark.parametrize(
    ("rule_id", "family", "procedure", "applies"),
    [
        ("civil.first.ordinary", "民事", "一审普通程序", True),
        ("civil.first.ordinary", "商事", "一审普通程序", True),
        ("civil.first.ordinary", "民事", "一审简易程序", False),
        ("civil.first.ordinary", "行政", "一审普通程序", False),
        ("civil.first.ordinary", "刑事", "一审普通程序", False),
        ("civil.first.simple", "民事", "一审简易程序", True),
        ("civil.small_claims", "民事", "小额诉讼程序", True),
        ("civil.small_claims", "民事", "一审简易程序", False),
        ("civil.second.judgment", "商事", "二审", True),
        ("civil.second.judgment", "民事", "一审普通程序", False),
        ("admin.first", "行政", "一审普通程序", True),
        ("admin.first", "民事", "一审普通程序", False),
        ("filing.review", "行政", "", True),  # 行政诉讼法 第51条: also 7 days
        ("filing.review", "民事", "", True),
        ("filing.review", "刑事", "", False),
        ("mediation.pre_filing", "民事", "", True),
        ("mediation.pre_filing", "刑事", "", False),
        ("enforcement.term", "执行", "", True),
        ("enforcement.term", "民事", "", False),
        ("dishonest.delete_after_performance", "执行", "", True),
        ("criminal.trial.first", "刑事", "一审普通程序", True),
        ("criminal.trial.first", "刑事", "简易程序", False),
        ("criminal.trial.first", "民事", "一审普通程序", False),
        ("criminal.custody.investigation", "刑事", "", True),
        ("criminal.custody.investigation", "民事", "", False),
        ("bail.max", "刑事", "任意", True),
        ("custody_review.reply", "检察监督", "", True),
        ("custody_review.reply", "民事", "", False),
        ("suggestion.reply", "民事", "", True),  # any family
        ("suggestion.reply", "刑事", "", True),
        ("complaint.procedural_reply", "行政", "", True),
    ],
)
def test_applies_to(rule_id: str, family: str, procedure: str, applies: bool) -> None:
    assert RULES[rule_id].applies_to(family, procedure) is applies


@pytest.mark.parametrize("rule", DEFAULT_RULES, ids=lambda r: r.id)
def test_every_rule_computes_with_all_its_extensions(rule: DeadlineRule) -> None:
    start = datetime(2026, 3, 3, 10, 25) if rule.period.unit == "h" else date(2026, 3, 3)
    due = compute_due(
        start,
        rule.period,
        CAL,
        custody=rule.custody,
        criminal=rule.criminal,
        roll_forward=rule.roll_forward,
        extensions=[e.period for e in rule.extensions],
    )
    assert due.day >= date(2026, 3, 3) and due.steps
    if rule.period.unit == "h":  # 拘传 12 h + 12 h: the next morning
        assert due.at == datetime(2026, 3, 4, 11, 0)
    else:
        assert due.day > date(2026, 3, 3)


@pytest.mark.parametrize(
    ("rule_id", "start", "extensions", "due", "law"),
    [
        # The issue's 3-working-day deletion across 国庆 2026: 10/8, 10/9, 10/10 (调休上班).
        ("dishonest.delete_after_performance", "2026-09-30", 0, "2026-10-10", "失信规定 第10条"),
        # 3 Mar + 2+1+2+2 months = 3 Oct, 国庆节: custody, not rolled.
        ("criminal.custody.investigation", "2026-03-03", 3, "2026-10-03", "刑诉法 第156–159条"),
        # 3 days in custody from 30 Sep: 3 Oct, not rolled.
        ("criminal.detention.request_arrest", "2026-09-30", 0, "2026-10-03", "刑诉法 第91条"),
        # A civil freeze of 1 Oct 2025 lapses on 1 Oct 2026 though it is 国庆节.
        ("property.civil.freeze_deposit", "2025-10-01", 0, "2026-10-01", "民诉法解释 第485条"),
        # 3 days to release unrelated property, from 30 Sep: rolled to 8 Oct.
        ("property.release_unrelated", "2026-09-30", 0, "2026-10-08", "刑诉法 第145条"),
        # 6 + 6 months from 10 Mar 2025 → 10 Mar 2026 (Tue).
        ("civil.first.ordinary", "2025-03-10", 1, "2026-03-10", "民诉法 第152条"),
        # 3 + 1 months from 28 Oct 2025 → 28 Feb 2026, a 调休上班 Saturday: kept.
        ("civil.first.simple", "2025-10-28", 1, "2026-02-28", "民诉法 第164条"),
    ],
)
def test_rule_examples(rule_id: str, start: str, extensions: int, due: str, law: str) -> None:
    rule = RULES[rule_id]
    result = compute_due(
        date.fromisoformat(start),
        rule.period,
        CAL,
        custody=rule.custody,
        criminal=rule.criminal,
        roll_forward=rule.roll_forward,
        extensions=[e.period for e in rule.extensions[:extensions]],
    )
    assert result.day == date.fromisoformat(due), law
