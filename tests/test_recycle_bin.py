"""Deletions are soft — restorable and audited — and only by the roles allowed to (issue 7,
point 2): a timeline entry, a party or a 建议书 draft moves into the recycle bin with who deleted
it and when, and restoring puts back the same record and undoes what its deletion did. The roles
are those of casedesk/domain/roles.py (``event.restore`` … = ``event.delete`` …: 法发〔2015〕13号
第24条, the supervisor deletes; the clerk never does, 《人民法院书记员管理办法（试行）》第2条)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casedesk.domain import documents as dm
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft, StageDraft
from casedesk.domain.roles import CLERK, HANDLER, HEAD
from casedesk.services.accounts import UserDraft
from casedesk.services.app import Services
from casedesk.services.errors import Conflict, NotFound, NotPermitted, ServiceError
from casedesk.services.lists import CaseFilter
from casedesk.store.models import AuditRecord, CaseEvent, CaseParty
from casedesk.store.recycle_bin import BinEntry
from casedesk.store.suggestion_models import Suggestion

TODAY = date.today()


def counts(sv: Services) -> tuple[int, ...]:
    with sv.db.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m)) or 0
            for m in (CaseEvent, CaseParty, Suggestion, BinEntry, AuditRecord)
        )


def audited(sv: Services, entity_id: str) -> list[str]:
    with sv.db.session() as s:
        return list(
            s.scalars(
                select(AuditRecord.action)
                .where(AuditRecord.entity_id.in_([entity_id, str(_uuid(entity_id))]))
                .order_by(AuditRecord.id)
            )
        )


def _uuid(text: str):  # type: ignore[no-untyped-def]
    import uuid

    return uuid.UUID(text)


def found(sv: Services, text: str) -> int:
    return len(sv.case_list.ids(CaseFilter(search=text), "accepted_on", True))


def civil_case(sv: Services, n: int = 1, handler: str = "") -> str:
    draft = CaseDraft(f"（2026）新01民初{n}号", "民事", TODAY - timedelta(days=40),
                      "一审普通程序", "买卖合同纠纷", handler=handler)  # fmt: skip
    return sv.cases.create(draft).id


def only_item(sv: Services, case_id: str, kind: str):  # type: ignore[no-untyped-def]
    (item,) = [i for i in sv.recycle_bin.items_of_case(case_id) if i.kind == kind]
    return item


# -- timeline entries ---------------------------------------------------------------------------
def test_a_stage_entry_goes_to_the_bin_and_comes_back(services: Services) -> None:
    case_id = civil_case(services)
    entry = services.timeline.record_stage(
        case_id, StageDraft(TODAY - timedelta(days=3), "中止审理")
    )
    assert services.cases.get(case_id).stage == "中止审理"

    services.timeline.remove_entry(entry)
    detail = services.cases.get(case_id)
    assert entry not in [e.id for e in detail.events]
    assert detail.stage != "中止审理"  # the stage follows the entries left
    item = only_item(services, case_id, "case_event")
    assert item.label == f"中止审理 {TODAY - timedelta(days=3)}"
    assert item.kind_label == "时间线记录" and item.deleted_by == "测试员"
    assert item.case_number == "（2026）新01民初1号" and item.refusal == ""

    assert services.recycle_bin.restore_entry(item.id) == _uuid(entry).hex
    detail = services.cases.get(case_id)
    restored = [e for e in detail.events if _uuid(e.id) == _uuid(entry)]
    assert len(restored) == 1 and restored[0].stage == "中止审理"
    assert detail.stage == "中止审理"
    assert services.recycle_bin.items_of_case(case_id) == []
    assert audited(services, entry)[-2:] == ["delete", "restore"]


def test_restoring_a_trigger_reopens_the_periods_its_deletion_cancelled(
    services: Services,
) -> None:
    # 刑诉法 第156条: 侦查羁押期限 runs from the arrest; deleting the entry cancels the period,
    # restoring it reopens the same period with the same last day.
    case_id = services.cases.create(
        CaseDraft("（2026）新01刑初5号", "刑事", TODAY - timedelta(days=10), cause="合同诈骗罪")
    ).id
    started = services.deadlines.record_trigger(case_id, "case_filed_criminal", TODAY)
    assert started
    before = {d.id: (d.status, d.due_on) for d in services.deadlines.for_case(case_id)}
    (trigger,) = [e for e in services.cases.get(case_id).events if e.kind == "trigger"]

    services.timeline.remove_entry(trigger.id)
    after_delete = {d.id: d.status for d in services.deadlines.for_case(case_id)}
    assert all(after_delete[i] == "cancelled" for i in started)

    services.recycle_bin.restore_entry(only_item(services, case_id, "case_event").id)
    again = {d.id: (d.status, d.due_on) for d in services.deadlines.for_case(case_id)}
    assert again == before
    with services.db.session() as s:
        linked = s.scalars(select(CaseEvent.id).where(CaseEvent.case_id == _uuid(case_id))).all()
        assert _uuid(trigger.id) in linked


def test_an_entry_of_a_deleted_case_waits_for_the_case(services: Services) -> None:
    case_id = civil_case(services)
    entry = services.timeline.record_stage(case_id, StageDraft(TODAY, "中止审理"))
    services.timeline.remove_entry(entry)
    services.cases.delete(case_id)
    item = only_item(services, case_id, "case_event")
    assert item.case_deleted
    before = counts(services)
    with pytest.raises(ServiceError, match="已删除，请先恢复该案件"):
        services.recycle_bin.restore_entry(item.id)
    assert counts(services) == before  # nothing half-done
    case_item = only_item(services, case_id, "case")
    assert case_item.label == "买卖合同纠纷" and case_item.deleted_by == "测试员"
    assert case_item.case_number == "（2026）新01民初1号"
    services.cases.restore(case_id)
    services.recycle_bin.restore_entry(item.id)
    assert services.cases.get(case_id).stage == "中止审理"


def test_restoring_twice_says_it_is_no_longer_there(services: Services) -> None:
    case_id = civil_case(services)
    entry = services.timeline.record_stage(case_id, StageDraft(TODAY, "中止审理"))
    services.timeline.remove_entry(entry)
    bin_id = only_item(services, case_id, "case_event").id
    services.recycle_bin.restore_entry(bin_id)
    with pytest.raises(NotFound, match="回收站中没有该记录"):
        services.recycle_bin.restore_entry(bin_id)
    with pytest.raises(NotFound):
        services.recycle_bin.restore_party(bin_id)  # not a party either


# -- parties -------------------------------------------------------------------------------------
def test_a_removed_party_comes_back_with_its_search_text(services: Services) -> None:
    case_id = civil_case(services)
    party = services.parties.add(
        case_id, "被告", new_enterprise=EnterpriseDraft("新疆天山贸易有限公司")
    )
    services.parties.add(case_id, "原告", new_person=PersonDraft("马原告"))
    services.parties.remove(party)
    assert "天山贸易" not in services.cases.get(case_id).parties[0].name
    assert found(services, "天山贸易") == 0

    item = only_item(services, case_id, "case_party")
    assert item.label == "被告 新疆天山贸易有限公司"
    services.recycle_bin.restore_party(item.id)
    names = {(p.role, p.name) for p in services.cases.get(case_id).parties}
    assert ("被告", "新疆天山贸易有限公司") in names
    assert found(services, "天山贸易") == 1
    assert audited(services, party)[-2:] == ["delete", "restore"]


def test_a_party_added_again_meanwhile_is_not_doubled(services: Services) -> None:
    case_id = civil_case(services)
    party = services.parties.add(
        case_id, "被告", new_enterprise=EnterpriseDraft("新疆天山贸易有限公司")
    )
    enterprise_id = services.enterprises.find("天山贸易")[0].id
    services.parties.remove(party)
    services.parties.add(case_id, "被告", enterprise_id=enterprise_id)
    item = only_item(services, case_id, "case_party")
    before = counts(services)
    with pytest.raises(ServiceError, match="已是本案的被告，无需恢复"):
        services.recycle_bin.restore_party(item.id)
    assert counts(services) == before


# -- 建议书 drafts --------------------------------------------------------------------------------
def test_a_deleted_draft_comes_back_as_it_was(services: Services) -> None:
    case_id = civil_case(services)
    sid = services.suggestions.new_draft(case_id, dm.JUDICIAL, "个案")
    view = services.suggestions.get(sid)
    draft = dataclasses.replace(
        view.draft, recipient="乌鲁木齐市市场监督管理局", subject="关于规范合同管理的司法建议"
    )
    version = services.suggestions.save_draft(sid, view.version, draft)
    saved = services.suggestions.get(sid)

    services.suggestions.delete_draft(sid)
    assert services.suggestions.for_case(case_id) == []
    item = only_item(services, case_id, "suggestion")
    assert (
        item.label == "司法建议书草稿（关于规范合同管理的司法建议，主送乌鲁木齐市市场监督管理局）"
    )

    services.recycle_bin.restore_draft(item.id)
    back = services.suggestions.get(sid)
    assert back.draft == saved.draft and back.state == saved.state
    assert back.version == version + 1  # an editor open on the old text is told it changed
    with pytest.raises(Conflict):
        services.suggestions.save_draft(
            sid, version, dataclasses.replace(back.draft, contact="李四")
        )
    # the restored draft can be edited on (its version is the one it was read with)
    services.suggestions.save_draft(
        sid, back.version, dataclasses.replace(back.draft, contact="张三")
    )
    assert audited(services, sid)[-3:] == ["delete", "restore", "update"]


# -- who may -------------------------------------------------------------------------------------
PW = "Court#2026x"


@pytest.fixture
def court(services: Services) -> Iterator[tuple[Services, dict[str, str]]]:
    """A 民二庭 with a judge, a clerk and a head; one case of theirs, one of 民一庭; on each an
    entry, a party and a draft already deleted (by the system)."""
    sv = services
    sv.accounts.create_first_admin(UserDraft("admin", "系统管理员", "办公室"), "Guard#2026x")
    sv.accounts.sign_in("admin", "Guard#2026x")
    for login, name, unit, role in (("wangfg", "王法官", "民二庭", HANDLER),
                                    ("zhoush", "周书记员", "民二庭", CLERK),
                                    ("chentz", "陈庭长", "民二庭", HEAD),
                                    ("lifg", "李法官", "民一庭", HANDLER)):  # fmt: skip
        sv.accounts.create_user(UserDraft(login, name, unit, frozenset({role})), PW)
    sv.accounts.sign_out()
    ids = {"mine": civil_case(sv, 1, "王法官"), "other": civil_case(sv, 2, "李法官")}
    for key in ("mine", "other"):
        case_id = ids[key]
        entry = sv.timeline.record_stage(case_id, StageDraft(TODAY, "中止审理"))
        party = sv.parties.add(case_id, "被告", new_person=PersonDraft(f"马{key}"))
        sid = sv.suggestions.new_draft(case_id, dm.JUDICIAL, "个案")
        sv.timeline.remove_entry(entry)
        sv.parties.remove(party)
        sv.suggestions.delete_draft(sid)
    yield sv, ids
    sv.accounts.sign_out()


RESTORE = {
    "case_event": lambda sv, i: sv.recycle_bin.restore_entry(i),
    "case_party": lambda sv, i: sv.recycle_bin.restore_party(i),
    "suggestion": lambda sv, i: sv.recycle_bin.restore_draft(i),
}

# (login, the case, may restore) — the table's rows for event/party/suggestion restore
WHO = [
    ("wangfg", "mine", True),  # 承办人: own case
    ("zhoush", "mine", False),  # 书记员: never deletes nor restores (管理办法 第2条)
    ("chentz", "mine", True),  # 部门负责人: the unit (法发〔2015〕13号 第24条)
]


@pytest.mark.parametrize("kind", sorted(RESTORE))
@pytest.mark.parametrize(("login", "key", "allowed"), WHO)
def test_who_may_restore(court, kind: str, login: str, key: str, allowed: bool) -> None:  # type: ignore[no-untyped-def]
    sv, ids = court
    sv.accounts.sign_in(login, PW)
    item = only_item(sv, ids[key], kind)
    assert (item.refusal == "") is allowed
    before = counts(sv)
    if allowed:
        RESTORE[kind](sv, item.id)
        assert counts(sv)[3] == before[3] - 1  # one fewer in the bin
    else:
        assert "书记员" in item.refusal and "恢复" in item.refusal
        with pytest.raises(NotPermitted, match="书记员无权恢复"):
            RESTORE[kind](sv, item.id)
        assert counts(sv) == before


def test_the_bin_shows_only_the_cases_one_may_read(court) -> None:  # type: ignore[no-untyped-def]
    sv, ids = court
    sv.accounts.sign_in("wangfg", PW)
    seen = {i.case_id for i in sv.recycle_bin.items()}
    assert seen == {_uuid(ids["mine"]).hex}
    with pytest.raises(NotPermitted):
        sv.recycle_bin.items_of_case(ids["other"])
    sv.accounts.sign_out()
    sv.accounts.sign_in("admin", "Guard#2026x")  # 管理员 reads no case contents
    with pytest.raises(NotPermitted):
        sv.recycle_bin.items()


def test_the_bin_keeps_the_whole_row_in_a_file_that_survives_a_reopen(
    services: Services, db_path: Path
) -> None:
    case_id = civil_case(services)
    entry = services.timeline.record_stage(case_id, StageDraft(TODAY, "中止审理", "当事人申请"))
    services.timeline.remove_entry(entry)
    services.close()
    reopened = Services.open(db_path, "另一位测试员")
    try:
        reopened.recycle_bin.restore_entry(only_item(reopened, case_id, "case_event").id)
        (back,) = [e for e in reopened.cases.get(case_id).events if e.stage == "中止审理"]
        assert back.note == "当事人申请"
    finally:
        reopened.close()
