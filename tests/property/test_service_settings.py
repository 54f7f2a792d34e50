"""Writes through the services with hostile input, continued — suggestion documents, the
administrator's settings (issuing units, number patterns, wording, holidays, deadline rules),
user accounts — and the case list's search box: refused cleanly (a Chinese message, the
database unchanged) or saved and read back as saved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casedesk.domain import documents as dm
from casedesk.domain.doc_templates import Wording
from casedesk.services.accounts import UserDraft
from casedesk.services.app import Services
from casedesk.services.lists import CaseFilter
from casedesk.services.suggestions_dto import SuggestionDraft
from casedesk.services.suggestions_records import check_draft
from tests.property.hostile import (
    day_or_wrong,
    examples,
    hostile_draft,
    hostile_text,
    mostly,
    snapshot,
    text_or_wrong,
)
from tests.property.writes import base_case, new_case, write

TODAY = date.today()


# -- suggestions ------------------------------------------------------------------------------
@examples(60)
@given(
    kind=mostly(st.just(dm.JUDICIAL), text_or_wrong(10)),
    subtype=mostly(st.just("个案"), text_or_wrong(10)),
    recipient=mostly(st.just("某建设公司"), hostile_text()),
    subject=mostly(st.just("农民工工资"), hostile_text()),
)
@example(kind=dm.JUDICIAL, subtype="个案", recipient="某公司\ud800", subject="")
@example(kind=[], subtype="", recipient="", subject="")  # looked up in a dict: unhashable
def test_suggestion_new_draft_refused_cleanly_or_read_back(
    services: Services, kind: Any, subtype: Any, recipient: str, subject: str
) -> None:
    case_id = base_case(services)
    sid = write(
        services,
        lambda: services.suggestions.new_draft(
            case_id, kind, subtype, recipient=recipient, subject=subject
        ),
    )
    if sid is not None:
        view = services.suggestions.get(sid)
        assert (view.kind, view.subtype, view.recipient) == (kind, subtype, recipient.strip())


BLOCKS = st.lists(
    st.one_of(
        st.builds(dm.Block, st.sampled_from(dm.BLOCK_KINDS), hostile_text(30)),
        hostile_draft(dm.Block, kind=st.sampled_from(dm.BLOCK_KINDS), text=st.just("建议")),
    ),
    max_size=4,
).map(tuple)
SUGGESTION_DRAFTS = hostile_draft(
    SuggestionDraft,
    subtype=st.just("个案"),
    issuer=st.just("乌鲁木齐市天山区人民法院"),
    subject=st.just("农民工工资"),
    recipient=st.just("某建设公司"),
    blocks=BLOCKS,
    signed_on=st.one_of(st.none(), st.dates(date(2004, 1, 5), TODAY)),
)


@examples(80)
@given(draft=SUGGESTION_DRAFTS)
@example(draft=SuggestionDraft("个案", "法院", "事由", "某公司", (dm.Block("item", "{{案号}}"),)))
def test_suggestion_save_draft_refused_cleanly_or_read_back(
    services: Services, draft: SuggestionDraft
) -> None:
    case_id = base_case(services)
    sid = _draft_of(services, case_id)
    version = services.suggestions.get(sid).version
    before = services.suggestions.get(sid)
    saved = write(services, lambda: services.suggestions.save_draft(sid, version, draft))
    after = services.suggestions.get(sid)
    if saved is None:
        assert after == before
        return
    expected = check_draft(dm.JUDICIAL, draft, date(2004, 1, 5))
    for name in (
        "subtype",
        "issuer",
        "subject",
        "recipient",
        "signed_on",
        "contact",
        "attachments",
        "copy_to",
        "source_cases",
    ):
        assert getattr(after, name) == getattr(expected, name), name
    assert [b.kind for b in after.blocks] == [b.kind for b in expected.blocks]


_DRAFTS: dict[str, str] = {}


def _draft_of(sv: Services, case_id: str) -> str:
    key = str(sv.path)
    if key not in _DRAFTS:
        _DRAFTS[key] = sv.suggestions.new_draft(case_id, dm.JUDICIAL, "个案", recipient="某公司")
    return _DRAFTS[key]


@pytest.mark.parametrize("bad", ["买卖\n合同纠纷", "买卖\t合同纠纷"])
def test_a_suggestion_is_drafted_from_a_case_whose_text_has_line_breaks(
    services: Services, bad: str
) -> None:
    """Regression: the case's cause and handler may hold a line break or tab (the case form
    allows them), but each wording block is one paragraph, where the draft check refuses them —
    so drafting a suggestion from such a case was refused ("正文第1段含有换行或控制字符")
    though the clerk typed nothing. The case data is now filled in on one line."""
    case_id = new_case(
        services, "（2024）新01民初77号", cause=bad, handler=bad.replace("合同纠纷", "")
    )
    sid = services.suggestions.new_draft(case_id, dm.JUDICIAL, "个案", recipient="某公司")
    view = services.suggestions.get(sid)
    assert "买卖 合同纠纷" in view.blocks[0].text


# -- administrators' settings -----------------------------------------------------------------
@examples(60)
@given(
    court=mostly(st.just("天山区人民法院"), text_or_wrong()),
    procuratorate=mostly(st.just("天山区人民检察院"), text_or_wrong()),
)
@example(court="天山区人民法院\t", procuratorate="")  # then every new draft was refused
@example(court=12, procuratorate="")
def test_unit_names_refused_cleanly_or_drafts_follow(
    services: Services, court: Any, procuratorate: Any
) -> None:
    names = write(services, lambda: services.suggestions.set_unit_names(court, procuratorate))
    if names is None:
        return
    assert services.suggestions.unit_names() == names
    case_id = base_case(services)
    if names.court:  # a draft can be made with the new issuer
        sid = services.suggestions.new_draft(case_id, dm.JUDICIAL, "个案", recipient="某公司")
        assert services.suggestions.get(sid).issuer == names.court
        services.suggestions.delete_draft(sid)


@examples(60)
@given(
    pattern=mostly(st.just("新01法建〔{year}〕{n}号"), text_or_wrong()),
    fields=mostly(st.none(), st.dictionaries(hostile_text(6), text_or_wrong(6), max_size=2)),
)
@example(pattern=12, fields=None)
@example(pattern="{abbr}检建〔{year}〕{n}号", fields={"abbr": 3})
@example(pattern="新01法建〔{year}〕{n}号", fields="abbr")
def test_number_pattern_refused_cleanly_or_read_back(
    services: Services, pattern: Any, fields: Any
) -> None:
    unit = "乌鲁木齐市天山区人民法院"
    view = write(
        services, lambda: services.suggestions.set_pattern(unit, dm.JUDICIAL, pattern, fields)
    )
    if view is not None:
        assert services.suggestions.pattern(unit, dm.JUDICIAL).pattern == view.pattern
        dm.check_pattern(view.pattern)


@examples(60)
@given(
    wording=hostile_draft(
        Wording,
        opening=st.just("本院在办理{{案号}}一案中发现："),
        reply=st.just("请于两个月内书面回复本院。"),
    )
)
def test_wording_refused_cleanly_or_read_back(services: Services, wording: Wording) -> None:
    unit = "乌鲁木齐市天山区人民法院"
    view = write(services, lambda: services.suggestions.set_template(unit, dm.JUDICIAL, wording))
    if view is not None:
        saved = services.suggestions.template(unit, dm.JUDICIAL)
        assert saved == view


@examples(60)
@given(
    day=mostly(st.dates(date(2030, 1, 1), date(2030, 12, 31)), day_or_wrong()),
    kind=mostly(st.just("holiday"), st.sampled_from(["workday", "", "放假"])),
    name=mostly(st.just("劳动节"), text_or_wrong()),
)
def test_holiday_entry_refused_cleanly_or_read_back(
    services: Services, day: Any, kind: str, name: Any
) -> None:
    done = write(services, lambda: services.holidays.set_day(day, kind, name))
    if done is not None:
        listed = {v.day: v for v in services.holidays.days(day.year)}
        assert listed[day].name == name.strip()


@examples(60)
@given(
    period=mostly(st.just("30d"), text_or_wrong()),
    reminders=mostly(st.just("7,3,1"), text_or_wrong()),
    note=mostly(st.just("管理员调整"), text_or_wrong()),
)
def test_rule_edit_refused_cleanly_or_read_back(
    services: Services, period: Any, reminders: Any, note: Any
) -> None:
    rule = next(
        r
        for r in services.rules.rules()
        if r.editable and not r.period_locked and not r.custody and r.period.endswith("d")
    )
    done = write(
        services,
        lambda: services.rules.update(rule.id, period, list(rule.extensions), reminders, note),
    )
    if done is not None:
        assert services.rules.rule(rule.id).note == note.strip()


# -- accounts (Argon2id: each saved user costs a hash; few examples) ---------------------------
USERS = hostile_draft(
    UserDraft,
    login=st.from_regex(r"\A[a-z][a-z0-9._-]{2,20}\Z"),
    display_name=st.just("张三"),
    unit=st.just("民一庭"),
    roles=st.just(frozenset({"clerk"})),
    active=st.just(True),
)


@examples(30)
@given(draft=USERS, password=st.one_of(st.just("Casedesk-2026"), text_or_wrong(20)))
def test_user_create_refused_cleanly_or_read_back(
    services: Services, draft: UserDraft, password: Any
) -> None:
    view = write(services, lambda: services.accounts.create_user(draft, password))
    if view is not None:
        listed = {u.login: u for u in services.accounts.users()}
        assert listed[view.login].display_name == draft.display_name.strip()


@pytest.mark.parametrize("name", [12, "张三\ud800", "张\n三", "张\x00三"])
def test_user_with_a_display_name_that_is_not_text_is_refused(
    services: Services, name: Any
) -> None:
    draft = UserDraft("zhang.san", name, "民一庭", frozenset({"clerk"}))
    assert write(services, lambda: services.accounts.create_user(draft, "Casedesk-2026")) is None


# -- the case list's search box ---------------------------------------------------------------
def _no_surrogate(text: str) -> bool:
    return not any("\ud800" <= c <= "\udfff" for c in text)


@examples(100)
@given(
    query=hostile_text(80), handler=st.one_of(st.just(""), hostile_text(10).filter(_no_surrogate))
)
@example(query='" OR 1=1 --', handler="")
@example(query="NEAR(王 伟) AND *", handler="'; DROP TABLE case_file; --")
def test_case_list_search_answers_every_query(services: Services, query: str, handler: str) -> None:
    before = snapshot(services.path)
    ids = services.case_list.ids(CaseFilter(search=query, handler=handler), "accepted_on", True)
    assert isinstance(ids, list)
    assert snapshot(services.path) == before


def test_case_list_handler_filter_with_a_lone_surrogate(services: Services) -> None:
    assert services.case_list.ids(CaseFilter(handler="\ud800"), "accepted_on", True) == []
