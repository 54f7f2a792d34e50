"""期限规则 an administrator adjusts: M/L rules and local commitments, audited, recomputing the
open deadlines of the rule; rules checked against the statute (H) are locked."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from casedesk.domain.deadline_rules import DEFAULT_RULES
from casedesk.domain.drafts import CaseDraft
from casedesk.domain.errors import FieldErrors
from casedesk.services.errors import ServiceError
from casedesk.services.rule_admin import parse_extension_lines
from casedesk.store.models import AuditRecord, RuleOverride

REPLY = "complaint.procedural_reply"


def _audits(services, entity: str) -> list[AuditRecord]:  # type: ignore[no-untyped-def]
    with services.db.session() as s:
        stmt = select(AuditRecord).where(AuditRecord.entity_type == entity)
        return list(s.scalars(stmt.order_by(AuditRecord.id)))


def _overrides(services) -> list[str]:  # type: ignore[no-untyped-def]
    with services.db.session() as s:
        return list(s.scalars(select(RuleOverride.rule_id)))


@pytest.fixture
def complaint_case(services) -> str:  # type: ignore[no-untyped-def]
    """A case with a complaint filed on Wednesday 2026-11-18: the 7-day reply is due 11-25."""
    draft = CaseDraft("（2026）新01民初8号", "民事", date(2026, 11, 2), procedure="一审普通程序")
    case_id = services.cases.create(draft).id
    services.deadlines.record_trigger(case_id, "complaint_filed", date(2026, 11, 18))
    return case_id


def _due(services, case_id: str, rule_id: str) -> str:  # type: ignore[no-untyped-def]
    (view,) = [v for v in services.deadlines.for_case(case_id) if v.rule_id == rule_id]
    return view.due


def test_every_rule_is_listed_with_its_source_and_lock(services):  # type: ignore[no-untyped-def]
    rules = {r.id: r for r in services.rules.rules()}
    assert list(rules) == [r.id for r in DEFAULT_RULES]
    reply = rules[REPLY]
    assert reply.editable and reply.local and reply.confidence == "M"
    assert (reply.period, reply.period_text, reply.reminders_text) == ("7d", "7日", "7,3,1")
    assert reply.trigger_name == "受理投诉举报" and reply.applies_to == "所有案件类别"
    assert not reply.overridden and reply.locked_reason == "" and reply.editable_label == "是"
    custody = rules["criminal.custody.investigation"]
    assert not custody.editable and custody.editable_label == "否" and custody.custody
    assert "《刑事诉讼法》第156条" in custody.locked_reason and "不能" in custody.locked_reason
    assert custody.extensions[0] == ("1m", "上一级人民检察院")
    assert custody.extensions_text.startswith("1个月（上一级人民检察院批准）")
    assert custody.extension_lines.splitlines()[0] == "1m 上一级人民检察院"
    assert "第156条" in custody.extension_notes[0] and "可信度 H" in custody.extension_notes[0]


def test_editing_an_m_rule_moves_its_open_deadlines(services, complaint_case):  # type: ignore[no-untyped-def]
    assert _due(services, complaint_case, REPLY) == "2026-11-25"
    assert services.rules.rule(REPLY).open_deadlines == 1
    result = services.rules.update(REPLY, "5d", [], "3,1", "本院承诺5日内程序性回复")
    assert result.moved == 1 and "1 个期限的届满日有变化" in result.message
    assert _due(services, complaint_case, REPLY) == "2026-11-23"
    assert _due(services, complaint_case, "complaint.result_reply") == "2027-02-18"  # untouched

    view = services.rules.rule(REPLY)
    assert (view.period, view.reminders, view.note) == ("5d", (3, 1), "本院承诺5日内程序性回复")
    assert view.overridden and view.overridden_by == "测试员" and view.overridden_at is not None
    assert view.default_text == "期间 7日；延长：不可延长；提醒：7,3,1"

    (audit,) = _audits(services, "deadline_rule")
    assert (audit.actor, audit.action, audit.entity_id) == ("测试员", "update", REPLY)
    assert json.loads(audit.changes) == {
        "period": ["7日", "5日"],
        "reminders": ["7,3,1", "3,1"],
        "note": ["", "本院承诺5日内程序性回复"],
    }
    moved = [a for a in _audits(services, "deadline") if a.action == "update"]
    assert len(moved) == 1 and "已修改" in json.loads(moved[0].changes)["note"][1]


def test_reset_brings_back_the_packaged_values(services, complaint_case):  # type: ignore[no-untyped-def]
    services.rules.update(REPLY, "5d", [("3d", "院长")], "3,1", "")
    assert services.rules.rule(REPLY).extensions == (("3d", "院长"),)
    result = services.rules.reset(REPLY)
    assert result.moved == 1 and _due(services, complaint_case, REPLY) == "2026-11-25"
    view = services.rules.rule(REPLY)
    assert not view.overridden and view.period == "7d" and view.extensions == ()
    assert _overrides(services) == []
    audits = _audits(services, "deadline_rule")
    assert len(audits) == 2
    assert json.loads(audits[1].changes)["period"] == ["5日", "7日"]
    with pytest.raises(ServiceError, match="未曾修改"):
        services.rules.reset(REPLY)


def test_an_edit_equal_to_the_defaults_stores_nothing(services):  # type: ignore[no-untyped-def]
    result = services.rules.update(REPLY, "7日", [], "7，3，1", "")
    assert "没有修改" in result.message
    assert _overrides(services) == [] and _audits(services, "deadline_rule") == []
    services.rules.update(REPLY, "5d", [], "7,3,1", "")
    assert services.rules.update(REPLY, "5d", [], "7,3,1", "").message == "没有修改。"
    assert len(_audits(services, "deadline_rule")) == 1


def test_an_h_rule_cannot_be_edited(services):  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as caught:
        services.rules.update("criminal.custody.investigation", "3m", [], "7,3,1", "")
    assert "（H），不能修改" in caught.value.errors["rule"]
    with pytest.raises(FieldErrors):
        services.rules.reset("criminal.custody.investigation")
    assert _overrides(services) == [] and _audits(services, "deadline_rule") == []


@pytest.mark.parametrize(
    ("period", "extensions", "reminders", "field", "words"),
    [
        ("七天", [], "7", "period", "无法识别期间"),
        ("0d", [], "7", "period", "应大于0"),
        ("24h", [], "7", "period", "不能以小时为单位"),
        ("5d", [("1m", " ")], "7", "extensions", "第1次延长：请填写批准机关"),
        ("5d", [("两月", "院长")], "7", "extensions", "第1次延长：无法识别期间"),
        ("5d", [("12h", "院长")], "7", "extensions", "不能以小时计"),
        ("5d", [], "7,a", "reminders", "用逗号分隔的整数"),
        ("9000y", [], "7", "period", "超出可以计算的日期范围"),
    ],
)
def test_rule_validation_messages(services, period, extensions, reminders, field, words):  # type: ignore[no-untyped-def]
    with pytest.raises(FieldErrors) as caught:
        services.rules.update(REPLY, period, extensions, reminders, "")
    assert words in caught.value.errors[field]
    assert _overrides(services) == []


def test_a_rule_with_an_h_period_only_adjusts_its_m_extensions(services):  # type: ignore[no-untyped-def]
    partial = [r for r in services.rules.rules() if r.period_locked]
    if not partial:
        pytest.skip("no rule has an H period with an M extension")
    rule = partial[0]
    assert rule.editable_label == "仅延长" and "不能修改" in rule.locked_reason
    steps = list(rule.extensions)
    with pytest.raises(FieldErrors) as caught:
        services.rules.update(rule.id, "1d", steps, rule.reminders_text, "")
    assert "依据已核实的法律条文" in caught.value.errors["period"]
    with pytest.raises(FieldErrors) as caught:
        services.rules.update(rule.id, rule.period, [*steps, ("1m", "院长")], "7", "")
    assert "不能增减" in caught.value.errors["extensions"]
    locked = next(n for n, note in enumerate(rule.extension_notes) if "可信度 H" in note)
    changed = list(steps)
    changed[locked] = ("1d", changed[locked][1])
    with pytest.raises(FieldErrors) as caught:
        services.rules.update(rule.id, rule.period, changed, "7", "")
    assert f"第{locked + 1}次延长" in caught.value.errors["extensions"]
    free = next(n for n, note in enumerate(rule.extension_notes) if "可信度 H" not in note)
    changed = list(steps)
    changed[free] = ("2m", changed[free][1])
    services.rules.update(rule.id, rule.period, changed, rule.reminders_text, "")
    assert services.rules.rule(rule.id).extensions[free] == ("2m", steps[free][1])


def test_extension_lines_are_read_one_per_line() -> None:
    text = "1m 上一级人民检察院\n\n 2个月\u3000省级人民检察院 \n3m"
    assert parse_extension_lines(text) == [
        ("1m", "上一级人民检察院"),
        ("2个月", "省级人民检察院"),
        ("3m", ""),
    ]
