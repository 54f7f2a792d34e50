"""Demo data: valid identifiers and consistent cases, readable and searchable through the
services, with the deadlines the services compute, the same for the same seed, refused on a
database that already has cases."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from casedesk.cli.main import main
from casedesk.domain.deadline_rules import TRIGGERS, default_rule_map
from casedesk.domain.deadlines import LATER, OVERDUE, WITHIN_3
from casedesk.domain.identifiers import (
    validate_case_number,
    validate_credit_code,
    validate_id_number,
)
from casedesk.domain.vocabulary import (
    CLOSED_STAGES,
    OWNERSHIPS,
    PARTY_ROLES,
    SIZES,
    procedures_for,
    stages_for,
)
from casedesk.services.app import Services
from casedesk.services.base import court_codes, type_codes
from casedesk.services.case_summary import party_summary
from casedesk.services.deadline_sync import load_context, recompute, sync_case_deadlines
from casedesk.services.demo import DemoSummary, generate_demo
from casedesk.services.errors import ServiceError
from casedesk.services.lists import CaseFilter
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store.backup import backup_sqlite
from casedesk.store.database import open_database
from casedesk.store.models import Case, Deadline
from casedesk.store.search import case_search_texts

CASES = 300
TODAY = date.today()


@pytest.fixture
def demo(services: Services) -> DemoSummary:
    return generate_demo(services.db, CASES, seed=7, today=TODAY)


def _rows(path: Path, sql: str, params: tuple | dict = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _count(path: Path, table: str) -> int:
    return _rows(path, f"SELECT count(*) FROM {table}")[0][0]


def test_summary_matches_the_tables_and_the_database_is_sound(
    services: Services, demo: DemoSummary
) -> None:
    path = services.path
    assert demo.cases == CASES == _count(path, "case_file")
    assert demo.enterprises == _count(path, "enterprise")
    assert demo.persons == _count(path, "person")
    assert demo.parties == _count(path, "case_party")
    assert demo.events == _count(path, "case_event")
    assert demo.deadlines == _count(path, "deadline")
    assert _count(path, "case_search") == CASES
    assert _rows(path, "SELECT count(*), min(actor), max(actor) FROM audit_record") == [
        (CASES, "演示数据", "演示数据")
    ]
    # plausible proportions: ~3 parties, ~10 events per case, enterprises reused
    assert 2.3 < demo.parties / CASES < 3.6
    assert 7 < demo.events / CASES < 13
    assert demo.enterprises < 0.6 * CASES
    assert _rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(path, "PRAGMA foreign_key_check") == []


def test_identifiers_validate_against_the_code_tables(
    services: Services, demo: DemoSummary
) -> None:
    with services.db.session() as s:
        types, courts = type_codes(s), court_codes(s)
    sequences = defaultdict(list)
    for number, year, court, type_code, sequence, accepted in _rows(
        services.path,
        "SELECT case_number, year, court_code, type_code, sequence, accepted_on FROM case_file",
    ):
        result = validate_case_number(number, types, courts, TODAY)
        assert result.valid and not result.warnings, (number, result.errors, result.warnings)
        assert result.normalized == number
        parts = result.parts
        assert (parts["year"], parts["court_code"], parts["type_code"], parts["sequence"]) == (
            year, court, type_code, sequence,
        )  # fmt: skip
        assert year == int(accepted[:4]) and court.startswith("新")
        sequences[year, court, type_code].append(sequence)
    for numbers in sequences.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))

    codes = _rows(services.path, "SELECT credit_code, ownership, size FROM enterprise")
    for code, ownership, size in codes:
        result = validate_credit_code(code)
        assert result.valid and not result.warnings, (code, result.errors, result.warnings)
        assert result.parts["region_code"].startswith("65")
        assert ownership in (*OWNERSHIPS, None) and size in (*SIZES, None)
    assert sum(code.startswith("91") for code, _o, _s in codes) > len(codes) / 2

    people = _rows(services.path, "SELECT id_number FROM person")
    numbers = [n for (n,) in people if n]
    assert 0 < len(numbers) < len(people)  # some persons have no known ID number
    for number in numbers:
        result = validate_id_number(number, TODAY)
        assert result.valid, (number, result.errors)
        assert number.startswith("65")
        assert 1930 < int(number[6:10]) <= TODAY.year - 19


def test_cases_are_consistent_with_their_timeline_parties_and_search_text(
    services: Services, demo: DemoSummary
) -> None:
    path = services.path
    events = defaultdict(list)
    for case_id, day, stage, note, created in _rows(
        path,
        "SELECT case_id, occurred_on, stage, note, created_at FROM case_event "
        "WHERE kind = 'stage' ORDER BY occurred_on, created_at",
    ):
        events[case_id].append((day, stage, note, created))
    names = defaultdict(list)
    for case_id, role, name in _rows(
        path,
        "SELECT p.case_id, p.role, coalesce(e.name, n.name) FROM case_party p "
        "LEFT JOIN enterprise e ON e.id = p.enterprise_id "
        "LEFT JOIN person n ON n.id = p.person_id ORDER BY p.case_id, p.position",
    ):
        assert role in PARTY_ROLES
        names[case_id].append(name)
    cases = _rows(
        path,
        "SELECT id, family, procedure, accepted_on, closed_on, stage, parties_summary, version, "
        "amount_fen FROM case_file",
    )
    earliest = date(TODAY.year - 10, TODAY.month, 1).isoformat()
    for case_id, family, procedure, accepted, closed, stage, summary, version, amount in cases:
        timeline = events[case_id]
        assert earliest <= accepted <= TODAY.isoformat() and version == 1
        assert procedure in procedures_for(family)
        assert timeline[0][:3] == (accepted, timeline[0][1], "收案")
        assert all(accepted <= day <= TODAY.isoformat() for day, *_ in timeline)
        order = [stages_for(family).index(s) for _d, s, _n, _c in timeline]
        assert order == sorted(order), timeline
        assert stage == timeline[-1][1]
        first_closed = next((d for d, s, _n, _c in timeline if s in CLOSED_STAGES), None)
        assert closed == first_closed
        assert summary == party_summary(names[case_id])
        assert amount is None or 0 < amount <= 200_000_000 * 100
    assert sum(closed is not None for _i, _f, _p, _a, closed, *_ in cases) > CASES / 2
    with services.db.session() as s:  # the search text the services would have written
        texts = case_search_texts(s, [uuid.UUID(case_id) for case_id, *_ in cases])
    stored = dict(_rows(path, "SELECT list_key, text FROM case_search"))
    assert texts == stored


def test_services_read_and_edit_demo_cases(services: Services, demo: DemoSummary) -> None:
    ids = services.case_list.ids(CaseFilter(), "accepted_on", True)
    assert len(ids) == CASES
    details = [services.cases.get(case_id) for case_id in ids[::10]]
    for detail in details:
        assert detail.parties and detail.events and detail.version == 1
        assert detail.court_name and detail.type_name
        assert all(p.name and p.kind in ("enterprise", "person") for p in detail.parties)
        history = services.cases.history(detail.id)
        assert [(h.action, h.actor, h.label) for h in history] == [
            ("create", "演示数据", detail.case_number)
        ]
        changes = {key: new for key, _label, _old, new in history[0].changes}
        assert changes["case_number"] == detail.case_number
        assert changes["stage"] == detail.stage and changes.get("tags", []) == list(detail.tags)
    assert sum(bool(d.tags) for d in details) > len(details) / 2
    assert any(p.kind == "enterprise" for d in details for p in d.parties)
    keys = services.case_list.keys(CaseFilter(), "accepted_on", True)[:50]
    rows = services.case_list.rows(keys)
    assert all(rows[k].parties_summary for k in keys)

    detail = details[0]  # the optimistic-lock version and the stored values round-trip
    services.cases.update(detail.id, replace(detail.to_draft(), notes="演示备注"), detail.version)
    assert services.cases.get(detail.id).notes == "演示备注"
    assert services.cases.get(detail.id).version == 2


@pytest.fixture(scope="module")
def large(template_db: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A larger demo database, shared read-only by the tests that look at proportions."""
    path = backup_sqlite(template_db, tmp_path_factory.mktemp("large") / "demo.sqlite3")
    sv = Services.open(path, "测试员")
    generate_demo(sv.db, 4000, seed=11, today=TODAY)
    yield sv
    sv.close()


def test_demo_deadlines_are_what_the_services_compute(
    services: Services, demo: DemoSummary
) -> None:
    """Recomputing moves no last day and changes no step; keeping each case's acceptance periods
    in line (as saving a case does) creates, meets or cancels nothing."""
    with UnitOfWork(services.db, "检查") as uow:
        s, ctx = uow.session, load_context(uow)
        rows = s.scalars(select(Deadline)).all()
        assert len(rows) == demo.deadlines > CASES / 2
        stored = [(r.due_on, r.due_at, r.steps, r.warnings) for r in rows]
        assert not any(recompute(uow, ctx, row) for row in rows)
        assert [(r.due_on, r.due_at, r.steps, r.warnings) for r in rows] == stored
        for case in s.scalars(select(Case)):
            sync_case_deadlines(uow, case, ctx)
        assert not s.new and not any(s.is_modified(o) for o in s.dirty)


DEADLINE_COLUMNS = (
    "case_id, rule_id, trigger, source_event_id, start_on, custody, extensions_used, "
    "extension_log, suspensions, status, closed_on, close_note, created_at, created_by, "
    "updated_at, version"
)


def test_demo_deadlines_fit_their_cases_and_trigger_events(
    services: Services, demo: DemoSummary
) -> None:
    path, rules, today = services.path, default_rule_map(), TODAY.isoformat()
    sql = "SELECT id, family, procedure, accepted_on, closed_on, created_at FROM case_file"
    cases = {r[0]: r[1:] for r in _rows(path, sql)}
    sql = "SELECT id, case_id, occurred_on, kind, trigger, created_at FROM case_event"
    events = {r[0]: r[1:] for r in _rows(path, sql)}
    for row in _rows(path, f"SELECT {DEADLINE_COLUMNS} FROM deadline"):
        case_id, rule_id, trigger, event_id, start, custody, used, log, pauses, *rest = row
        status, closed_on, note, created, by, updated, version = rest
        rule, (family, procedure, accepted, closed, case_created) = rules[rule_id], cases[case_id]
        assert rule.trigger == trigger and rule.applies_to(family, procedure)
        assert (custody, by, version) == (rule.custody, "演示数据", 1) and created <= updated
        if trigger == "accepted":  # as sync_case_deadlines keeps them
            assert (event_id, start, created) == (None, accepted, case_created)
            expected = ("met", closed, "已结案") if closed else ("open", None, "")
            assert (status, closed_on, note) == expected
        else:
            assert events[event_id] == (case_id, start, "trigger", trigger, created)
        assert accepted <= start <= today
        extensions = json.loads(log)
        assert len(extensions) == used <= len(rule.extensions)
        assert all(start <= e["approved_on"] <= today for e in extensions)
        for entry in json.loads(pauses):
            assert 30 <= entry["days"] <= 60 and entry["reason"] in ("公告期间", "鉴定期间")
        assert status in ("met", "open") and (status == "met") == (closed_on is not None)
        assert closed_on is None or start <= closed_on <= today


def test_demo_deadlines_look_like_a_court_s(large: Services) -> None:
    """Most periods met; a share of the open ones extended or suspended, some overdue; trigger
    events of every kind, custody clocks among them."""
    path = large.path
    sql = "SELECT trigger, count(*) FROM case_event WHERE kind = 'trigger' GROUP BY trigger"
    kinds = dict(_rows(path, sql))
    assert set(kinds) == {
        "detained", "arrest_requested", "arrested", "prosecution_received",
        "returned_for_investigation", "bail_decided", "complaint_filed", "suggestion_served",
    }  # fmt: skip
    stats = {}
    for from_acceptance, status, *counts in _rows(
        path,
        "SELECT trigger = 'accepted', status, count(*), sum(extensions_used > 0), "
        "sum(suspensions != '[]'), sum(custody), sum(start_on >= :year_ago), "
        "sum(start_on >= :year_ago AND due_on < :today) FROM deadline GROUP BY 1, 2",
        {"today": TODAY.isoformat(), "year_ago": (TODAY - timedelta(days=365)).isoformat()},
    ):
        names = ("all", "extended", "suspended", "custody", "recent", "recent_past")
        stats[bool(from_acceptance), status] = dict(zip(names, counts, strict=True))
    met, running = stats[True, "met"], stats[True, "open"]
    assert met["all"] > 5 * running["all"] and running["extended"] and running["suspended"]
    # cases left open for years are long overdue; of the recent ones only a few are
    assert 0 < running["recent_past"] < running["recent"] / 4
    met, running = stats[False, "met"], stats[False, "open"]
    assert met["all"] > 5 * running["all"] > 0 and met["extended"] and met["custody"]


def test_board_and_case_deadlines_on_demo_data(large: Services) -> None:
    board = large.deadlines.board()
    assert board.items and board.counts[OVERDUE] and board.counts[LATER]
    assert all(i.band != LATER for i in board.items)
    assert [i.due_on for i in board.items] == sorted(i.due_on for i in board.items)
    everything = large.deadlines.board(everything=True)
    assert len(everything.items) == sum(board.counts.values())
    # as of two days before the next last day, that deadline is due soon
    ahead = min(i.due_on for i in everything.items if i.due_on > TODAY)
    soon = large.deadlines.board(as_of=ahead - timedelta(days=2))
    assert soon.counts[WITHIN_3] and soon.counts[OVERDUE] and soon.counts[LATER]

    case_ids = {i.case_id for i in everything.items[::50]}
    sql = "SELECT case_id FROM deadline WHERE custody AND status = 'met' LIMIT 5"
    case_ids |= {case_id for (case_id,) in _rows(large.path, sql)}
    for case_id in case_ids:
        views = large.deadlines.for_case(case_id)
        sql = "SELECT count(*) FROM deadline WHERE case_id = ?"
        assert len(views) == _rows(large.path, sql, (case_id,))[0][0]
        statuses = [v.status for v in views]
        assert statuses == sorted(statuses, key=lambda status: status != "open")
        assert all(v.steps and v.name != v.rule_id and v.source for v in views)
        assert all(bool(v.band) == (v.status == "open") for v in views)


def test_trigger_events_show_on_the_timeline_and_demo_deadlines_can_be_acted_on(
    services: Services, demo: DemoSummary
) -> None:
    sql = "SELECT case_id, trigger, occurred_on FROM case_event WHERE kind = 'trigger' LIMIT 20"
    triggered = _rows(services.path, sql)
    assert triggered
    for case_id, trigger, day in triggered:
        events = services.cases.get(case_id).events
        shown = [e for e in events if e.kind == "trigger" and e.stage == TRIGGERS[trigger]]
        assert any(e.occurred_on.isoformat() == day and e.created_by == "演示数据" for e in shown)
        assert events[0].kind == "stage" and events[0].note == "收案"
    sql = "SELECT id FROM deadline WHERE status = 'open' ORDER BY id LIMIT 2"
    (first,), (second,) = _rows(services.path, sql)
    services.deadlines.suspend(first, 30, "公告期间")
    services.deadlines.meet(second, TODAY, "已办结")
    sql = "SELECT version, status FROM deadline WHERE id IN (?, ?) ORDER BY id"
    assert _rows(services.path, sql, (first, second)) == [(2, "open"), (2, "met")]


def test_search_finds_demo_parties_and_credit_codes(services: Services, demo: DemoSummary) -> None:
    path = services.path
    han = _rows(
        path,
        "SELECT p.case_id, n.name FROM case_party p JOIN person n ON n.id = p.person_id "
        "WHERE length(n.name) = 3 AND instr(n.name, '·') = 0 ORDER BY p.case_id LIMIT 1",
    )
    case_id, name = han[0]
    code_case, code = _rows(
        path,
        "SELECT p.case_id, e.credit_code FROM case_party p JOIN enterprise e "
        "ON e.id = p.enterprise_id ORDER BY p.case_id LIMIT 1",
    )[0]
    for query, expected in ((name[0], case_id), (name[:2], case_id), (name, case_id),
                            (code[:10], code_case), (code.lower(), code_case)):  # fmt: skip
        found = services.case_list.ids(CaseFilter(search=query), "accepted_on", True)
        assert expected in found, query
    # an enterprise, and a Uyghur or Kazakh name typed as written (买买提·艾力)
    names = _rows(
        path,
        "SELECT * FROM (SELECT name FROM enterprise WHERE name LIKE '%有限公司' LIMIT 1) "
        "UNION ALL SELECT * FROM (SELECT name FROM person WHERE instr(name, '·') > 0 LIMIT 1)",
    )
    assert len(names) == 2
    for (name,) in names:
        assert services.case_list.ids(CaseFilter(search=name), "accepted_on", True), name


def test_same_seed_same_data_and_another_seed_other_data(template_db: Path, tmp_path: Path) -> None:
    def dump(seed: int, name: str) -> list:
        path = backup_sqlite(template_db, tmp_path / name)
        db = open_database(path)
        try:
            generate_demo(db, 80, seed=seed, today=TODAY)
        finally:
            db.close()
        return [
            _rows(path, f"SELECT * FROM {table} ORDER BY 1")
            for table in ("case_file", "enterprise", "person", "case_party", "case_tag",
                          "case_search")
        ] + [
            _rows(path, "SELECT id, case_id, occurred_on, kind, trigger, stage, note "
                        "FROM case_event ORDER BY 1"),
            _rows(path, "SELECT id, case_id, rule_id, source_event_id, subject, start_on, "
                        "extension_log, suspensions, due_on, steps, status, closed_on, close_note "
                        "FROM deadline ORDER BY 1"),
            _rows(path, "SELECT entity_id, label, changes FROM audit_record ORDER BY 1"),
        ]  # fmt: skip

    first, again, other = dump(3, "a.sqlite3"), dump(3, "b.sqlite3"), dump(4, "c.sqlite3")
    without_times = [[r[:16] for r in first[0]], [r[:10] for r in first[1]], *first[3:]]
    assert without_times == [[r[:16] for r in again[0]], [r[:10] for r in again[1]], *again[3:]]
    assert [r[:5] for r in first[2]] == [r[:5] for r in again[2]]
    assert [r[1] for r in first[0]] != [r[1] for r in other[0]]
    assert {r[2] for r in first[1]}.isdisjoint({r[2] for r in other[1]})


def test_refused_on_a_database_with_cases_and_nothing_changes(
    services: Services, demo: DemoSummary
) -> None:
    path = services.path
    tables = ("case_file", "enterprise", "person", "case_party", "case_event", "audit_record")
    before = [_count(path, t) for t in tables]
    with pytest.raises(ServiceError, match="数据库中已有案件，演示数据只能写入空数据库"):
        generate_demo(services.db, 10, seed=99)
    assert [_count(path, t) for t in tables] == before


def test_cli_demo_command(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--cases", "40", "--db", str(db_path), "--seed", "2"]) == 0
    captured = capsys.readouterr()
    assert "40 件案件" in captured.out and "已生成 40/40 件案件" in captured.err
    assert _count(db_path, "case_file") == 40

    assert main(["demo", "--cases", "5", "--db", str(db_path)]) == 2
    assert "错误：数据库中已有案件，演示数据只能写入空数据库" in capsys.readouterr().err
    assert _count(db_path, "case_file") == 40

    not_a_database = db_path.with_name("notes.txt")
    not_a_database.write_text("不是数据库", encoding="utf-8")
    assert main(["demo", "--cases", "5", "--db", str(not_a_database)]) == 2
    assert "不是 CaseDesk 数据库" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["demo", "--cases", "0", "--db", str(db_path)])


def test_no_subject_appears_twice_in_a_case(large: Services) -> None:
    """Regression: an administrative organ could be drawn twice as 被告 of one case, which the
    import (rightly) refuses."""
    with large.db.session() as s:
        twice = s.execute(
            text(
                "SELECT count(*) FROM (SELECT case_id, coalesce(enterprise_id, person_id) AS who "
                "FROM case_party GROUP BY case_id, who HAVING count(*) > 1)"
            )
        ).scalar()
    assert twice == 0
