"""Crash safety (issue 7 §5): a writer killed with SIGKILL never loses a record whose commit had
returned, never leaves one half-written, and the file always opens and passes integrity_check.

SQLite promises it ("a partially written transaction should be automatically rolled back the next
time the database file is accessed", sqlite.org/atomiccommit.html; see performance-reliability.md
§3); these tests hold CaseDesk's own write path to it. ``make crashtest`` runs 200 kills.
"""

from __future__ import annotations

import signal
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from casedesk.domain.drafts import CaseDraft
from casedesk.services.app import Services
from scripts import crashtest

#: Kills in the normal suite (about half a second each); ``make crashtest`` runs 200.
KILLS = 15
needs_sigkill = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"), reason="本平台没有 SIGKILL（如 Windows），无法做强行终止测试"
)


@needs_sigkill
def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    tally = crashtest.run(kills=KILLS, seed=7, first_open=2, workdir=tmp_path)
    assert tally.failure == "", crashtest.summary(tally)
    assert tally.kills == KILLS
    landed = tally.first_open + tally.reopening + tally.in_transaction + tally.between
    assert landed + tally.before_open == KILLS
    assert tally.in_transaction >= 1  # most kills land inside a transaction
    assert tally.records > 0


@needs_sigkill
def test_a_writer_reporting_before_its_commit_is_caught(tmp_path: Path) -> None:
    """Negative control: the same run with a writer that claims each commit before making it
    must report a lost record — the harness can fail."""
    tally = crashtest.run(
        kills=8, seed=3, first_open=0, workdir=tmp_path, report_before_commit=True
    )
    assert "记录丢失" in tally.failure, crashtest.summary(tally)


def _three_records(db_path: Path) -> None:
    today = date.today()
    services = Services.open(db_path, crashtest.ACTOR)
    for n in (1, 2, 3):
        services.cases.create(CaseDraft(crashtest.case_number(n, today.year), "刑事", today))
    services.close()


def _sql(db_path: Path, *statements: str) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys=OFF")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _case_id(db_path: Path, n: int) -> str:
    conn = sqlite3.connect(db_path)
    number = crashtest.case_number(n, date.today().year)
    row = conn.execute("SELECT id FROM case_file WHERE case_number = ?", (number,)).fetchone()
    conn.close()
    return row[0]


def _drop_audit_of_2(db_path: Path) -> None:
    cid = _case_id(db_path, 2)
    _sql(db_path, f"DELETE FROM audit_record WHERE entity_type='case' AND case_id='{cid}'")


def _drop_timeline_of_2(db_path: Path) -> None:
    _sql(db_path, f"DELETE FROM case_event WHERE case_id='{_case_id(db_path, 2)}'")


def _drop_case_3_keep_its_audit(db_path: Path) -> None:
    cid = _case_id(db_path, 3)
    _sql(
        db_path,
        f"DELETE FROM deadline WHERE case_id='{cid}'",
        f"DELETE FROM case_event WHERE case_id='{cid}'",
        f"DELETE FROM case_file WHERE id='{cid}'",
    )


def _nothing(_db_path: Path) -> None:
    pass


@pytest.mark.parametrize(
    ("tamper", "committed", "in_flight", "expected"),
    [
        (_nothing, {1, 2, 3}, None, None),
        (_nothing, {1, 2}, 3, None),  # the one in flight may have committed before the kill
        (_nothing, {1, 2, 3, 4}, None, "记录丢失：4"),  # a commit that returned, not in the file
        (_nothing, {1, 2, 3, 4}, 4, "记录丢失：4"),  # reported done, so it is not "in flight"
        (_nothing, {1, 2}, None, "从未开始写入的记录：3"),
        (_drop_audit_of_2, {1, 2, 3}, None, "缺少其审计记录：2"),
        (_drop_timeline_of_2, {1, 2, 3}, None, "缺少其时间线（收案）：2"),
        (_drop_case_3_keep_its_audit, {1, 2}, 3, "审计记录所指的案件不在库中"),
    ],
    ids=[
        "intact",
        "in-flight-committed",
        "lost-record",
        "lost-record-reported-done",
        "phantom-record",
        "record-without-audit",
        "record-without-timeline",
        "audit-without-record",
    ],
)
def test_the_checker_finds_each_kind_of_damage(
    tmp_path: Path, tamper, committed: set[int], in_flight: int | None, expected: str | None
) -> None:
    db_path = tmp_path / "casedesk.sqlite3"
    _three_records(db_path)
    tamper(db_path)
    found = crashtest.check_database(db_path, committed, in_flight)
    if expected is None:
        assert found.problems == []
        assert found.present == {1, 2, 3}
    else:
        assert any(expected in p for p in found.problems), found.problems


def _index_out_of_step(db_path: Path) -> None:
    """An index whose entries no longer match its table: only integrity_check notices."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, '(case_id)', '(actor)') "
        "WHERE name = 'ix_audit_record_case_id'"
    )
    conn.commit()
    conn.close()


def _pages_scribbled(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    with db_path.open("r+b") as fh:  # every page but the first
        for page in range(1, pages):
            fh.seek(page * page_size + 100)
            fh.write(b"\xa5" * 200)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (_index_out_of_step, "integrity_check 未通过：row 1 missing from index"),
        (_pages_scribbled, "打不开"),
    ],
    ids=["index-out-of-step", "pages-scribbled"],
)
def test_the_checker_reports_a_damaged_file(tmp_path: Path, damage, expected: str) -> None:
    db_path = tmp_path / "casedesk.sqlite3"
    _three_records(db_path)
    damage(db_path)
    found = crashtest.check_database(db_path, {1, 2, 3}, None)
    assert any(expected in p for p in found.problems), found.problems


def test_the_checker_walks_the_audit_chain(tmp_path: Path) -> None:
    """A crash must not break the tamper-evident chain either (issue 7 §3): the checker walks it
    after every kill, and notices a record changed behind its back."""
    pytest.importorskip("casedesk.store.audit_chain", reason="此版本尚无审计哈希链")
    db_path = tmp_path / "casedesk.sqlite3"
    _three_records(db_path)
    assert crashtest.check_database(db_path, {1, 2, 3}, None).chain_checked
    _sql(db_path, "UPDATE audit_record SET label = '改过' WHERE id = 2")
    found = crashtest.check_database(db_path, {1, 2, 3}, None)
    assert any("审计链断开" in p for p in found.problems), found.problems
