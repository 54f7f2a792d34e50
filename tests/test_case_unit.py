"""The unit (庭/部门) of a case is data, and lists show what the user may read (issue 7, point 2).

* A case belongs to the 庭 of its judge: registering it sets its unit from the handler's
  account, else the registering user's own unit (a case registered before 分案), else none (the
  system); a change of handler moves it to the new handler's unit (法发〔2015〕13号 第1条: 让审理者
  裁判; 分案 and 变更承办人 by 院庭长, ibid. 第24条 — ``case.assign`` in casedesk/domain/roles.py).
* The permission table decides on the case's own unit (``case_target``); a case of no unit (as
  every case is right after migration 0010) belongs to its handler's account's unit.
* Every list filters by ``roles.scope_of(user, "case.read")``: 院领导 see the whole 院, 承办人,
  书记员 and 部门负责人 their unit (法发〔2015〕13号 第24条: 院庭长 supervise their own 庭), 管理员
  no case at all (GB/T 22239-2019 §8.1.4.2: 管理用户最小权限), the system every case.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text

from casedesk.domain import documents as dm
from casedesk.domain.drafts import CaseDraft
from casedesk.domain.roles import ADMIN, CLERK, HANDLER, HEAD, LEADER
from casedesk.services.accounts import UserDraft
from casedesk.services.app import Services
from casedesk.services.base import case_target
from casedesk.services.errors import NotPermitted
from casedesk.services.interchange import export_cases, import_cases
from casedesk.services.lists import CaseFilter, read_scope
from casedesk.store import case_list, migrate
from casedesk.store.backup import backup_sqlite
from casedesk.store.case_scope import EVERYTHING, NOTHING, CaseScope, own_scope, unit_scope
from casedesk.store.database import APPLICATION_ID, create_sqlite_engine, open_database
from casedesk.store.models import AuditRecord, Case

TODAY = date.today()
ACCEPTED = TODAY - timedelta(days=20)
PW = "Court#2026x"
CIVIL_2, CIVIL_1 = "民二庭", "民一庭"

#: login → (display name, unit, roles)
USERS: dict[str, tuple[str, str, frozenset[str]]] = {
    "wangfg": ("王法官", CIVIL_2, frozenset({HANDLER})),
    "lifg": ("李法官", CIVIL_1, frozenset({HANDLER})),
    "zhoush": ("周书记员", CIVIL_2, frozenset({CLERK})),
    "chentz": ("陈庭长", CIVIL_2, frozenset({HEAD})),
    "liuyz": ("刘院长", "院领导", frozenset({LEADER})),
    "sunfg": ("孙法官", "", frozenset({HANDLER})),  # no unit recorded yet
    "admin": ("系统管理员", "办公室", frozenset({ADMIN})),
}

#: The court's cases: key → (handler, unit it must get). A: 王法官's (民二庭); C: 李法官's (民一庭);
#: N: a handler without an account, registered by the system (no unit); L: 王法官's, as a case
#: registered before units were recorded (unit "" written directly, as migration 0010 leaves it).
CASES = {
    "A": ("王法官", CIVIL_2),
    "C": ("李法官", CIVIL_1),
    "N": ("张法官", ""),
    "L": ("王法官", ""),
}


def _draft(n: int, handler: str = "") -> CaseDraft:
    return CaseDraft(
        f"（2025）新01民初{n}号", "民事", ACCEPTED, "一审普通程序", "买卖合同纠纷", handler=handler
    )


@pytest.fixture(scope="module")
def court(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("units") / "court.sqlite3"
    open_database(path).close()
    sv = Services.open(path, "测试员")
    try:
        sv.accounts.create_first_admin(UserDraft("admin", "系统管理员", "办公室"), PW)
        sv.accounts.sign_in("admin", PW)
        for login, (name, unit, roles) in USERS.items():
            if login != "admin":
                sv.accounts.create_user(UserDraft(login, name, unit, roles), PW)
        sv.accounts.sign_out()
        ids = {}
        for n, (key, (handler, _unit)) in enumerate(CASES.items(), start=1):
            ids[key] = case_id = sv.cases.create(_draft(n, handler)).id  # as the system
            sv.suggestions.new_draft(case_id, dm.JUDICIAL, "个案")
        with sv.db.session() as s, s.begin():
            s.execute(text("UPDATE case_file SET unit = '' WHERE id = :id"),
                      {"id": uuid.UUID(ids["L"]).hex})  # fmt: skip
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
        sv.accounts.sign_in(login, PW)


def unit_of(sv: Services, case_id: str) -> str:
    with sv.db.session() as s:
        return s.scalar(select(Case.unit).where(Case.id == uuid.UUID(case_id))) or ""


def create_audit(sv: Services, case_id: str) -> dict[str, Any]:
    with sv.db.session() as s:
        changes = s.scalar(
            select(AuditRecord.changes).where(
                AuditRecord.entity_type == "case",
                AuditRecord.action == "create",
                AuditRecord.case_id == uuid.UUID(case_id),
            )
        )
    return json.loads(changes or "{}")


# -- the unit is set at registration -----------------------------------------------------------
def test_registered_into_the_unit_of_the_handler_s_account(sv: Services, ids: dict) -> None:
    assert unit_of(sv, ids["A"]) == CIVIL_2 and unit_of(sv, ids["C"]) == CIVIL_1
    assert create_audit(sv, ids["C"])["unit"] == [None, CIVIL_1]  # the history shows it
    assert sv.cases.get(ids["A"]).unit == CIVIL_2  # read-only in the case's DTO
    sign_in(sv, "zhoush")  # a 民二庭 clerk registering for a judge of the 庭
    made = sv.cases.create(_draft(20, "王法官")).id
    assert unit_of(sv, made) == CIVIL_2


def test_registered_into_the_registrant_s_unit_when_the_handler_has_no_account(
    sv: Services,
) -> None:
    sign_in(sv, "zhoush")  # 书记员 register before 分案 (人民法院书记员管理办法 第2条)
    for n, handler in ((21, ""), (22, "张法官")):
        made = sv.cases.create(_draft(n, handler)).id
        assert unit_of(sv, made) == CIVIL_2
        assert sv.cases.get(made).unit == CIVIL_2


def test_registered_by_the_system_into_no_unit(sv: Services, ids: dict) -> None:
    assert unit_of(sv, ids["N"]) == ""
    assert "unit" not in create_audit(sv, ids["N"])  # nothing set, nothing recorded
    made = sv.cases.create(_draft(23)).id
    assert unit_of(sv, made) == ""


def test_a_clerk_cannot_register_into_another_unit(sv: Services) -> None:
    sign_in(sv, "zhoush")
    with pytest.raises(NotPermitted, match="民一庭"):
        sv.cases.create(_draft(24, "李法官"))
    assert sv.case_list.total() == len(CASES)  # nothing half-saved


# -- a change of handler moves the case ------------------------------------------------------
def reassign(sv: Services, case_id: str, handler: str) -> None:
    detail = sv.cases.get(case_id)
    sv.cases.update(case_id, dataclasses.replace(detail.to_draft(), handler=handler),
                    detail.version)  # fmt: skip


def test_reassigning_moves_the_case_to_the_new_handler_s_unit(sv: Services, ids: dict) -> None:
    sign_in(sv, "liuyz")  # 院领导 assign across the 院 (case.assign ALL)
    reassign(sv, ids["A"], "李法官")
    assert unit_of(sv, ids["A"]) == CIVIL_1
    (latest, *_rest) = sv.cases.history(ids["A"])
    moved = {key: (old, new) for key, _label, old, new in latest.changes}
    assert moved["unit"] == (CIVIL_2, CIVIL_1) and moved["handler"] == ("王法官", "李法官")
    assert ("unit", "所属部门") in {(k, label) for k, label, _o, _n in latest.changes}
    sign_in(sv, "chentz")  # the 民二庭 head no longer sees or supervises it …
    assert uuid.UUID(ids["A"]).hex not in sv.case_list.ids(CaseFilter(), "accepted_on", True)
    with pytest.raises(NotPermitted, match="民一庭"):
        sv.cases.get(ids["A"])
    sign_in(sv, "lifg")  # … its new judge's 庭 does
    assert sv.cases.get(ids["A"]).unit == CIVIL_1


def test_a_handler_without_account_leaves_the_unit_as_it_is(sv: Services, ids: dict) -> None:
    sign_in(sv, "chentz")  # the 民二庭 head assigns within the 庭
    reassign(sv, ids["A"], "张法官")
    assert unit_of(sv, ids["A"]) == CIVIL_2
    (latest, *_rest) = sv.cases.history(ids["A"])
    assert "unit" not in {key for key, *_ in latest.changes}


# -- the permission table decides on the case's unit -------------------------------------------
def test_case_target_uses_the_case_s_unit_and_falls_back_to_the_handler_s(
    sv: Services, ids: dict
) -> None:
    with sv.db.session() as s, s.begin():
        # the case's own unit beats its handler's account: 李法官 is in 民一庭, the case in 民二庭
        s.execute(text("UPDATE case_file SET unit = :u WHERE id = :id"),
                  {"u": CIVIL_2, "id": uuid.UUID(ids["C"]).hex})  # fmt: skip
    with sv.db.session() as s:
        assert case_target(s, ids["C"]).unit == CIVIL_2
        assert case_target(s, ids["C"]).handler_login == "lifg"  # still from the account
        assert case_target(s, ids["L"]).unit == CIVIL_2  # no unit: 王法官's
        assert case_target(s, ids["N"]).unit == ""  # no unit, no account
    sign_in(sv, "lifg")
    with pytest.raises(NotPermitted, match="属于民二庭"):
        sv.cases.get(ids["C"])
    sign_in(sv, "wangfg")
    assert sv.cases.get(ids["C"]).case_number == "（2025）新01民初2号"


# -- lists show what the user may read ---------------------------------------------------------
#: who → the cases every list shows them (None: the system, nobody signed in).
# fmt: off
VISIBLE: list[tuple[str | None, set[str]]] = [
    (None, {"A", "C", "N", "L"}),       # the system (command line, maintenance): everything
    ("liuyz", {"A", "C", "N", "L"}),    # 院领导: the whole 院 (case.read ALL)
    ("chentz", {"A", "L"}),             # 部门负责人: the 庭 (法发〔2015〕13号 第24条)
    ("zhoush", {"A", "L"}),             # 书记员: the 庭's cases (管理办法 第2条)
    ("wangfg", {"A", "L"}),             # 承办人: the 庭's (合议庭 of the 庭)
    ("lifg", {"C"}),                    # 承办人 of the other 庭
    ("sunfg", set()),                   # a unit not recorded: no case of any unit
]
# fmt: on


def _numbers(ids: dict[str, str], keys: set[str]) -> set[str]:
    n = {key: i for i, key in enumerate(CASES, start=1)}
    return {f"（2025）新01民初{n[k]}号" for k in keys}


@pytest.mark.parametrize(("who", "visible"), VISIBLE)
def test_case_list_shows_the_cases_the_user_may_read(
    sv: Services, ids: dict, who: str | None, visible: set[str]
) -> None:
    sign_in(sv, who)
    for sort in ("accepted_on", "case_number", "handler"):
        shown = set(sv.case_list.ids(CaseFilter(), sort, True))
        assert shown == {uuid.UUID(ids[k]).hex for k in visible}
    searched = set(sv.case_list.ids(CaseFilter(search="买卖"), "accepted_on", True))
    assert searched == {uuid.UUID(ids[k]).hex for k in visible}
    handlers = {CASES[k][0] for k in visible}
    assert set(sv.case_list.handlers()) == handlers
    for key in visible:  # what the list shows, the case page opens
        assert sv.cases.get(ids[key]).id == uuid.UUID(ids[key]).hex
    for key in set(CASES) - visible:  # and what it hides, the case page refuses
        with pytest.raises(NotPermitted):
            sv.cases.get(ids[key])


LISTS: dict[str, Callable[[Services], set[str]]] = {
    "deadline board": lambda sv: {i.case_number for i in sv.deadlines.board(everything=True).items},
    "suggestion ledger": lambda sv: {r.case_number for r in sv.suggestions.ledger()},
}


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(("who", "visible"), VISIBLE)
def test_board_and_ledger_show_the_cases_the_user_may_read(
    sv: Services, ids: dict, name: str, who: str | None, visible: set[str]
) -> None:
    sign_in(sv, who)
    assert LISTS[name](sv) == _numbers(ids, visible)


@pytest.mark.parametrize(("who", "visible"), VISIBLE)
def test_board_counts_only_the_user_s_deadlines(
    sv: Services, who: str | None, visible: set[str]
) -> None:
    """The default board lists seven days and counts the rest in SQL: the count is scoped too
    (each case's 民诉法 第152条 六个月审限 runs months ahead)."""
    sign_in(sv, who)
    board = sv.deadlines.board()
    assert sum(board.counts.values()) == len(visible)
    assert sum(board.counts.values()) == len(sv.deadlines.board(everything=True).items)


def test_the_administrator_sees_no_case(sv: Services, ids: dict) -> None:
    """管理员 keeps users and reference data, never case contents (GB/T 22239-2019 §8.1.4.2)."""
    sign_in(sv, "admin")
    assert sv.case_list.ids(CaseFilter(), "accepted_on", True) == []
    assert sv.case_list.handlers() == []
    assert sv.enterprise_list.ids("", "name", False) == []
    for name in LISTS:
        with pytest.raises(NotPermitted, match="管理员"):
            LISTS[name](sv)
    assert sv.case_list.total() == len(CASES)  # the first-start check still sees the cases


def test_signing_in_as_another_user_changes_the_list(sv: Services, ids: dict) -> None:
    """The list's cached order belongs to the user who asked for it."""
    sign_in(sv, "lifg")
    assert sv.case_list.ids(CaseFilter(), "accepted_on", True) == [uuid.UUID(ids["C"]).hex]
    sign_in(sv, "wangfg")
    assert len(sv.case_list.ids(CaseFilter(), "accepted_on", True)) == 2


def test_a_case_of_no_unit_joins_its_handler_s_unit_when_the_account_comes(
    sv: Services, ids: dict
) -> None:
    """张法官 had no account when N was registered; once he has one (民一庭), N is 民一庭's in
    the lists as it is for opening it."""
    sign_in(sv, "admin")
    sv.accounts.create_user(UserDraft("zhangfg", "张法官", CIVIL_1, frozenset({HANDLER})), PW)
    sign_in(sv, "lifg")
    shown = set(sv.case_list.ids(CaseFilter(), "accepted_on", True))
    assert shown == {uuid.UUID(ids[k]).hex for k in ("C", "N")}
    assert sv.cases.get(ids["N"]).unit == ""  # the case itself keeps no unit until assigned


# -- scopes, as the store takes them -----------------------------------------------------------
# fmt: off
SCOPES: list[tuple[str, CaseScope, set[str]]] = [
    ("everything", EVERYTHING, {"A", "C", "N", "L"}),
    ("nothing", NOTHING, set()),
    ("民二庭", unit_scope(CIVIL_2), {"A", "L"}),
    ("民一庭", unit_scope(CIVIL_1), {"C"}),
    ("no unit", unit_scope(""), set()),
    ("own: 王法官", own_scope("王法官", "wangfg"), {"A", "L"}),  # OWN: the cases one handles
    ("own: 张法官", own_scope("张法官"), {"N"}),
    ("own: nobody", own_scope("", ""), set()),
]
# fmt: on


@pytest.mark.parametrize(("name", "scope", "visible"), SCOPES)
def test_store_lists_keep_the_scope_s_cases(
    sv: Services, ids: dict, name: str, scope: CaseScope, visible: set[str]
) -> None:
    from casedesk.services.suggestions_views import ledger_rows
    from casedesk.store.deadline_board import count_open_after, open_deadlines

    with sv.db.engine.connect() as conn:
        keys = case_list.ordered_keys(conn, CaseFilter(), "accepted_on", True, scope)
        assert set(case_list.ids_of(conn, keys)) == {uuid.UUID(ids[k]).hex for k in visible}
        assert {r.case_number for r in open_deadlines(conn, scope=scope)} == _numbers(ids, visible)
        assert count_open_after(conn, TODAY, scope=scope) == len(visible)
    with sv.db.session() as s:
        assert {r.case_number for r in ledger_rows(s, TODAY, scope=scope)} == _numbers(ids, visible)


def test_read_scope_follows_the_permission_table(sv: Services) -> None:
    assert read_scope(sv.identity) == EVERYTHING  # the system
    for login, expected in (("liuyz", EVERYTHING), ("chentz", unit_scope(CIVIL_2)),
                            ("sunfg", NOTHING), ("admin", NOTHING)):  # fmt: skip
        sign_in(sv, login)
        assert read_scope(sv.identity) == expected, login


# -- interchange (docs/interchange.md §6.12) ---------------------------------------------------
def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, lines: list[dict]) -> Path:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return path


def test_export_writes_the_unit_and_import_keeps_it_or_takes_the_handler_s(
    sv: Services, template_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cases.jsonl"
    assert export_cases(sv.db, out) == len(CASES)
    header, *cases = _lines(out)
    assert {c["case_number"]: c["unit"] for c in cases} == {
        f"（2025）新01民初{n}号": "" if key == "L" else unit
        for n, (key, (_handler, unit)) in enumerate(CASES.items(), start=1)
    }
    # another court, where 王法官 sits in the 民三庭
    fresh = Services.open(backup_sqlite(template_db, tmp_path / "fresh.sqlite3"), "测试员")
    try:
        fresh.accounts.create_first_admin(UserDraft("admin", "系统管理员", "办公室"), PW)
        fresh.accounts.sign_in("admin", PW)
        fresh.accounts.create_user(
            UserDraft("wangfg", "王法官", "民三庭", frozenset({HANDLER})), PW
        )
        fresh.accounts.sign_out()
        by_number = {c["case_number"]: c for c in cases}
        del by_number["（2025）新01民初4号"]["unit"]  # L, as a file from before the key
        by_number["（2025）新01民初3号"]["unit"] = None  # N: null reads as missing
        report = import_cases(fresh.db, "导入员", _write(tmp_path / "in.jsonl", [header, *cases]))
        assert report.ok, report.errors
        with fresh.db.session() as s:
            units = dict(s.execute(select(Case.case_number, Case.unit)).all())
        assert units == {
            "（2025）新01民初1号": CIVIL_2,  # as in the file, though 王法官 is 民三庭's here
            "（2025）新01民初2号": CIVIL_1,
            "（2025）新01民初3号": "",  # no unit in the file, no account for 张法官
            "（2025）新01民初4号": "民三庭",  # no unit in the file: 王法官's account's
        }
        again = tmp_path / "again.jsonl"
        export_cases(fresh.db, again)
        assert [c["unit"] for c in _lines(again)[1:]] == [CIVIL_2, CIVIL_1, "", "民三庭"]
    finally:
        fresh.close()


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        (3, "unit：应为文本，实为"),
        ("民" * 101, "unit：所属部门过长（最多100个字"),
        ("民二庭\x00", "unit：所属部门含有不可见的控制字符"),
    ],
)
def test_import_refuses_a_bad_unit_and_writes_nothing(
    sv: Services, template_db: Path, tmp_path: Path, unit: object, message: str
) -> None:
    out = tmp_path / "cases.jsonl"
    export_cases(sv.db, out)
    header, first, *_rest = _lines(out)
    first["unit"] = unit
    fresh = Services.open(backup_sqlite(template_db, tmp_path / "fresh.sqlite3"), "测试员")
    try:
        report = import_cases(
            fresh.db, "导入员", _write(tmp_path / "bad.jsonl", [header | {"cases": 1}, first])
        )
        assert not report.ok
        assert any(message in str(e) for e in report.errors), report.errors
        assert fresh.case_list.total() == 0
    finally:
        fresh.close()


# -- migration 0010 --------------------------------------------------------------------------
def test_migration_gives_existing_cases_no_unit_and_keeps_their_records(tmp_path: Path) -> None:
    """A 0009 database: the column comes with ADD COLUMN (no rebuild of case_file, whose
    children a rebuild with foreign keys on would delete: stack.md pitfall 11), every case gets
    "", and a case of no unit is its handler's account's."""
    path = tmp_path / "old.sqlite3"
    engine = create_sqlite_engine(path)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    migrate.upgrade(engine, "0009")
    case_id, event_id = uuid.uuid4().hex, uuid.uuid4().hex
    stamp = "2025-03-01 02:00:00.000000"
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO case_file (id, list_key, case_number, year, court_code, type_code, "
            "sequence, family, procedure, cause, handler, accepted_on, stage, notes, "
            "parties_summary, created_at, updated_at, version) "
            "VALUES (?, 1, ?, 2025, '新01', '民初', 1, '民事', '一审普通程序', '买卖合同纠纷', "
            "'王法官', '2025-03-01', '立案审查', '', '', ?, ?, 1)",
            (case_id, "（2025）新01民初1号", stamp, stamp),
        )
        conn.exec_driver_sql(
            "INSERT INTO case_event (id, case_id, occurred_on, kind, stage, note, created_at, "
            "created_by) VALUES (?, ?, '2025-03-01', 'stage', '立案审查', '收案', ?, '书记员')",
            (event_id, case_id, stamp),
        )
    engine.dispose()
    db = open_database(path, backup_dir=tmp_path / "backups")  # backs up, then upgrades
    try:
        with db.engine.connect() as conn:
            assert conn.scalar(text("SELECT unit FROM case_file")) == ""
            assert conn.scalar(text("SELECT count(*) FROM case_event")) == 1  # children kept
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            indexes = {r[1] for r in conn.exec_driver_sql("PRAGMA index_list(case_file)")}
            assert {"ix_case_unit", "ix_case_unit_id"} <= indexes
        sv = Services(db, "测试员")
        sv.accounts.create_first_admin(UserDraft("admin", "系统管理员", "办公室"), PW)
        sv.accounts.sign_in("admin", PW)
        sv.accounts.create_user(UserDraft("wangfg", "王法官", CIVIL_2, frozenset({HEAD})), PW)
        sign_in(sv, "wangfg")  # the case is his account's unit's, in the list and when opened
        assert sv.case_list.ids(CaseFilter(), "accepted_on", True) == [case_id]
        assert sv.cases.get(case_id).unit == ""
    finally:
        db.close()
    engine = create_sqlite_engine(path)  # down (the column and indexes go) and up again
    cfg = Config()
    cfg.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0009")
            conn.commit()
            names = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(case_file)")}
            assert "unit" not in names
            assert conn.exec_driver_sql("SELECT count(*) FROM case_event").scalar() == 1
        migrate.upgrade(engine)
    finally:
        engine.dispose()
