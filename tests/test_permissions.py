"""Roles decide actions, enforced in the services (issue 7, point 2): every service method the
permission table names carries its action, and signed-in users of each role are allowed or
refused — with the reason in Chinese naming their role — on a real database. The table and its
sources are casedesk/domain/roles.py (tested cell by cell in tests/test_roles.py); here the rows
the brief names are driven through the services:

* 书记员 registers, records and drafts but never decides nor deletes (《人民法院书记员管理办法
  （试行）》第2条: 事务性工作);
* 承办人 edits the cases they handle (法发〔2015〕13号 第1条: 由裁判者负责);
* 部门负责人 deletes, restores and assigns within the unit (法发〔2015〕13号 第24条);
* 院领导 alone approves an extension (民诉法 第152条: "经本院院长批准");
* 管理员 keeps reference data and sees no case (GB/T 22239-2019 §8.1.4.2 最小权限);
* the system (command line, maintenance: nobody signed in) is not restricted.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

import casedesk.services
from casedesk.domain import documents as dm
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, StageDraft
from casedesk.domain.roles import (
    ALL,
    CLERK,
    HANDLER,
    HEAD,
    LEADER,
    PERMISSIONS,
    REFERENCE_READS,
    ROLE_NAMES,
)
from casedesk.domain.work_calendar import HOLIDAY
from casedesk.services.accounts import UserDraft
from casedesk.services.app import Services
from casedesk.services.base import ANY_SCOPE, IN_BODY, Service
from casedesk.services.errors import NotPermitted
from casedesk.store.backup import backup_sqlite
from casedesk.store.database import open_database
from casedesk.store.models import AuditRecord, Case

TODAY = date.today()
ACCEPTED = TODAY - timedelta(days=30)
ADMIN_PW = "Guard#2026x"
PW = "Court#2026x"
MY_UNIT, OTHER_UNIT = "民二庭", "民一庭"

#: login → (display name, unit, roles)
USERS: dict[str, tuple[str, str, frozenset[str]]] = {
    "wangfg": ("王法官", MY_UNIT, frozenset({HANDLER})),
    "zhaofg": ("赵法官", MY_UNIT, frozenset({HANDLER})),
    "lifg": ("李法官", OTHER_UNIT, frozenset({HANDLER})),
    "zhoush": ("周书记员", MY_UNIT, frozenset({CLERK})),
    "chentz": ("陈庭长", MY_UNIT, frozenset({HEAD})),
    "liuyz": ("刘院长", "院领导", frozenset({LEADER})),
}
ROLE_OF = {login: ROLE_NAMES[next(iter(r))] for login, (_n, _u, r) in USERS.items()}
ROLE_OF["admin"] = "管理员"

#: Three cases: A handled by 王法官, B by his colleague 赵法官 (both 民二庭), C by 李法官 (民一庭).
DRAFTS = {
    key: CaseDraft(
        f"（2025）新01民初{n}号", "民事", ACCEPTED, "一审普通程序", "买卖合同纠纷", handler=handler
    )
    for key, n, handler in (("A", 1, "王法官"), ("B", 2, "赵法官"), ("C", 3, "李法官"))
}


# -- the court: users, cases, records — built once, copied for each test ------------------------
def _ready_draft(sv: Services, case_id: str) -> str:
    """A suggestion draft with everything finalising needs (recipient, paragraphs, date)."""
    sid = sv.suggestions.new_draft(case_id, dm.JUDICIAL, "个案")
    view = sv.suggestions.get(sid)
    blocks = tuple(
        dm.Block(b.kind, b.text or ("建议加强合同管理" if b.kind == dm.ITEM else "经查……"))
        for b in view.blocks
    )
    draft = dataclasses.replace(view.draft, blocks=blocks, recipient="乌鲁木齐市市场监督管理局",
                                signed_on=TODAY)  # fmt: skip
    sv.suggestions.save_draft(sid, view.version, draft)
    return sid


@pytest.fixture(scope="module")
def court(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("court") / "court.sqlite3"
    open_database(path).close()
    sv = Services.open(path, "测试员")
    try:
        sv.accounts.create_first_admin(UserDraft("admin", "系统管理员", "办公室"), ADMIN_PW)
        sv.accounts.sign_in("admin", ADMIN_PW)
        for login, (name, unit, roles) in USERS.items():
            sv.accounts.create_user(UserDraft(login, name, unit, roles), PW)
        sv.accounts.sign_out()
        ids: dict[str, str] = {}
        for key, draft in DRAFTS.items():  # as the system: nobody signed in
            case_id = ids[key] = sv.cases.create(draft).id
            sv.parties.add(
                case_id, "原告", new_enterprise=EnterpriseDraft(f"新疆{key}贸易有限公司")
            )
            ids[f"entry{key}"] = sv.timeline.record_stage(
                case_id, StageDraft(ACCEPTED + timedelta(days=5), "审理中")
            )
            ids[f"draft{key}"] = _ready_draft(sv, case_id)
            (trial,) = sv.deadlines.for_case(case_id)  # 民诉法 第152条: 六个月审限
            ids[f"trial{key}"] = trial.id
        ids["unassigned"] = sv.cases.create(CaseDraft("（2025）新01民初9号", "民事", ACCEPTED)).id
    finally:
        sv.close()
    return path, ids


@pytest.fixture
def sv(court: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[Services]:
    services = Services.open(backup_sqlite(court[0], tmp_path / "casedesk.sqlite3"), "测试员")
    yield services
    services.close()


@pytest.fixture
def ids(court: tuple[Path, dict[str, str]]) -> dict[str, str]:
    return court[1]


def sign_in(sv: Services, login: str | None) -> None:
    sv.accounts.sign_out()
    if login is not None:
        sv.accounts.sign_in(login, ADMIN_PW if login == "admin" else PW)


def audit_count(sv: Services) -> int:
    with sv.db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditRecord)) or 0


def last_actor(sv: Services) -> str:
    with sv.db.session() as s:
        return s.scalar(select(AuditRecord.actor).order_by(AuditRecord.id.desc()).limit(1)) or ""


def case_row(sv: Services, case_id: str) -> Case:
    with sv.db.session() as s:
        row = s.get(Case, uuid.UUID(case_id))
        assert row is not None
        s.expunge(row)
        return row


def edit(sv: Services, ids: dict[str, str], key: str, **changes: Any) -> None:
    """Save the case ``key`` with ``changes`` to its registered draft."""
    current = case_row(sv, ids[key])
    sv.cases.update(ids[key], dataclasses.replace(DRAFTS[key], **changes), current.version)


def refused_with(caught: pytest.ExceptionInfo[NotPermitted], role: str, action: str) -> str:
    """The refusal says, in Chinese, which role was refused what."""
    message = str(caught.value)
    assert role in message, message
    assert PERMISSIONS[action].label in message, message
    assert re.search(r"[A-Za-z]", message) is None, message  # Chinese, no codes
    return message


# -- role × action through the services --------------------------------------------------------
Act = Callable[[Services, dict[str, str]], Any]
ACTS: dict[str, tuple[str, Act]] = {
    # name: (action of the table, what is done)
    "register": ("case.create", lambda sv, i: sv.cases.create(
        CaseDraft("（2025）新01民初50号", "民事", TODAY, handler="王法官"))),
    "record stage A": ("event.record", lambda sv, i: sv.timeline.record_stage(
        i["A"], StageDraft(TODAY, "中止审理"))),
    "record stage C": ("event.record", lambda sv, i: sv.timeline.record_stage(
        i["C"], StageDraft(TODAY, "中止审理"))),
    "draft suggestion A": ("suggestion.draft", lambda sv, i: sv.suggestions.new_draft(
        i["A"], dm.JUDICIAL, "个案")),
    "finalise A": ("suggestion.finalise", lambda sv, i: sv.suggestions.finalise(i["draftA"])),
    "extend A": ("deadline.extend.approve", lambda sv, i: sv.deadlines.extend(
        i["trialA"], "本院院长", TODAY, "延长审限审批表")),
    "extend C": ("deadline.extend.approve", lambda sv, i: sv.deadlines.extend(
        i["trialC"], "本院院长", TODAY, "延长审限审批表")),
    "delete A": ("case.delete", lambda sv, i: sv.cases.delete(i["A"])),
    "delete B": ("case.delete", lambda sv, i: sv.cases.delete(i["B"])),
    "delete C": ("case.delete", lambda sv, i: sv.cases.delete(i["C"])),
    "remove entry A": ("event.delete", lambda sv, i: sv.timeline.remove_entry(i["entryA"])),
    "edit A": ("case.edit", lambda sv, i: edit(sv, i, "A", cause="借款合同纠纷")),
    "edit B": ("case.edit", lambda sv, i: edit(sv, i, "B", cause="借款合同纠纷")),
    "edit C": ("case.edit", lambda sv, i: edit(sv, i, "C", cause="借款合同纠纷")),
    "read B": ("case.read", lambda sv, i: sv.cases.get(i["B"])),
    "read C": ("case.read", lambda sv, i: sv.cases.get(i["C"])),
    "stalled ledger": ("case.read", lambda sv, i: sv.stalled.ledger()),
    "deadline board": ("case.read", lambda sv, i: sv.deadlines.board()),
    "holiday": ("admin.holidays", lambda sv, i: sv.holidays.set_day(
        date(2027, 5, 1), HOLIDAY, "劳动节")),
    "tag": ("admin.code_tables", lambda sv, i: sv.code_tables.add_tag("重点督办")),
    "find enterprise": ("subject.read", lambda sv, i: sv.enterprises.find("贸易")),
}  # fmt: skip

# (who, act, allowed); who None = the system (nobody signed in).
# fmt: off
CASES: list[tuple[str | None, str, bool]] = [
    # 书记员: 事务性工作 — register, record, draft; never decide nor delete (管理办法 第2条)
    ("zhoush", "register", True),
    ("zhoush", "record stage A", True),
    ("zhoush", "draft suggestion A", True),
    ("zhoush", "edit B", True),                # the unit's cases
    ("zhoush", "record stage C", False),       # another unit's case
    ("zhoush", "finalise A", False),           # 法释〔2023〕11号 第7条: 院长签发, not the clerk
    ("zhoush", "extend A", False),
    ("zhoush", "delete A", False),
    ("zhoush", "remove entry A", False),
    ("zhoush", "tag", False),
    # 承办人: their own cases (法发〔2015〕13号 第1条), reads the unit's
    ("wangfg", "edit A", True),
    ("wangfg", "edit B", False),               # a colleague's case in the same unit
    ("wangfg", "edit C", False),               # another unit's case
    ("wangfg", "finalise A", True),
    ("wangfg", "remove entry A", True),
    ("wangfg", "extend A", False),             # 民诉法 第152条: 院长批准
    ("wangfg", "delete A", False),
    ("wangfg", "read B", True),
    ("wangfg", "read C", False),
    ("wangfg", "stalled ledger", True),        # a ledger over many cases: some scope suffices
    ("wangfg", "find enterprise", True),
    ("lifg", "edit C", True),
    ("lifg", "edit A", False),
    # 部门负责人: supervises the unit (法发〔2015〕13号 第24条)
    ("chentz", "delete B", True),
    ("chentz", "delete C", False),
    ("chentz", "edit B", False),               # supervises, does not edit
    ("chentz", "read B", True),
    ("chentz", "extend A", False),
    # 院领导: the whole 院; alone approves extensions
    ("liuyz", "extend A", True),
    ("liuyz", "extend C", True),
    ("liuyz", "delete C", True),
    ("liuyz", "read C", True),
    ("liuyz", "edit A", False),
    # 管理员: reference data, no case contents (GB/T 22239-2019 §8.1.4.2)
    ("admin", "holiday", True),
    ("admin", "tag", True),
    ("admin", "edit A", False),
    ("admin", "read B", False),
    ("admin", "deadline board", False),
    ("admin", "register", False),
    ("admin", "find enterprise", False),
    # the system: command line, maintenance, the existing tests
    (None, "finalise A", True),
    (None, "extend A", True),
    (None, "delete C", True),
    (None, "remove entry A", True),
    (None, "edit A", True),
    (None, "holiday", True),
]
# fmt: on


@pytest.mark.parametrize(("who", "act", "allowed"), CASES)
def test_each_role_through_the_services(
    sv: Services, ids: dict[str, str], who: str | None, act: str, allowed: bool
) -> None:
    action, do = ACTS[act]
    sign_in(sv, who)
    before = audit_count(sv)
    if allowed:
        do(sv, ids)
        writes = not action.endswith(".read")
        if writes:
            assert audit_count(sv) > before
            if who is not None:
                display = "系统管理员" if who == "admin" else USERS[who][0]
                assert last_actor(sv) == f"{display}（{who}）"
    else:
        assert who is not None
        with pytest.raises(NotPermitted) as caught:
            do(sv, ids)
        refused_with(caught, ROLE_OF[who], action)
        assert audit_count(sv) == before  # nothing written


def test_the_table_rows_the_brief_names_are_all_driven() -> None:
    driven = {(who, ACTS[act][0]) for who, act, _ in CASES}
    for who, action in [("zhoush", "case.create"), ("zhoush", "event.record"),
                        ("zhoush", "suggestion.draft"), ("zhoush", "suggestion.finalise"),
                        ("zhoush", "deadline.extend.approve"), ("zhoush", "case.delete"),
                        ("zhoush", "event.delete"), ("wangfg", "case.edit"),
                        ("chentz", "case.delete"), ("liuyz", "deadline.extend.approve"),
                        ("admin", "case.edit"), ("admin", "admin.holidays"),
                        ("admin", "admin.code_tables")]:  # fmt: skip
        assert (who, action) in driven
    assert {who for who, *_ in CASES} == set(USERS) - {"zhaofg"} | {"admin", None}


def test_the_refusals_say_why(sv: Services, ids: dict[str, str]) -> None:
    sign_in(sv, "zhoush")
    with pytest.raises(NotPermitted) as caught:
        sv.suggestions.finalise(ids["draftA"])
    assert str(caught.value) == (
        "书记员无权定稿建议书：此项须由本案承办人、本部门负责人或院领导进行。"
    )
    sign_in(sv, "wangfg")
    with pytest.raises(NotPermitted) as caught:
        edit(sv, ids, "C", cause="借款合同纠纷")
    assert str(caught.value) == (
        "承办人仅限于本人承办的案件：（2025）新01民初3号不是您承办的案件，"
        "无权修改案件信息；此项须由本案承办人或本部门书记员进行。"
    )
    sign_in(sv, "chentz")
    with pytest.raises(NotPermitted) as caught:
        sv.cases.delete(ids["C"])
    assert "（2025）新01民初3号属于民一庭，不属于您所在的民二庭" in str(caught.value)


def test_the_head_deletes_and_restores_within_the_unit(sv: Services, ids: dict[str, str]) -> None:
    # 法发〔2015〕13号 第24条: the head supervises the unit; deletions are soft and audited
    for key in ("B", "C"):
        sv.cases.delete(ids[key])  # as the system
    sign_in(sv, "chentz")
    sv.cases.restore(ids["B"])
    assert case_row(sv, ids["B"]).deleted_at is None
    assert last_actor(sv) == "陈庭长（chentz）"
    with pytest.raises(NotPermitted) as caught:
        sv.cases.restore(ids["C"])
    refused_with(caught, "部门负责人", "case.restore")
    assert case_row(sv, ids["C"]).deleted_at is not None
    sv.cases.delete(ids["B"])
    assert case_row(sv, ids["B"]).deleted_at is not None  # soft: still there
    sign_in(sv, "zhoush")
    with pytest.raises(NotPermitted) as caught:
        sv.cases.restore(ids["B"])
    refused_with(caught, "书记员", "case.restore")


def test_the_extension_is_entered_by_the_leader(sv: Services, ids: dict[str, str]) -> None:
    # 民诉法 第152条: 有特殊情况需要延长的，由本院院长批准，可以延长六个月
    before = {v.id: v.due_on for v in sv.deadlines.for_case(ids["A"])}[ids["trialA"]]
    for login in ("zhoush", "wangfg", "chentz"):
        sign_in(sv, login)
        with pytest.raises(NotPermitted, match=f"{ROLE_OF[login]}无权批准延长期限"):
            sv.deadlines.extend(ids["trialA"], "本院院长", TODAY, "延长审限审批表")
    sign_in(sv, "liuyz")
    sv.deadlines.extend(ids["trialA"], "本院院长", TODAY, "延长审限审批表")
    after = {v.id: v for v in sv.deadlines.for_case(ids["A"])}[ids["trialA"]]
    assert after.due_on > before


# -- registering sets the handler; changing it later is case.assign -----------------------------
def test_registration_may_name_a_handler_of_the_unit(sv: Services) -> None:
    sign_in(sv, "zhoush")
    made = sv.cases.create(CaseDraft("（2025）新01民初60号", "民事", TODAY, handler="赵法官"))
    assert case_row(sv, made.id).handler == "赵法官"
    with pytest.raises(NotPermitted) as caught:
        sv.cases.create(CaseDraft("（2025）新01民初61号", "民事", TODAY, handler="李法官"))
    assert "属于民一庭，不属于您所在的民二庭" in refused_with(caught, "书记员", "case.create")
    # before 分案: no handler yet — registered into the clerk's own unit
    sv.cases.create(CaseDraft("（2025）新01民初62号", "民事", TODAY))
    sign_in(sv, "wangfg")
    sv.cases.create(CaseDraft("（2025）新01民初63号", "民事", TODAY, handler="王法官"))
    with pytest.raises(NotPermitted) as caught:  # a handler registers their own cases only
        sv.cases.create(CaseDraft("（2025）新01民初64号", "民事", TODAY, handler="赵法官"))
    refused_with(caught, "承办人", "case.create")


@pytest.mark.parametrize(
    ("who", "key", "changes", "allowed", "action"),
    [
        ("zhoush", "A", {"handler": "赵法官"}, False, "case.assign"),
        ("zhoush", "A", {"notes": "已调卷"}, True, ""),
        ("wangfg", "A", {"handler": "赵法官"}, False, "case.assign"),
        ("wangfg", "A", {"handler": "赵法官", "cause": "借款合同纠纷"}, False, "case.assign"),
        ("chentz", "A", {"handler": "赵法官"}, True, ""),  # 分案 within the unit
        ("chentz", "A", {"handler": "李法官"}, False, "case.assign"),  # into another unit
        ("chentz", "C", {"handler": "王法官"}, False, "case.assign"),  # out of another unit
        ("chentz", "A", {"handler": "赵法官", "cause": "借款合同纠纷"}, False, "case.edit"),
        ("liuyz", "C", {"handler": "王法官"}, True, ""),
        ("admin", "A", {"handler": "赵法官"}, False, "case.edit"),
    ],
)
def test_the_handler_changes_only_by_assignment(
    sv: Services, ids: dict[str, str], who: str, key: str, changes: dict, allowed: bool,
    action: str,
) -> None:  # fmt: skip
    # roles.py: case.edit does not change the handler — that is case.assign (法发〔2015〕13号)
    sign_in(sv, who)
    old = case_row(sv, ids[key])
    if allowed:
        edit(sv, ids, key, **changes)
        new = case_row(sv, ids[key])
        assert all(getattr(new, k) == v for k, v in changes.items())
    else:
        with pytest.raises(NotPermitted) as caught:
            edit(sv, ids, key, **changes)
        refused_with(caught, ROLE_OF[who], action)
        new = case_row(sv, ids[key])
        assert (new.handler, new.cause, new.version) == (old.handler, old.cause, old.version)


def test_the_head_assigns_a_case_registered_before_assignment(
    sv: Services, ids: dict[str, str]
) -> None:
    sign_in(sv, "chentz")
    row = case_row(sv, ids["unassigned"])
    draft = CaseDraft(row.case_number, "民事", ACCEPTED, handler="王法官")
    sv.cases.update(ids["unassigned"], draft, row.version)
    assert case_row(sv, ids["unassigned"]).handler == "王法官"
    sign_in(sv, "wangfg")  # now his: he edits it
    edit_draft = dataclasses.replace(draft, cause="借款合同纠纷")
    sv.cases.update(ids["unassigned"], edit_draft, case_row(sv, ids["unassigned"]).version)


# -- the wiring: the table and the code cannot drift -------------------------------------------
def _service_classes() -> dict[str, type]:
    found: dict[str, type] = {}
    for info in pkgutil.iter_modules(casedesk.services.__path__):
        if not info.ispkg:
            module = importlib.import_module(f"casedesk.services.{info.name}")
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, Service) and cls is not Service:
                    found[name] = cls
    return found


def _covered() -> list[tuple[str, str, Any]]:
    """(action, "Class.method", the method) for every entry of the table in a service class."""
    classes = _service_classes()
    out = []
    for action, rule in PERMISSIONS.items():
        for entry in rule.covers:
            owner, name = entry.split(".")
            if owner in classes:  # module functions of services/interchange are checked apart
                out.append((action, entry, getattr(classes[owner], name)))
    return out


def test_every_method_the_table_names_carries_its_action() -> None:
    covered = _covered()
    entries = [e for rule in PERMISSIONS.values() for e in rule.covers]
    outside = {e for e in entries if e not in {c[1] for c in covered}}
    assert outside == set()  # every entry is a method of a service class
    assert len(covered) == len(entries) > 120
    wrong = [(e, getattr(m, "__action__", None), a) for a, e, m in covered
             if getattr(m, "__action__", None) != a]  # fmt: skip
    assert wrong == []


def test_no_method_carries_an_action_the_table_does_not_give_it() -> None:
    named = {e for _a, e, _m in _covered()}
    owners = {e.split(".")[0] for e in named}
    stray = []
    for owner, cls in _service_classes().items():
        if owner not in owners:
            continue  # a mixin (EnforcementReads, SuggestionAdmin …): seen through its service
        for name, method in inspect.getmembers(cls, inspect.isfunction):
            if hasattr(method, "__action__") and f"{owner}.{name}" not in named:
                stray.append(f"{owner}.{name}")
    assert stray == []
    for entry in REFERENCE_READS:  # reading reference data needs no permission
        owner, name = entry.split(".")
        assert not hasattr(getattr(_service_classes()[owner], name), "__action__"), entry


def test_each_method_finds_its_case_the_way_its_arguments_allow() -> None:
    """A case id argument (via None) is named case_id; a record (via Model) has a case_id
    column; no case at all (via False) only for actions every granted role holds everywhere —
    else a unit-bound user would always be refused; lists over many cases (ANY_SCOPE) are reads;
    only CaseService.update checks inside (which fields change decides the action)."""
    for action, entry, method in _covered():
        via = method.__via__
        first = list(inspect.signature(method).parameters)[1:2]
        if via is None:
            assert first == ["case_id"], entry
        elif via is False:
            assert set(PERMISSIONS[action].grants.values()) == {ALL}, entry
        elif via is ANY_SCOPE:
            assert action == "case.read" and first != ["case_id"], entry
        elif via is IN_BODY:
            assert entry in ("CaseService.update", "DataTransferService.import_cases"), entry
        elif isinstance(via, type):
            assert "case_id" in via.__table__.c, entry
            assert first[0].endswith("_id") and first != ["case_id"], entry
        else:  # a resolver
            assert entry == "CaseService.create", entry
