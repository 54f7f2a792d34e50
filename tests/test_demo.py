"""Demo data: valid identifiers and consistent cases, readable and searchable through the
services, with the deadlines the services compute, the same for the same seed, refused on a
database that already has cases."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import select, text

from casedesk.cli.main import main
from casedesk.domain import credit_list as cl
from casedesk.domain import enforcement as en
from casedesk.domain.deadline_rules import (
    MEASURE_TRIGGERS,
    PAGE_TRIGGERS,
    TRIGGERS,
    default_rule_map,
)
from casedesk.domain.deadlines import ENDS_ON_TRIGGER, LATER, OVERDUE, WITHIN_3
from casedesk.domain.identifiers import (
    validate_case_number,
    validate_credit_code,
    validate_id_number,
)
from casedesk.domain.measures import (
    CUSTODY_KINDS,
    END_REASONS,
    ORGAN_KINDS,
    PERSONAL_CLOCKS,
    PERSONAL_KINDS,
    RECOMMENDATIONS,
    REVIEW_CONCLUSIONS,
    REVIEW_METHODS,
    REVIEW_TRIGGERS,
    lapses,
    property_term_rule,
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
from casedesk.services.demo import DemoSummary, generate_demo, names
from casedesk.services.demo.cases import court_costs
from casedesk.services.demo.names import Cause
from casedesk.services.errors import ServiceError
from casedesk.services.lists import CaseFilter
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store.backup import backup_sqlite
from casedesk.store.bulk import COLUMNS
from casedesk.store.database import open_database
from casedesk.store.models import Case, Deadline
from casedesk.store.search import case_search_texts

CASES = 300
TODAY = date.today()
LAPSED = "期限届满未续行，措施已自动失效"
MEASURE_TABLES = (
    "property_measure", "personal_measure", "custody_review", "stalled_supervision",
    "compliance_case", "suggestion",
)  # fmt: skip
#: Tables of enforcement and the credit list, one create record per row (as the service writes).
ENFORCEMENT_TABLES = (
    "enforcement_record", "enforcement_payment", "enforcement_action", "dishonest_listing",
    "spending_ban",
)  # fmt: skip


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
    assert demo.measures == _count(path, "property_measure") + _count(path, "personal_measure")
    # one create record per case, measure, review and supervision, as the services write them
    audited = dict(_rows(path, "SELECT entity_type, count(*) FROM audit_record GROUP BY 1"))
    assert audited == {
        "case": CASES,
        **{t: _count(path, t) for t in MEASURE_TABLES + ENFORCEMENT_TABLES if _count(path, t)},
    }
    sql = "SELECT DISTINCT actor, action FROM audit_record"
    assert _rows(path, sql) == [("演示数据", "create")]
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
        assert {(h.action, h.actor) for h in history} == {("create", "演示数据")}
        (created,) = [h for h in history if (h.entity, h.label) == ("案件", detail.case_number)]
        assert len(history) == 1 + sum(  # and one per measure, enforcement row and listing
            _rows(services.path, f"SELECT count(*) FROM {t} WHERE case_id = ?", (detail.id,))[0][0]
            for t in (*MEASURE_TABLES, "enforcement_record", "dishonest_listing", "spending_ban")
        ) + sum(
            _rows(
                services.path,
                f"SELECT count(*) FROM {t} x JOIN enforcement_record r "
                "ON r.id = x.record_id WHERE r.case_id = ?",
                (detail.id,),
            )[0][0]
            for t in ("enforcement_payment", "enforcement_action")
        )
        changes = {key: new for key, _label, _old, new in created.changes}
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
    "updated_at, version, coalesce(property_measure_id, personal_measure_id, custody_review_id), "
    "round"
)


def test_demo_deadlines_fit_their_cases_and_trigger_events(
    services: Services, demo: DemoSummary
) -> None:
    path, rules, today = services.path, default_rule_map(), TODAY.isoformat()
    sql = "SELECT id, family, procedure, accepted_on, closed_on, created_at FROM case_file"
    cases = {r[0]: r[1:] for r in _rows(path, sql)}
    sql = "SELECT id, case_id, occurred_on, kind, trigger, created_at FROM case_event"
    events = {r[0]: r[1:] for r in _rows(path, sql)}
    compliance_clocks = {r[0] for r in _rows(path, "SELECT deadline_id FROM compliance_clock")}
    suggestion_clocks = {r[0] for r in _rows(path, "SELECT reply_deadline_id FROM suggestion")}
    listing_clocks = {  # a credit listing's clocks: grace period, term, deletion
        d for row in _rows(path, "SELECT grace_deadline_id, term_deadline_id, "
                                 "delete_deadline_id FROM dishonest_listing") for d in row if d
    }  # fmt: skip
    performed = dict(_rows(path, "SELECT case_id, performed_on FROM enforcement_record "
                                 "WHERE performed_on IS NOT NULL"))  # fmt: skip
    terminated = dict(_rows(path, "SELECT case_id, terminated_on FROM enforcement_record "
                                  "WHERE terminated_on IS NOT NULL"))  # fmt: skip
    searches = set(_rows(path, "SELECT r.case_id, a.taken_on FROM enforcement_action a JOIN "
                               "enforcement_record r ON r.id = a.record_id WHERE a.kind = ?",
                         (en.FOLLOWUP_ACTION,)))  # fmt: skip
    assert listing_clocks and performed and terminated
    for deadline_id, *row in _rows(path, f"SELECT id, {DEADLINE_COLUMNS} FROM deadline"):
        case_id, rule_id, trigger, event_id, start, custody, used, log, pauses, *rest = row
        status, closed_on, note, created, by, updated, version, measure, round_ = rest
        rule, (family, procedure, accepted, closed, case_created) = rules[rule_id], cases[case_id]
        # another deletion ground than performance starts the same clock (失信规定 第10条)
        assert rule.trigger == trigger or (rule_id, trigger) == (en.DELETE_RULE,
                                                                en.DELETION_GROUND)  # fmt: skip
        assert rule.applies_to(family, procedure)
        assert (custody, by, version) == (rule.custody, "演示数据", 1) and created <= updated
        if trigger == "accepted":  # as sync_case_deadlines keeps them
            assert (event_id, start, created) == (None, accepted, case_created)
            if case_id in performed:  # performance meets the 执行期限 (ENDS_ON_TRIGGER)
                why = dict(ENDS_ON_TRIGGER[en.PERFORMED])[rule_id]
                expected = ("met", performed[case_id], why)
            else:
                expected = ("met", closed, "已结案") if closed else ("open", None, "")
            assert (status, closed_on, note) == expected
        elif rule_id == en.FOLLOWUP_RULE:  # after 终本: from its entry, then from each search
            assert terminated[case_id] <= start and (status == "open" or (case_id, closed_on)
                                                     in searches)  # fmt: skip
            if round_ == 1:
                assert events[event_id] == (case_id, start, "stage", None, created)
                assert start == terminated[case_id]
            else:
                assert event_id is None and (case_id, start) in searches
        elif event_id is None:  # a measure's, review's, compliance case's, listing's, 建议书's
            linked = measure is not None or deadline_id in (
                compliance_clocks | listing_clocks | suggestion_clocks
            )
            assert trigger in PAGE_TRIGGERS and linked, row
        else:  # a trigger on the timeline; a personal measure's is recorded through the measure
            assert events[event_id] == (case_id, start, "trigger", trigger, created)
            assert (measure is not None) == (trigger in MEASURE_TRIGGERS)
            assert trigger not in PAGE_TRIGGERS or measure is not None or (
                deadline_id in listing_clocks)  # fmt: skip
        # a renewal decided before the term ran out counts from that term's last day
        assert (
            accepted
            <= start
            <= (
                today
                if round_ == 1 or trigger != rule.trigger or not rule_id.startswith("property.")
                else "9999"
            )
        )
        extensions = json.loads(log)
        assert len(extensions) == used <= len(rule.extensions)
        assert all(start <= e["approved_on"] <= today for e in extensions)
        for entry in json.loads(pauses):
            assert 30 <= entry["days"] <= 60 and entry["reason"] in ("公告期间", "鉴定期间")
        assert status in ("met", "open", "cancelled")
        assert (status != "open") == (closed_on is not None)
        assert closed_on is None or start <= closed_on <= today


def test_demo_deadlines_look_like_a_court_s(large: Services) -> None:
    """Most periods met; a share of the open ones extended or suspended, some overdue; trigger
    events of every kind, custody clocks among them."""
    path = large.path
    sql = "SELECT trigger, count(*) FROM case_event WHERE kind = 'trigger' GROUP BY trigger"
    kinds = dict(_rows(path, sql))
    # the case's own triggers, and the entries the personal measures put on the timeline (the
    # property measures and reviews put none)
    personal = {trigger for trigger, _rule in PERSONAL_CLOCKS.values()} | {"arrest_requested"}
    assert set(kinds) - personal == {
        "prosecution_received", "returned_for_investigation", "complaint_filed", "performed",
    }  # fmt: skip
    assert {"detained", "arrest_requested", "arrested", "bail_decided"} <= set(kinds)
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
    leads = {r.id: max(r.reminders, default=0) for r in default_rule_map().values()}
    # further off than a week only when the rule's reminder lead time has come (续行 30 days)
    assert all(i.band != LATER or i.days_left <= leads[i.rule_id] for i in board.items)
    assert any(i.band == LATER for i in board.items)
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


def _untimed(table: str) -> str:
    """The columns of ``table`` without creation and change times."""
    return ", ".join(c for c in COLUMNS[table] if c not in ("created_at", "updated_at"))


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
        ] + [  # enforcement and the credit list, without their creation times
            _rows(path, f"SELECT {_untimed(table)} FROM {table} ORDER BY 1")
            for table in ENFORCEMENT_TABLES
        ] + [  # the measures, without their creation times (those of today are the clock's)
            _rows(path, f"SELECT {_untimed(table)} FROM {table} ORDER BY 1")
            for table in ("property_measure", "property_renewal", "property_release",
                          "personal_measure", "custody_review", "stalled_supervision")
        ]  # fmt: skip

    first, again, other = dump(3, "a.sqlite3"), dump(3, "b.sqlite3"), dump(4, "c.sqlite3")
    without_times = [[r[:17] for r in first[0]], [r[:10] for r in first[1]], *first[3:]]
    assert without_times == [[r[:17] for r in again[0]], [r[:10] for r in again[1]], *again[3:]]
    assert all(first[-6:-1])  # measures of each kind, even on 80 cases
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


# -- compulsory measures ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def measured(template_db: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Demo data rich in criminal cases (and enforcement and commercial ones), shared read-only
    by the measure tests."""
    path = backup_sqlite(template_db, tmp_path_factory.mktemp("measured") / "demo.sqlite3")
    sv = Services.open(path, "测试员")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(names, "FAMILIES", names.weighted("刑事:6 执行:2 商事:2"))
        generate_demo(sv.db, 3000, seed=5, today=TODAY)
    yield sv
    sv.close()


def _by(rows: list[tuple], key: int = 0) -> dict[str, list[tuple]]:
    grouped: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def test_property_measures_their_renewals_releases_and_clocks_fit(measured: Services) -> None:
    """Every measure's clocks link back to it; one term clock per term, each renewal counted
    from the last day of the term before (民诉法解释 第485条; 公安规定 第243条); term_end is the
    current term's last day (None under a review reminder); releases end every clock."""
    path, rules, today = measured.path, default_rule_map(), TODAY.isoformat()
    assert _rows(path, "PRAGMA foreign_key_check") == []
    parties = set(_rows(path, "SELECT case_id, coalesce(enterprise_id, person_id) FROM case_party"))
    clocks = _by(_rows(path, (
        "SELECT property_measure_id, rule_id, round, start_on, due_on, status, closed_on, "
        "close_note, period_spec, case_id, personal_measure_id, custody_review_id, trigger "
        "FROM deadline WHERE property_measure_id IS NOT NULL ORDER BY round, start_on"
    )))  # fmt: skip
    renewals = _by(
        _rows(
            path,
            "SELECT measure_id, seq, decided_on, term_spec, start_on, "
            "term_end, document_no FROM property_renewal ORDER BY seq",
        )
    )
    releases = _by(
        _rows(
            path,
            "SELECT measure_id, released_on, full, value_fen, reason, "
            "document_no FROM property_release ORDER BY released_on",
        )
    )
    measures = _rows(path, (
        "SELECT m.id, m.case_id, c.family, m.kind, m.object_kind, m.organ_kind, m.start_on, "
        "m.term_rule_id, m.term_spec, m.term_end, m.released_on, m.unrelated_on, m.value_fen, "
        "m.released_fen, coalesce(m.owner_enterprise_id, m.owner_person_id), m.owner_name, "
        "m.created_at, m.updated_at, m.version, m.description, m.document_no "
        "FROM property_measure m JOIN case_file c ON c.id = m.case_id"
    ))  # fmt: skip
    assert len(measures) > 500
    for row in measures:
        mid, case_id, family, kind, obj, organ_kind, start, rule_id, spec, term_end, *rest = row
        released, unrelated, _value, released_fen, owner, owner_name, *rest = rest
        created, updated, version, description, document = rest
        assert rule_id == property_term_rule(family, kind, obj, organ_kind)
        assert (case_id, owner) in parties and owner_name and description and document
        assert created <= updated and version == 1 and start <= today
        mine = clocks[mid]
        assert mine and all(c[9] == case_id and c[10] is None and c[11] is None for c in mine)
        terms = [c for c in mine if c[1] == rule_id]
        assert [c[2] for c in terms] == list(range(1, len(terms) + 1)) and terms[0][3] == start
        assert all(c[12] == rules[c[1]].trigger for c in mine)
        opened = [c for c in mine if c[5] == "open"]
        if lapses(rule_id):
            rule = rules[rule_id]
            assert spec and all(c[8] == ("" if spec == rule.period.spec else spec) for c in terms)
            assert term_end == terms[-1][4]  # the current term's last day
            chain = renewals[mid]
            assert (
                [r[1] for r in chain]
                == list(range(1, len(chain) + 1))
                == [c[2] - 1 for c in terms[1:]]
            )
            for before, renewal, after in zip(terms[:-1], chain, terms[1:], strict=True):
                _m, _seq, decided, renewal_spec, renewal_start, renewal_end, doc = renewal
                assert renewal_spec == spec and doc and decided <= before[4]  # before the lapse
                assert renewal_start == before[4] == after[3] and renewal_end == after[4]
                assert before[5:8] == ("met", decided, "已续行")
        else:  # no statutory term: periodic review reminders, each from the review before
            assert (spec, term_end, renewals[mid]) == ("", None, [])
            assert all(b[5] == "met" and b[6] == a[3] for b, a in pairwise(terms))
        assert len([c for c in terms if c[5] == "open"]) <= 1
        full = [r for r in releases[mid] if r[2]]
        partial = [r for r in releases[mid] if not r[2]]
        assert sum(r[3] for r in partial) == released_fen
        assert all(r[4] and r[5] and start <= r[1] <= today for r in releases[mid])
        if released is None:  # in force, or lapsed (已失效) without renewal
            assert not full
            assert terms[-1][5] == "open" or (terms[-1][7] == LAPSED and term_end < today)
        else:
            assert [r[1] for r in full] == [released] and start <= released <= today
            assert not opened and terms[-1][6] == released  # ends every clock
        found = [c for c in mine if c[1] == "property.release_unrelated"]
        assert [c[3] for c in found] == ([unrelated] if unrelated else [])
        if found:  # 刑诉法 第145条: the 3-day clock runs until the property is released
            status, closed_on = found[0][5:7]
            assert family == "刑事" and status == ("open" if closed_on is None else "met")
            lapsed_first = released is None and term_end is not None and term_end < today
            assert closed_on == (term_end if lapsed_first else released)
            assert all(r[2] < unrelated for r in renewals[mid])  # never renewed after it


def test_personal_measures_chain_with_their_custody_clocks(measured: Services) -> None:
    """Each measure starts its own clock (刑诉法 第79、91、119、156条); custody clocks count
    without holiday roll-forward; a change (变更) ends one measure on the day the next one is
    decided for the same person; 取保候审 and 监视居住 carry their legal maximum as term_end."""
    path, rules, today = measured.path, default_rule_map(), TODAY.isoformat()
    sql = "SELECT case_id, person_id FROM case_party WHERE person_id IS NOT NULL"
    persons = set(_rows(path, sql))
    clocks = _by(_rows(path, (
        "SELECT personal_measure_id, rule_id, trigger, start_on, start_at, due_on, due_at, "
        "status, closed_on, custody, extensions_used, extension_log, period_spec, case_id "
        "FROM deadline WHERE personal_measure_id IS NOT NULL ORDER BY start_on, round"
    )))  # fmt: skip
    measures = {r[0]: r for r in _rows(path, (
        "SELECT id, case_id, person_id, person_name, kind, organ, organ_kind, document_no, "
        "decided_on, executed_on, executed_at, guarantor, deposit_fen, designated_residence, "
        "residence, term_end, ended_on, end_reason, changed_to_id, created_at, updated_at, "
        "version FROM personal_measure"
    ))}  # fmt: skip
    targets = [m[18] for m in measures.values() if m[18]]
    assert len(targets) == len(set(targets))  # a measure is changed into at most once
    extensions = Counter()
    for mid, m in measures.items():
        _id, case_id, person, name, kind, organ, organ_kind, document, decided, *rest = m
        executed, executed_at, guarantor, deposit, designated, residence, *rest = rest
        term_end, ended, reason, changed_to, created, updated, version = rest
        assert (case_id, person) in persons and name and organ and document
        assert kind in PERSONAL_KINDS and organ_kind in ORGAN_KINDS and version == 1
        assert decided <= today and created <= updated
        assert executed == (decided if executed_at else None)
        assert (executed_at is not None) == (kind in ("拘传", "拘留", "逮捕"))
        mine = clocks[mid]
        trigger, rule_id = PERSONAL_CLOCKS[kind]
        assert mine[0][1:4] == (rule_id, trigger, decided), mine
        # carried out at a time: its clock runs from that time, as the service stores it
        assert mine[0][4] == (executed_at if kind in ("拘传", "拘留", "逮捕") else None)
        assert all(c[13] == case_id and c[12] == "" for c in mine)
        for c in mine:  # custody periods: the custody counting, never moved off a holiday
            assert c[9] == rules[c[1]].custody
            assert (c[9] == 1) == (kind in CUSTODY_KINDS or kind == "拘传")
            log = json.loads(c[11])
            assert len(log) == c[10] and all(
                e["approver"] and e["approved_on"] <= today for e in log
            )
            if c[1] == "criminal.custody.investigation":
                extensions[c[10]] += 1
                assert [e["approver"] for e in log] == [
                    "上一级人民检察院",
                    "省级人民检察院",
                    "省级人民检察院",
                ][: c[10]]
        if kind == "拘留":  # 拘留 → 提请批准逮捕 → (审查批准逮捕) on the same measure
            assert [c[1] for c in mine] in (
                ["criminal.detention.request_arrest"],
                ["criminal.detention.request_arrest", "criminal.arrest.review"],
            )
        else:
            assert len(mine) == 1
        if kind == "拘传":  # 12 hours, counted from the full hour after arrival (第105条)
            start = datetime.fromisoformat(mine[0][4])
            due_at = datetime.fromisoformat(mine[0][6])
            assert start + timedelta(hours=12) < due_at <= start + timedelta(hours=13)
            assert (due_at.minute, mine[0][5]) == (0, due_at.date().isoformat())
        if kind in ("取保候审", "监视居住"):
            assert term_end == mine[0][5]  # the legal maximum's last day
        else:
            assert term_end is None
        if kind == "取保候审":
            assert (guarantor == "") != (deposit is None)
            assert deposit is None or deposit >= 100_000  # at least 1000 yuan
        if kind == "监视居住":
            assert residence and designated in (0, 1)
        if ended is None:
            assert not changed_to and reason == ""
            assert (
                mine[-1][7] == "open"
                or kind in ("逮捕", "拘传")
                or (mine[-1][5] < today and kind in ("取保候审", "监视居住"))
            )
        else:
            assert decided <= ended <= today and reason in END_REASONS
            assert all(c[7] == "met" for c in mine)
        if changed_to:
            nxt = measures[changed_to]
            assert reason == "变更" and (nxt[1], nxt[2], nxt[8]) == (case_id, person, ended)
        elif reason == "变更":
            pytest.fail(f"变更 without the measure it was changed into: {m}")
    kinds = Counter(m[4] for m in measures.values())
    assert all(kinds[k] for k in PERSONAL_KINDS), kinds
    assert kinds["取保候审"] > kinds["逮捕"] > kinds["拘传"]
    assert extensions[0] and extensions[1] and extensions[2]
    in_custody = [m for m in measures.values() if m[4] in CUSTODY_KINDS and m[16] is None]
    assert in_custody and sum(1 for m in measures.values() if m[13]) > 0
    # chains: 拘留 → 逮捕 → 取保候审 among them
    chain_kinds = Counter((m[4], measures[m[18]][4]) for m in measures.values() if m[18])
    assert chain_kinds["拘留", "逮捕"] and chain_kinds["逮捕", "取保候审"]
    assert chain_kinds["拘留", "取保候审"]


def test_custody_reviews_and_their_reply_clocks(measured: Services) -> None:
    """羁押必要性审查 of persons in custody; a recommendation served starts the 10-day reply
    clock (刑诉法 第95条), met on the reply."""
    path, today = measured.path, TODAY.isoformat()
    measures = {r[0]: r[1:] for r in _rows(path, (
        "SELECT id, case_id, person_id, kind, decided_on, ended_on FROM personal_measure"
    ))}  # fmt: skip
    clocks = _by(_rows(path, "SELECT custody_review_id, rule_id, start_on, status, closed_on, "
                             "personal_measure_id, property_measure_id FROM deadline "
                             "WHERE custody_review_id IS NOT NULL"))  # fmt: skip
    reviews = _rows(path, (
        "SELECT id, case_id, measure_id, person_id, trigger, applicant, started_on, method, "
        "concluded_on, conclusion, recipient, document_no, served_on, replied_on, reply "
        "FROM custody_review"
    ))  # fmt: skip
    assert reviews
    outcomes = Counter()
    for rid, case_id, measure_id, person, trigger, applicant, started, method, *rest in reviews:
        concluded, conclusion, recipient, document, served, replied, reply = rest
        m_case, m_person, kind, decided, ended = measures[measure_id]
        assert (m_case, m_person) == (case_id, person) and kind in CUSTODY_KINDS
        assert decided <= started <= (ended or today) and (ended is None or started < ended)
        assert trigger in REVIEW_TRIGGERS and method in REVIEW_METHODS
        assert bool(applicant) == (trigger == "申请")
        assert (conclusion == "") == (concluded is None)
        assert conclusion == "" or conclusion in REVIEW_CONCLUSIONS
        mine = clocks[rid]
        if conclusion in RECOMMENDATIONS:
            assert recipient and document and concluded <= served <= today
            ((_r, rule, start, status, closed_on, personal, prop),) = mine
            assert (rule, start, personal, prop) == ("custody_review.reply", served, None, None)
            assert (status, closed_on) == (("met", replied) if replied else ("open", None))
            assert (reply != "") == (replied is not None)
            outcomes[conclusion, replied is not None] += 1
        else:
            assert not mine and served is None and replied is None and recipient == ""
            outcomes[conclusion, False] += 1
    assert outcomes["继续羁押", False] and outcomes["建议变更强制措施", True]
    assert outcomes["建议释放", True]


def test_stalled_cases_are_flagged_supervised_and_closed_off(measured: Services) -> None:
    """挂案 (2017 规定 第25条): open criminal cases of an enterprise at 立案侦查/审查逮捕, two
    years after filing with no counted measure, or a year after the last one ended or expired;
    some under supervision, some closed off on the day the case moved on."""
    path, today = measured.path, TODAY
    enterprise = {case_id for (case_id,) in _rows(path, (
        "SELECT case_id FROM case_party WHERE enterprise_id IS NOT NULL UNION "
        "SELECT t.case_id FROM case_tag t JOIN tag g ON g.id = t.tag_id WHERE g.name = '涉企'"
    ))}  # fmt: skip
    cases = {
        r[0]: r[1:]
        for r in _rows(
            path,
            "SELECT id, family, accepted_on, closed_on, stage FROM case_file WHERE family = '刑事'",
        )
    }
    spans = _by(_rows(path, (
        "SELECT case_id, kind, decided_on, term_end, ended_on FROM personal_measure "
        "WHERE kind != '拘传'"
    )))  # fmt: skip

    def stalled_since(case_id: str, as_of: date) -> date | None:
        filed = date.fromisoformat(cases[case_id][1])
        taken = [s for s in spans[case_id] if date.fromisoformat(s[2]) <= as_of]
        if not taken:
            return _add_years(filed, 2)
        ends = []
        for _c, _kind, _decided, term_end, ended in taken:
            end = ended if ended and ended <= as_of.isoformat() else None
            end = end or (term_end if term_end and term_end < as_of.isoformat() else None)
            if end is None:
                return None
            ends.append(date.fromisoformat(end))
        return _add_years(max(ends), 1)

    candidates = [
        c for c, (_f, _a, closed, stage) in cases.items()
        if c in enterprise and closed is None and stage in ("立案侦查", "审查逮捕")
    ]  # fmt: skip
    flagged = {c for c in candidates if (since := stalled_since(c, today)) and since < today}
    criminal_enterprise = [c for c in cases if c in enterprise]
    assert flagged
    # a few in every 2,000 demo cases, so that the first start's ledger is not empty
    assert 0.01 < len(flagged) / len(criminal_enterprise) < 0.06
    supervised = _rows(path, (
        "SELECT case_id, threshold, supervising_unit, responsible_unit, started_on, due_on, "
        "instructions, closed_on, outcome, close_document FROM stalled_supervision"
    ))  # fmt: skip
    moved = {(r[0], r[1]) for r in _rows(path, (
        "SELECT case_id, occurred_on FROM case_event "
        "WHERE note IN ('移送审查起诉', '撤销案件') AND kind = 'stage'"
    ))}  # fmt: skip
    open_count = closed_count = 0
    for case_id, threshold, unit, responsible, started, due, instructions, *rest in supervised:
        closed_on, outcome, document = rest
        assert case_id in enterprise and cases[case_id][0] == "刑事"
        assert threshold in ("stalled.no_measure", "stalled.after_measure")
        assert unit and responsible.endswith("公安局") and instructions and started < due
        assert started <= today.isoformat()
        if closed_on is None:
            open_count += 1
            assert case_id in flagged and outcome == "" and document == ""
        else:  # 销号 on the day the case was transferred or withdrawn, years after filing
            closed_count += 1
            assert outcome in ("移送审查起诉", "撤案") and document and started < closed_on
            assert (case_id, closed_on) in moved
            since = stalled_since(case_id, date.fromisoformat(closed_on))
            assert since is not None and since.isoformat() < started
    assert open_count and closed_count


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def test_measures_in_force_lapsed_overdue_and_overseized(measured: Services) -> None:
    """What the lists show is there: property found unrelated and not released within 3 days
    (刑诉法 第145条), some due within the next ten days (a 3-day period can run over a
    holiday); terms lapsed without renewal (已失效, 查扣冻规定 第27条); a few cases seizing
    more than (claim + costs) × 1.2 (查扣冻规定 第19条)."""
    path, today = measured.path, TODAY.isoformat()
    soon = (TODAY + timedelta(days=10)).isoformat()
    unrelated = _rows(path, (
        "SELECT sum(due_on < :today), sum(due_on BETWEEN :today AND :soon) FROM deadline "
        "WHERE rule_id = 'property.release_unrelated' AND status = 'open'"
    ), {"today": today, "soon": soon})[0]  # fmt: skip
    assert unrelated[0] and unrelated[1]
    lapsed, in_force, renewed = _rows(path, (
        "SELECT sum(released_on IS NULL AND term_end < :today), sum(released_on IS NULL AND "
        "(term_end IS NULL OR term_end >= :today)), "
        "(SELECT count(DISTINCT measure_id) FROM property_renewal) FROM property_measure"
    ), {"today": today})[0]  # fmt: skip
    assert 0 < lapsed < in_force and renewed
    seized = _rows(path, (
        "SELECT c.amount_fen + coalesce(c.costs_fen, 0), sum(CASE WHEN m.released_on IS NULL "
        "AND (m.term_end IS NULL OR m.term_end >= :today) THEN coalesce(m.value_fen, 0) "
        "- m.released_fen ELSE 0 END) FROM case_file c JOIN property_measure m "
        "ON m.case_id = c.id GROUP BY c.id"
    ), {"today": today})  # fmt: skip
    over = [s for claim, s in seized if claim and s > claim * 1.2]
    assert 0.003 < len(over) / len(seized) < 0.03


def test_measures_look_like_a_court_s(large: Services) -> None:
    """About three measures per criminal case from the investigation on, one or two per civil
    or enforcement case with an amount (none for many small ones); court costs about 1–2 % of
    the amount."""
    path = large.path
    per_case = dict(_rows(path, (
        "SELECT k, avg(n) FROM (SELECT CASE WHEN c.family = '刑事' THEN 'criminal' ELSE "
        "'civil' END AS k, (SELECT count(*) FROM property_measure m WHERE m.case_id = c.id) + "
        "(SELECT count(*) FROM personal_measure p WHERE p.case_id = c.id) AS n FROM case_file c "
        "WHERE (c.family = '刑事' AND c.type_code = '刑初') OR (c.family IN ('民事', '商事', "
        "'执行') AND c.amount_fen IS NOT NULL)) GROUP BY k"
    )))  # fmt: skip
    assert 2.3 < per_case["criminal"] < 4.5 and 0.8 < per_case["civil"] < 2
    small, none = _rows(path, (
        "SELECT count(*), sum(NOT EXISTS (SELECT 1 FROM property_measure m "
        "WHERE m.case_id = c.id)) FROM case_file c WHERE c.type_code = '民初' "
        "AND c.amount_fen < 3000000"
    ))[0]  # fmt: skip
    assert none > small / 2
    costs = _rows(path, "SELECT family, amount_fen, costs_fen FROM case_file "
                        "WHERE costs_fen IS NOT NULL")  # fmt: skip
    assert costs and {f for f, _a, _c in costs} == {"民事", "商事", "执行"}
    assert all(c > 0 and a for _f, a, c in costs)
    assert 0.008 < sum(c / a for _f, a, c in costs) / len(costs) < 0.02


@pytest.mark.parametrize(
    ("type_code", "procedure", "flags", "yuan", "fee_yuan"),
    [
        # 诉讼费用交纳办法 第13条第1项: 50 yuan up to 10,000, then by band
        ("民初", "一审普通程序", "", 10_000, 50),
        ("民初", "一审普通程序", "", 100_000, 2_300),
        ("民终", "二审", "", 1_000_000, 13_800),
        ("民初", "一审普通程序", "", 30_000_000, 50 + 2250 + 2000 + 4500 + 5000 + 9000 + 24000
         + 35000 + 60000 + 50000),
        # 第16条: 简易程序 and 小额诉讼 pay half
        ("民初", "一审简易程序", "", 100_000, 1_150),
        # 第13条第5项: labour disputes 10 yuan
        ("民初", "一审普通程序", "L", 80_000, 10),
        # 第14条第1项: 申请执行费
        ("执", "首次执行", "", 10_000, 50),
        ("执", "首次执行", "", 500_000, 7_400),
        ("执", "首次执行", "", 1_000_000, 12_400),
        # 第14条第2项: 财产保全申请费, at most 5000 yuan
        ("财保", "财产保全", "", 1_000, 30),
        ("财保", "财产保全", "", 100_000, 1_020),
        ("财保", "财产保全", "", 2_000_000, 5_000),
        ("执异", "执行异议", "", 100_000, None),
    ],
)  # fmt: skip
def test_court_costs_of_demo_cases(
    type_code: str, procedure: str, flags: str, yuan: int, fee_yuan: int | None
) -> None:
    fee = court_costs(type_code, procedure, Cause("案由", flags, 1.0), yuan * 100)
    assert fee == (None if fee_yuan is None else fee_yuan * 100)


def test_compliance_cases_walk_the_state_machine(large: Services) -> None:
    """Every demo compliance case is one the service could have written: its dates in the order
    of its steps, the clocks of its state open (and only those), each readable as the page
    reads it; together they cover the states of the path."""
    from casedesk.domain import compliance as cp

    rows = large.compliance.rows()
    states = {r.state for r in rows}
    assert len(rows) >= 15 and {cp.EXAMINING, cp.CLOSED, cp.DECIDED, cp.EVALUATED} <= states
    order = ("started_on", "applied_on", "org_formed_on", "plan_submitted_on", "plan_accepted_on",
             "exam_start", "evaluated_on", "hearing_on", "decided_on", "opinion_served_on",
             "opinion_replied_on", "ended_on")  # fmt: skip
    for row in rows:
        v = large.compliance.get(row.id)
        assert v.start_kind == "依职权启动" or v.applicant  # as check_start requires
        days = [getattr(v, name) for name in order if getattr(v, name) is not None]
        assert days == sorted(days) and days[-1] <= TODAY, (v.state, days)
        open_rules = {c.rule_id for c in v.clocks if c.status == "open"}
        if v.state == cp.EXAMINING:
            assert "compliance.exam" in open_rules
        elif v.state == cp.DECIDED and v.opinion_served_on and not v.opinion_replied_on:
            assert open_rules == {"procuratorial_opinion.reply"}
        else:
            assert open_rules == set(), (v.state, open_rules)
        if v.state in (cp.CLOSED, cp.NOT_APPLIED, cp.TERMINATED):
            assert v.ended_on is not None
        reports = [e for e in v.entries if e.kind == "定期报告"]
        assert all(e.due_on is not None for e in reports)
        assert (v.state == cp.EXAMINING) == (set(v.steps) >= {"evaluate", "receive_report"})


# -- enforcement and the credit list ---------------------------------------------------------------
def test_enforcement_records_are_ones_the_service_could_have_written(large: Services) -> None:
    """Every demo enforcement record is one EnforcementService could have written, in step with
    its case's timeline: the steps dated in their order (终本, 执行完毕 and 终结执行 on their
    entries), payments never above what remained of the claim and 到位率 as the service computes
    it, the clocks open only where the state says — 终本's search reminder every six months for
    five years (法〔2016〕373号), the grace period (法发〔2019〕35号), the listing's term (none
    for ground (1), 失信规定 第2条) and the 3-working-day deletion (第10条). Together they cover
    every state, mostly grounds (1) and (4)."""
    from casedesk.domain.periods import add_months
    from casedesk.services.demo.enforcement import RECORD_TYPES, RECORD_YEARS
    from casedesk.services.enforcement_dto import (
        CLOSED,
        DELETED,
        IN_GRACE,
        LISTED,
        PENDING_DELETION,
        PERFORMED_UNLISTED,
        RUNNING,
        TERMINATED,
        WARNED,
    )

    path, today = large.path, TODAY
    first: dict[str, dict[str, date]] = defaultdict(dict)
    for case_id, day, stage in _rows(
        path,
        "SELECT case_id, occurred_on, stage FROM case_event "
        "WHERE kind = 'stage' ORDER BY occurred_on DESC",
    ):
        first[case_id][stage] = date.fromisoformat(day)  # fmt: skip
    since = (today - timedelta(days=365 * RECORD_YEARS)).isoformat()
    cases = _rows(path, "SELECT c.id, type_code, accepted_on, r.id IS NOT NULL FROM case_file c "
                        "LEFT JOIN enforcement_record r ON r.case_id = c.id")  # fmt: skip
    assert all(bool(has) == (code in RECORD_TYPES and on >= since) for _c, code, on, has in cases)
    states, listing_states, grounds, reasons, rates = (Counter() for _n in range(5))
    for case_id in [c for c, _code, _on, has in cases if has]:
        v = large.enforcement.get(case_id)
        entry, accepted = first[case_id], v.accepted_on
        assert v.title_kind in en.TITLE_KINDS and v.title_effective_on <= accepted
        left = v.claimed_fen  # 到位金额不能超出尚未执行到位的金额
        for p in v.payments:
            assert accepted <= p.paid_on <= today and p.amount_fen > 0 and p.way in en.PAYMENT_WAYS
            assert left is None or p.amount_fen <= left
            left = None if left is None else left - p.amount_fen
        total = sum(p.amount_fen for p in v.payments)
        assert total == v.recovered_fen and v.remaining_fen == left
        assert v.rate == en.recovery_rate(total, v.claimed_fen)
        rates[
            "none" if v.rate is None else "0" if not v.rate else "1" if v.rate == 1 else "part"
        ] += 1
        assert all(a.kind in en.ACTION_KINDS and accepted <= a.taken_on <= today for a in v.actions)
        assert v.resumed_on is None and v.terminated_on == entry.get("终结本次执行")
        if v.close_kind in ("执行完毕", "和解履行完毕"):  # performed on the 执行完毕 day
            assert v.performed_on == v.closed_on == entry["执行完毕"]
            assert v.close_kind == "和解履行完毕" or total == (v.claimed_fen or 0)
        elif v.close_kind == "终结执行":
            assert v.closed_on == entry["终结执行"] and v.performed_on is None
        else:
            assert (v.closed_on, v.close_kind) == (None, "")
            # a debtor who paid the rest lately, the case not closed yet
            assert v.performed_on is None or (v.terminated_on is None and total == v.claimed_fen)
        if v.performed_on is not None:
            assert all(p.paid_on <= v.performed_on for p in v.payments)
        if v.terminated_on is not None:
            assert v.performed_on is None and all(p.paid_on < v.terminated_on for p in v.payments)
        states[v.state, v.close_kind] += 1
        # the record's clocks: the 执行期限 (met by the performance) and the searches after 终本
        (term,) = [c for c in v.clocks if c.rule_id == en.TERM_RULE]
        closed = v.performed_on or v.closed_on or v.terminated_on
        assert (term.status, term.closed_on) == (("met", closed) if closed else ("open", None))
        followups = sorted((c for c in v.clocks if c.rule_id == en.FOLLOWUP_RULE),
                           key=lambda c: c.round)  # fmt: skip
        if v.terminated_on is None:
            assert not followups
        else:
            searched = sorted(
                a.taken_on
                for a in v.actions
                if a.kind == en.FOLLOWUP_ACTION and a.taken_on >= v.terminated_on
            )
            assert [c.round for c in followups] == list(range(1, len(followups) + 1))
            assert [c.start for c in followups] == [str(d) for d in [v.terminated_on, *searched]][
                : len(followups)
            ]
            assert [c.closed_on for c in followups if c.status == "met"] == searched
            assert all(c.status == "met" for c in followups[:-1])
            five_years = add_months(v.terminated_on, 12 * en.FOLLOWUP_YEARS)
            assert (followups[-1].status == "open") == (not searched or searched[-1] < five_years)
        # the credit list
        for lst in v.listings:
            listing_states[lst.state] += 1
            clocks = {c.rule_id: c for c in lst.clocks}
            assert len(clocks) == len(lst.clocks)
            assert lst.warned_on is None or accepted <= lst.warned_on <= (lst.listed_on or today)
            if lst.grace_months is not None:  # 1 to 3 months, its last day off a holiday
                assert lst.grace_months in cl.GRACE_MONTHS and lst.grace_from == lst.warned_on
                assert lst.grace_end == clocks[en.GRACE_RULE].due_on >= cl.grace_end(
                    lst.grace_from, lst.grace_months)  # fmt: skip
            if lst.listed_on is not None:
                grounds[lst.ground] += 1
                assert accepted <= lst.listed_on <= today and lst.ground in cl.LISTING_GROUNDS
                assert lst.grace_end is None or lst.listed_on > lst.grace_end
                assert v.performed_on is None or lst.listed_on < v.performed_on
                assert (lst.term_spec == "") == (lst.ground in cl.NO_TERM_GROUNDS)
                assert lst.term_spec in ("", "2y", "3y", "4y", "5y")  # 2 years, 1–3 more
                assert (lst.term_end is None) == (lst.term_spec == "")
            if lst.ground_arose_on is not None:
                assert lst.listed_on <= lst.ground_arose_on <= (lst.deleted_on or today)
                assert lst.ground_reason != "履行完毕" or lst.ground_arose_on == v.performed_on
            if lst.deleted_on is not None:
                reasons[lst.delete_reason] += 1
                assert lst.listed_on <= lst.deleted_on <= today
                if lst.delete_reason in cl.PERFORMANCE_REASONS:
                    assert v.performed_on <= lst.deleted_on
                if lst.delete_reason == "期限届满":
                    assert lst.term_end <= lst.deleted_on
            expected = set()  # the clocks open: only those of the listing's state
            if lst.state in (WARNED, IN_GRACE) and lst.grace_months:
                expected.add(en.GRACE_RULE)
            if lst.state in (LISTED, PENDING_DELETION) and lst.term_spec:
                expected.add(en.LISTING_TERM_RULE)
            if lst.state == PENDING_DELETION:
                expected.add(en.DELETE_RULE)
                assert lst.delete_due_on == clocks[en.DELETE_RULE].due_on
            assert {r for r, c in clocks.items() if c.status == "open"} == expected, lst
        # 限制消费: a listed debtor is restricted; at most one order in force per debtor
        in_force = [b.debtor_name for b in v.bans if b.lifted_on is None]
        assert len(in_force) == len(set(in_force))
        assert {x.debtor_name for x in v.listings if x.listed_on} <= {
            b.debtor_name for b in v.bans}  # fmt: skip
        for b in v.bans:
            assert accepted <= b.ordered_on <= (b.lifted_on or today) <= today
            assert (b.lifted_on is None) == (b.lift_reason == "")
            assert b.lift_reason in ("", *cl.LIFT_REASONS)
    assert {s for s, _kind in states} == {RUNNING, TERMINATED, CLOSED}
    assert {k for _s, k in states} >= {"执行完毕", "和解履行完毕", "终结执行"}
    assert rates["0"] and rates["part"] and rates["1"]
    assert set(listing_states) >= {LISTED, PENDING_DELETION, DELETED, PERFORMED_UNLISTED}
    assert listing_states[WARNED] + listing_states[IN_GRACE]
    assert grounds[1] + grounds[4] > 0.6 * sum(grounds.values()) and len(grounds) >= 4
    assert set(reasons) >= {"履行完毕", "终本后查无财产", "期限届满"}


def test_enforcement_lists_are_not_empty_on_the_first_start_s_demo(services: Services) -> None:
    """The first start's 2,000 cases fill the lists: enforcement cases by 到位率 (from nothing
    to the whole claim), debtors on the credit list, deletions pending — the 3-working-day clock
    open (失信规定 第10条) — and some overdue."""
    from casedesk.services.enforcement_dto import RUNNING, TERMINATED

    generate_demo(services.db, 2000, seed=1, today=TODAY)
    e = services.enforcement
    rows = e.by_recovery()
    assert {r.state for r in rows} == {RUNNING, TERMINATED}
    rates = [r.rate for r in rows if r.rate is not None]
    assert rates == sorted(rates) and rates[0] == 0 and any(0 < r < 1 for r in rates)
    assert e.listed_debtors()
    pending, overdue = e.pending_deletions(), e.overdue_deletions()
    assert any(p.days_left >= 0 for p in pending) and overdue
    assert all(p.days_left < 0 for p in overdue)
    assert {p.listing_id for p in overdue} < {p.listing_id for p in pending}


def test_suggestions_are_ones_the_service_could_have_written(large: Services) -> None:
    """Numbered per unit, kind and year without gaps, exportable as documents, served with the
    reply clock the ledger reads; the next document a unit finalises follows the demo's last."""
    from casedesk.domain import documents as dm

    rows = _rows(large.path, "SELECT id, issuer, kind, year, seq, number FROM suggestion")
    assert len(rows) >= 20
    by_unit: dict[tuple, list[int]] = {}
    for _id, issuer, kind, year, seq, number in rows:
        by_unit.setdefault((issuer, kind, year), []).append(seq)
        assert f"〔{year}〕{seq}号" in number
    assert all(sorted(seqs) == list(range(1, len(seqs) + 1)) for seqs in by_unit.values())
    counters = {(u, k, y): n for u, k, y, n in _rows(
        large.path, "SELECT unit, kind, year, last_seq FROM suggestion_counter")}  # fmt: skip
    assert counters == {key: len(seqs) for key, seqs in by_unit.items()}
    ledger = large.suggestions.ledger()
    assert {r.state for r in ledger} >= {"已回复"}
    for sid, *_rest in rows[:10]:
        doc = large.suggestions.document(sid)
        dm.check_final(doc)  # what finalising would have required
        assert doc.number and doc.recipient and doc.signed_on is not None
