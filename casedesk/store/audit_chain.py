"""Checking the audit chain (casedesk.store.audit_hash; docs/audit.md).

:func:`verify_chain` walks every record in id order, streaming, recomputes each hash and checks
each link, then compares the last record with the chain head. :func:`quick_check` does the same
for the last :data:`QUICK_WINDOW` records only (a few milliseconds: run at every start).

The first broken record is named with what most likely happened to it, judged from its
neighbours: its content was changed (its stored hash no longer matches, the next record still
links to the stored hash), only its hash was changed (the next record links to the recomputed
one), a record before it was deleted (its link points to a record that is gone), it was inserted
(the record after it links past it), or it and the next one were swapped. A chain rewritten
consistently from some record on, head included, cannot be told from a genuine one by the chain
alone: compare the head with a hash noted earlier (docs/audit.md, "anchoring").
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from casedesk.store.audit_hash import GENESIS, record_hash, stored_text

#: Records the start-up check walks.
QUICK_WINDOW = 1000
BATCH = 5000

#: What happened to the first broken record → its Chinese name.
KINDS = {
    "content": "内容被修改",
    "hash": "哈希值被改动",
    "deleted": "有记录被删除",
    "inserted": "记录系插入",
    "reordered": "记录顺序被调换",
    "head": "链头不一致",
    "anchor": "与留存的哈希值不符",
}

_SELECT = (
    "SELECT id, at, actor, action, entity_type, entity_id, case_id, label, changes, prev_hash, "
    "content_hash FROM audit_record"
)
_ID, _AT, _ACTOR, _PREV, _HASH = 0, 1, 2, 9, 10


@dataclass(frozen=True)
class Break:
    """The first broken record (``record_id`` None when no record is at fault, only the head)."""

    record_id: int | None
    at: str | None
    actor: str | None
    kind: str  # a key of KINDS
    detail: str  # Chinese, names the record and what was found

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class ChainReport:
    checked: int  # records whose hash and link were checked and found right
    seconds: float
    broken: Break | None
    last_id: int  # the chain head as stored (0 and GENESIS for an empty chain)
    last_hash: str
    quick: bool = False  # only the last QUICK_WINDOW records were walked

    @property
    def ok(self) -> bool:
        return self.broken is None

    def summary(self) -> str:
        """Two or three lines of Chinese for the command line and the start-up warning."""
        scope = "最近 " if self.quick else " "
        timing = f"已校验{scope}{self.checked:,} 条审计记录，用时 {self.seconds:.2f} 秒。"
        if self.broken is None:
            return f"审计链完整。{timing}\n链头：第 {self.last_id} 条，哈希 {self.last_hash}"
        b = self.broken
        return f"审计链已断开（{b.kind_name}）：{b.detail}\n{timing}"


def _hash(row: tuple) -> str:
    try:
        return record_hash(row[1:10])
    except AttributeError:  # a value that is not text (only in a tampered row)
        return record_hash([stored_text(v) for v in row[1:10]])


def _who(row: tuple) -> str:
    return f"第 {row[_ID]} 条记录（{row[_AT]}，操作人：{row[_ACTOR]}）"


def _break(row: tuple, kind: str, detail: str) -> Break:
    return Break(row[_ID], stored_text(row[_AT]), stored_text(row[_ACTOR]), kind, detail)


def _diagnose(
    before: tuple | None, row: tuple, after: tuple | None, expected: str, head_hash: str | None
) -> Break:
    """Why ``row`` (with ``before`` and ``after`` its neighbours) breaks the chain; ``expected``
    is the hash its link should hold."""
    computed = _hash(row)
    following = after[_PREV] if after is not None else head_hash  # what the next link holds
    who = _who(row)
    if computed != row[_HASH]:
        if following == computed:
            return _break(row, "hash", f"{who}的哈希值被改动（内容与写入时相同）。")
        if row[_PREV] != expected and following == expected:
            return _break(row, "inserted", f"{who}是后来插入的：其后一条记录链接的是它之前的记录。")
        return _break(row, "content", f"{who}的内容在写入后被修改，与其哈希值不符。")
    if after is not None and row[_PREV] == after[_HASH] and after[_PREV] == expected:
        return _break(row, "reordered", f"{who}与下一条（第 {after[_ID]} 条）的顺序被调换。")
    if before is not None and row[_PREV] == before[_PREV]:  # links past the record before it
        return _break(
            before, "inserted", f"{_who(before)}是后来插入的：其后一条记录链接的是它之前的记录。"
        )
    if following == expected:
        return _break(row, "inserted", f"{who}是后来插入的：其后一条记录链接的是它之前的记录。")
    if row[_PREV] == GENESIS:
        return _break(row, "head", f"{who}处审计链重新开始：链头曾被删除或重建。")
    if before is not None and row[_ID] > before[_ID] + 1:
        gone = f"第 {before[_ID] + 1} 条" + (
            f"至第 {row[_ID] - 1} 条" if row[_ID] > before[_ID] + 2 else ""
        )
        return _break(row, "deleted", f"{who}之前的记录被删除（{gone}已不存在）。")
    return _break(
        row, "deleted", f"{who}链接的上一条记录已不存在：其前有记录被删除，或上一条被改写。"
    )


def _head(conn: sqlite3.Connection) -> tuple[int, str, int] | None:
    return conn.execute(
        "SELECT last_id, last_hash, records FROM audit_chain_head WHERE id = 1"
    ).fetchone()


def _rows(cursor: sqlite3.Cursor) -> Iterator[tuple]:
    while batch := cursor.fetchmany(BATCH):
        yield from batch


def _walk(
    rows: Iterator[tuple],
    expected: str | None,
    head: tuple[int, str, int] | None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, tuple | None, Break | None]:
    """Check ``rows`` in order; ``expected`` is the first row's link (None: trust it).
    Returns (rows found right, the last row, the first break)."""
    head_hash = head[1] if head else None
    before: tuple | None = None
    checked = 0
    row = next(rows, None)
    while row is not None:
        after = next(rows, None)
        if expected is None:
            expected = row[_PREV]
        if row[_PREV] != expected or _hash(row) != row[_HASH]:
            return checked, before, _diagnose(before, row, after, expected, head_hash)
        expected, before, row = row[_HASH], row, after
        checked += 1
        if progress is not None and checked % 50_000 == 0:
            progress(checked)
    return checked, before, None


def _check_head(
    head: tuple[int, str, int] | None, last: tuple | None, checked: int | None
) -> Break | None:
    """The head against the last record (and the number of records, when all were counted)."""
    if head is None:
        if last is None:
            return None
        return Break(None, None, None, "head", "链头记录缺失（被删除）。")
    last_id, last_hash, records = head
    if last is None:
        if records == 0 and last_hash == GENESIS:
            return None
        return Break(
            None, None, None, "deleted", f"链头记载有 {records} 条记录，但审计记录全部不存在。"
        )
    if last[_HASH] == last_hash and last[_ID] == last_id:
        if checked is None or checked == records:
            return None
        return Break(
            None,
            None,
            None,
            "head",
            f"链头记载有 {records} 条记录，实有 {checked} 条：链头被改动。",
        )
    if last[_ID] < last_id:
        return Break(
            last[_ID], stored_text(last[_AT]), stored_text(last[_ACTOR]), "deleted",
            f"末尾的记录被删除：链头记载最后一条为第 {last_id} 条，现最后一条为{_who(last)}。",
        )  # fmt: skip
    return Break(
        last[_ID], stored_text(last[_AT]), stored_text(last[_ACTOR]), "head",
        f"链头记载最后一条为第 {last_id} 条，与现最后一条{_who(last)}不符：链头或末尾记录被改动。",
    )  # fmt: skip


def _tail_inserted(conn: sqlite3.Connection, head: tuple[int, str, int]) -> Break | None:
    """Records after the one the head names, linked on correctly but never written through the
    head: the first of them was inserted."""
    row = conn.execute(f"{_SELECT} WHERE id > ? ORDER BY id LIMIT 1", (head[0],)).fetchone()
    marked = conn.execute(
        "SELECT content_hash FROM audit_record WHERE id = ?", (head[0],)
    ).fetchone()
    if row is None or marked is None or marked[0] != head[1]:
        return None
    return _break(row, "inserted", f"{_who(row)}是后来插入的：链头记载的最后一条在它之前。")


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction, so that the head and the records are read as of one moment even
    while another desk writes."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if own:
            conn.execute("ROLLBACK")


def verify_chain(
    conn: sqlite3.Connection, progress: Callable[[int], None] | None = None
) -> ChainReport:
    """Walk the whole chain in id order (streaming) and compare its end with the head."""
    started = time.perf_counter()
    with _snapshot(conn):
        head = _head(conn)
        rows = _rows(conn.execute(f"{_SELECT} ORDER BY id"))
        checked, last, broken = _walk(rows, GENESIS, head, progress)
        if broken is None:
            broken = _end(conn, head, last, checked)
    return _report(head, checked, broken, started, quick=False)


def check_anchor(conn: sqlite3.Connection, record_id: int, content_hash: str) -> Break | None:
    """Compare record ``record_id`` with its hash noted earlier (an anchor: printed by
    ``casedesk audit verify``). On a chain that verifies, a match proves that this record and
    every one before it are as they were when the hash was noted."""
    row = conn.execute(f"{_SELECT} WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        return Break(record_id, None, None, "deleted", f"留存的第 {record_id} 条记录已不存在。")
    if row[_HASH] != content_hash.strip().lower():
        return _break(row, "anchor", f"{_who(row)}的哈希值与留存的不符：此前的审计链已被整体改写。")
    return None


def quick_check(conn: sqlite3.Connection, window: int = QUICK_WINDOW) -> ChainReport:
    """The last ``window`` records and the head: what the app checks at every start."""
    started = time.perf_counter()
    with _snapshot(conn):
        head = _head(conn)
        rows = conn.execute(f"{_SELECT} ORDER BY id DESC LIMIT ?", (window,)).fetchall()
        rows.reverse()
        first_link = GENESIS if len(rows) < window else None  # None: the window's first is trusted
        checked, last, broken = _walk(iter(rows), first_link, head)
        if broken is None:
            broken = _end(conn, head, last, None)
    return _report(head, checked, broken, started, quick=True)


def _end(
    conn: sqlite3.Connection,
    head: tuple[int, str, int] | None,
    last: tuple | None,
    checked: int | None,
) -> Break | None:
    broken = _check_head(head, last, checked)
    if broken is not None and head is not None and last is not None and last[_ID] > head[0]:
        return _tail_inserted(conn, head) or broken
    return broken


def _report(
    head: tuple[int, str, int] | None,
    checked: int,
    broken: Break | None,
    started: float,
    quick: bool,
) -> ChainReport:
    last_id, last_hash = (head[0], head[1]) if head else (0, GENESIS)
    return ChainReport(checked, time.perf_counter() - started, broken, last_id, last_hash, quick)
