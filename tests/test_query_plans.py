"""The list and board queries keep the plans that make them fast on 150,000 cases (``make bench``).

SQLite plans these queries without statistics (CaseDesk never runs ANALYZE), so the plan depends
only on the schema and the SQL: a test database of a few rows gets the same plan as the reference
dataset. Each test runs the service method, catches its statements and asks SQLite how it would
run them. Regression found by the benchmark: the list of persons in custody looked up each
measure's open clock by scanning every open deadline (7.7 s on the reference dataset).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, text

from casedesk.services.app import Services
from casedesk.store.models import Base


@contextmanager
def statements(services: Services) -> Iterator[list[tuple[str, object]]]:
    """Every SQL statement (with its parameters) the services run inside the block."""
    caught: list[tuple[str, object]] = []

    def catch(_conn, _cursor, sql, params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        caught.append((sql, params))

    event.listen(services.db.engine, "before_cursor_execute", catch)
    try:
        yield caught
    finally:
        event.remove(services.db.engine, "before_cursor_execute", catch)


def plans(services: Services, run: Callable[[], object], marker: str) -> dict[str, str]:
    """Statement → its query plan (one string), for each statement of ``run()`` that mentions
    ``marker``."""
    with statements(services) as caught:
        run()
    found = {}
    with services.db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        for sql, params in caught:
            if marker in sql and sql.lstrip().upper().startswith(("SELECT", "WITH")):
                rows = raw.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
                found[sql] = "\n".join(r[-1] for r in rows)
    assert found, f"no statement mentioning {marker!r} was run"
    return found


def test_in_custody_finds_each_measures_clock_through_its_own_index(services: Services) -> None:
    (plan,) = plans(services, services.custody_reviews.in_custody, "custody_chain").values()
    assert "ix_deadline_personal_measure_id (personal_measure_id=? AND status=?)" in plan
    assert "ix_deadline_open" not in plan


@pytest.mark.parametrize("everything", [False, True])
def test_board_reads_open_deadlines_from_their_index_alone(
    services: Services, everything: bool
) -> None:
    found = plans(services, lambda: services.deadlines.board(everything=everything), "deadline")
    board = [p for sql, p in found.items() if "count(" not in sql]
    assert board and all("COVERING INDEX ix_deadline_open" in p for p in board)
    if not everything:  # the deadlines after seven days are only counted: no case looked up
        (count,) = [p for sql, p in found.items() if "count(" in sql]
        assert "COVERING INDEX ix_deadline_open (due_on>?)" in count
        assert "ix_case_deleted" in count


@pytest.mark.parametrize(
    "method", ["seized_by_case", "seized_by_enterprise", "overseized"]
)  # fmt: skip
def test_seized_property_lists_read_measures_from_their_index_alone(
    services: Services, method: str
) -> None:
    found = plans(services, getattr(services.property_measures, method), "property_measure")
    assert all("COVERING INDEX ix_property_measure_active" in p for p in found.values())


def test_migrations_build_the_schema_the_models_describe(services: Services) -> None:
    """Columns and indexes made by the migrations are those of the models (the full-text tables
    are made by hand and are not in the models)."""
    with services.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        partial = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'ix_deadline_open'"))
    assert [d for d in diff if not (d[0] == "remove_table" and "_fts" in d[1].name)] == []
    assert partial is not None and partial.endswith("WHERE status = 'open'")


@pytest.mark.parametrize(
    ("run", "table"),
    [
        (lambda sv: sv.enforcement.by_recovery(), "enforcement_record"),
        (lambda sv: sv.compliance.rows(), "compliance_case"),
    ],
)
def test_record_lists_are_driven_by_their_records_not_by_the_cases(services, run, table) -> None:  # type: ignore[no-untyped-def]
    """A condition on the case (deleted_at IS NULL) made SQLite walk all 150,000 cases and
    probe each for a record (245 ms on the reference dataset); the records drive instead."""
    (plan,) = plans(services, lambda: run(services), f"FROM {table}").values()
    assert plan.splitlines()[0].startswith(f"SCAN {table}")
    assert "SCAN case_file USING INDEX ix_case_list" not in plan


# -- lists scoped to the reader's unit (issue 7: roles.scope_of(user, "case.read")) -----------
@pytest.fixture
def head_signed_in(services: Services) -> Services:
    """A 部门负责人 of 民二庭 signed in: every list keeps the cases of that unit."""
    from casedesk.domain.roles import HEAD
    from casedesk.services.accounts import UserDraft

    services.accounts.create_first_admin(UserDraft("admin", "系统管理员", "办公室"), "Guard#2026x")
    services.accounts.sign_in("admin", "Guard#2026x")
    services.accounts.create_user(
        UserDraft("chentz", "陈庭长", "民二庭", frozenset({HEAD})), "Court#2026x"
    )
    services.accounts.sign_in("chentz", "Court#2026x")
    return services


@pytest.mark.parametrize("sort", ["accepted_on", "case_number", "handler"])
def test_scoped_case_list_walks_the_same_sort_index_and_probes_the_unit_s_keys(
    services: Services, sort: str
) -> None:
    """Measured on 150,000 cases: letting SQLite drive the list from the unit's cases looked
    each one up and sorted them in a temporary B-tree (half as slow again as the whole list);
    walking the sort index and probing the unit's keys (read in order from ix_case_unit) costs
    what the whole list costs."""
    from casedesk.store.case_list import CaseFilter, ordered_statement
    from casedesk.store.case_scope import unit_scope

    stmt = ordered_statement(CaseFilter(), sort, True, unit_scope("民二庭"))
    with services.db.engine.connect() as conn:
        compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
        params = [compiled.construct_params()[n] for n in compiled.positiontup or ()]
        raw = conn.connection.driver_connection
        plan = "\n".join(r[-1] for r in raw.execute(f"EXPLAIN QUERY PLAN {compiled}", params))
    index = "ix_case_list_number" if sort == "case_number" else f"ix_case_list_{sort}"
    assert plan.splitlines()[0] == f"SCAN case_file USING INDEX {index}"
    assert "SEARCH visible_case USING COVERING INDEX ix_case_unit (unit=?)" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan


def test_scoped_board_counts_from_the_board_index_and_the_unit_s_ids(
    head_signed_in: Services,
) -> None:
    found = plans(head_signed_in, head_signed_in.deadlines.board, "deadline")
    (count,) = [p for sql, p in found.items() if "count(" in sql]
    assert "COVERING INDEX ix_deadline_open (due_on>?)" in count
    assert "SEARCH visible_case USING COVERING INDEX ix_case_unit_id (unit=?)" in count
    assert "SEARCH case_file" not in count  # no case looked up per deadline
    board = [p for sql, p in found.items() if "count(" not in sql]
    assert board and all("COVERING INDEX ix_deadline_open" in p for p in board)


@pytest.mark.parametrize(
    ("run", "table"),
    [
        (lambda sv: sv.enforcement.by_recovery(), "enforcement_record"),
        (lambda sv: sv.compliance.rows(), "compliance_case"),
        (lambda sv: sv.suggestions.ledger(), "suggestion"),
    ],
)
def test_scoped_record_lists_are_still_driven_by_their_records(head_signed_in, run, table) -> None:  # type: ignore[no-untyped-def]
    """The unit is checked on each record's case, looked up by id: the unit's condition does not
    make SQLite walk the cases of the unit instead."""
    (plan,) = plans(head_signed_in, lambda: run(head_signed_in), f"FROM {table}").values()
    assert plan.splitlines()[0].startswith(f"SCAN {table}")
    assert "SEARCH case_file USING INDEX sqlite_autoindex_case_file_1 (id=?)" in plan
    assert "ix_case_unit" not in plan
