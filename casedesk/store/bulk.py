"""Fast bulk loading of many rows into the real tables (demo data, later large imports).

Rows go in through the engine's own DBAPI connection with ``executemany``, inside one write
transaction that either commits whole or leaves the database untouched. Values must be given as
SQLAlchemy itself stores them on SQLite, so that every row reads back through the ORM unchanged:
``Uuid`` → 32 lowercase hex characters, ``Date`` → ``YYYY-MM-DD``, ``DateTime`` →
``YYYY-MM-DD HH:MM:SS.ffffff`` (UTC wall time, as :func:`casedesk.store.audit.utcnow` writes it),
``Boolean`` → 0 or 1, and ``version`` 1 for a new row. :data:`COLUMNS` fixes the order of each
row tuple; its tables are listed parents before children (a row referring to another row of
its own table, such as a personal measure changed into another, must come after it).
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Engine

from casedesk.store.models import Base
from casedesk.store.search import GRAM_FTS, add_to_index, optimize_index

#: Column order of the row tuples :meth:`BulkLoader.insert` takes, per table. Nullable columns
#: left out are stored as NULL; an autoincrement id left out is assigned by the database.
COLUMNS: dict[str, tuple[str, ...]] = {
    "enterprise": ("id", "name", "credit_code", "ownership", "size", "industry",
                   "legal_representative", "address", "contact", "created_at", "updated_at",
                   "version"),
    "person": ("id", "name", "id_number", "contact", "address", "created_at", "updated_at",
               "version"),
    "case_file": ("id", "list_key", "case_number", "year", "court_code", "type_code",
                  "sequence", "family", "procedure", "cause", "handler", "unit", "accepted_on",
                  "closed_on", "stage", "amount_fen", "costs_fen", "notes", "parties_summary",
                  "created_at", "updated_at", "version"),
    "case_party": ("id", "case_id", "role", "position", "enterprise_id", "person_id"),
    "case_event": ("id", "case_id", "occurred_on", "kind", "trigger", "occurred_at", "stage",
                   "note", "created_at", "created_by"),
    "property_measure": ("id", "case_id", "kind", "object_kind", "description",
                         "owner_enterprise_id", "owner_person_id", "owner_name", "value_fen",
                         "account_no", "organ", "organ_kind", "document_no", "start_on",
                         "term_rule_id", "term_spec", "term_end", "live_use", "live_use_note",
                         "unrelated_on", "released_fen", "released_on", "notes", "created_by",
                         "created_at", "updated_at", "version"),
    "property_renewal": ("id", "measure_id", "seq", "decided_on", "organ", "document_no",
                         "term_spec", "start_on", "term_end", "created_at", "created_by"),
    "property_release": ("id", "measure_id", "released_on", "full", "value_fen", "reason",
                         "document_no", "created_at", "created_by"),
    "personal_measure": ("id", "case_id", "person_id", "person_name", "kind", "organ",
                         "organ_kind", "document_no", "decided_on", "executed_on", "executed_at",
                         "guarantor", "deposit_fen", "designated_residence", "residence",
                         "term_end", "ended_on", "end_reason", "end_document", "changed_to_id",
                         "notes", "created_by", "created_at", "updated_at", "version"),
    "custody_review": ("id", "case_id", "measure_id", "person_id", "trigger", "applicant",
                       "started_on", "method", "concluded_on", "conclusion", "recipient",
                       "document_no", "served_on", "replied_on", "reply", "notes", "created_by",
                       "created_at", "updated_at", "version"),
    "stalled_supervision": ("id", "case_id", "threshold", "supervising_unit",
                            "responsible_unit", "started_on", "due_on", "instructions",
                            "closed_on", "outcome", "close_document", "close_note", "created_by",
                            "created_at", "updated_at", "version"),
    "deadline": ("id", "case_id", "rule_id", "trigger", "source_event_id", "subject", "round",
                 "start_on", "start_at", "custody", "extensions_used", "extension_log",
                 "suspensions", "restarts", "due_on", "due_at", "steps", "warnings", "status",
                 "closed_on", "close_note", "created_at", "created_by", "updated_at", "version",
                 "period_spec", "property_measure_id", "personal_measure_id", "custody_review_id"),
    "compliance_case": ("id", "case_id", "enterprise_id", "state", "start_kind", "applicant",
                        "started_on", "conditions", "applied_on", "apply_document", "org_name",
                        "org_formed_on", "plan_submitted_on", "plan_committed_on",
                        "plan_accepted_on", "exam_start", "exam_months", "report_interval",
                        "report_deadline_id", "exam_deadline_id", "evaluated_on", "result",
                        "hearing_on", "hearing_participants", "decided_on", "decision",
                        "decision_document", "opinion_authority", "opinion_served_on",
                        "opinion_deadline_id", "opinion_replied_on", "opinion_reply", "ended_on",
                        "end_reason", "notes", "created_by", "created_at", "updated_at",
                        "version"),
    "compliance_member": ("id", "compliance_id", "position", "name", "profession", "unit",
                          "joined_on", "objection", "objected_on", "left_on", "replaced_by_id"),
    "compliance_entry": ("id", "compliance_id", "kind", "position", "occurred_on", "due_on",
                         "months", "note", "created_by"),
    "compliance_clock": ("compliance_id", "deadline_id"),
    "enforcement_record": ("id", "case_id", "title_kind", "title_document_no", "title_organ",
                           "title_effective_on", "claimed_fen", "recovered_fen", "performed_on",
                           "terminated_on", "resumed_on", "closed_on", "close_kind",
                           "close_document", "notes", "created_by", "created_at", "updated_at",
                           "version"),
    "enforcement_payment": ("id", "record_id", "paid_on", "amount_fen", "payer", "way", "note",
                            "created_at", "created_by"),
    "enforcement_action": ("id", "record_id", "kind", "taken_on", "result", "document_no",
                           "created_at", "created_by"),
    "dishonest_listing": ("id", "case_id", "debtor_enterprise_id", "debtor_person_id",
                          "debtor_name", "warned_on", "warning_document_no", "grace_from",
                          "grace_months", "grace_end", "listed_on", "ground", "document_no",
                          "term_spec", "term_end", "ground_arose_on", "ground_reason",
                          "deleted_on", "delete_reason", "delete_document_no", "notes",
                          "grace_deadline_id", "term_deadline_id", "delete_deadline_id",
                          "created_by", "created_at", "updated_at", "version"),
    "spending_ban": ("id", "case_id", "debtor_enterprise_id", "debtor_person_id", "debtor_name",
                     "ordered_on", "document_no", "restricted_persons", "lifted_on",
                     "lift_reason", "notes", "created_by", "created_at", "updated_at",
                     "version"),
    "suggestion": ("id", "case_id", "kind", "subtype", "issuer", "subject", "recipient",
                   "blocks", "attachments", "copy_to", "source_cases", "contact", "signed_on",
                   "state", "year", "seq", "number", "served_way", "served_on",
                   "served_receiver", "reply_deadline_id", "replied_on", "reply_summary",
                   "adoption", "measures", "created_by", "created_at", "updated_at", "version"),
    "suggestion_counter": ("unit", "kind", "year", "last_seq"),
    "suggestion_pattern": ("unit", "kind", "pattern", "updated_at", "updated_by"),
    "case_tag": ("case_id", "tag_id"),
    "case_search": ("list_key", "text"),
    "audit_record": ("at", "actor", "action", "entity_type", "entity_id", "case_id", "label",
                     "changes", "prev_hash", "content_hash"),  # chained: audit_hash.RawChain
}  # fmt: skip


def uuid_value(value: uuid.UUID) -> str:
    """A ``Uuid`` column value as stored on SQLite."""
    return value.hex


def date_value(value: date) -> str:
    return value.isoformat()


def datetime_value(value: datetime) -> str:
    """A ``DateTime`` value as stored on SQLite (the time zone is dropped; pass UTC)."""
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )


def check_columns() -> None:
    """Fail loudly when :data:`COLUMNS` no longer fits the models (a column added or renamed)."""
    for table_name, names in COLUMNS.items():
        table = Base.metadata.tables[table_name]
        unknown = set(names) - set(table.c.keys())
        missing = {
            c.name
            for c in table.c
            if not c.nullable and c.name not in names and c.autoincrement is not True
        }
        if unknown or missing:
            raise RuntimeError(
                f"bulk columns of {table_name} out of date: unknown {unknown}, missing {missing}"
            )


class BulkLoader:
    """``with BulkLoader(engine) as load: load.insert(...); load.commit()``.

    Holds one pooled connection in a write transaction (``BEGIN IMMEDIATE``) with a larger page
    cache; the secondary indexes of the loaded tables can be dropped for the load and rebuilt
    before the commit. Anything not committed is rolled back on exit.
    """

    def __init__(self, engine: Engine, cache_mib: int = 256):
        if engine.dialect.name != "sqlite":
            raise NotImplementedError("bulk loading is implemented for SQLite only")
        check_columns()
        self._engine = engine
        self._cache_kib = cache_mib * 1024
        self._deferred: list[str] = []
        self._committed = False

    def __enter__(self) -> Self:
        self._raw = self._engine.raw_connection()
        conn: sqlite3.Connection = self._raw.driver_connection  # type: ignore[assignment]
        self.conn = conn
        try:
            self._old_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
            conn.execute(f"PRAGMA cache_size=-{self._cache_kib}")
            conn.execute("BEGIN IMMEDIATE")  # the write lock first: what is read stays true
        except BaseException:
            self._raw.close()
            raise
        self._statements = {
            t: f"INSERT INTO {t} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            for t, cols in COLUMNS.items()
        }
        self._fts = bool(self.rows("SELECT 1 FROM sqlite_master WHERE name = ?", (GRAM_FTS,)))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.conn.execute(f"PRAGMA cache_size={self._old_cache}")
            self.conn.execute("PRAGMA shrink_memory")
        finally:
            self._raw.close()

    # -- reading ---------------------------------------------------------------------------------
    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.conn.execute(sql, params).fetchall()

    def count(self, table: str) -> int:
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def next_list_key(self) -> int:
        """The next free case list key."""
        return self.conn.execute("SELECT coalesce(max(list_key), 0) + 1 FROM case_file").fetchone()[
            0
        ]

    # -- writing ---------------------------------------------------------------------------------
    def insert(self, table: str, rows: Iterable[Sequence[Any]]) -> None:
        """Insert row tuples in the column order of :data:`COLUMNS` [table]."""
        self.conn.executemany(self._statements[table], rows)

    def insert_search(self, rows: Sequence[tuple[int, str]]) -> None:
        """Insert ``(list key, text)`` into case_search and its FTS indexes."""
        self.insert("case_search", rows)
        if self._fts:
            add_to_index(self.conn, rows)

    def defer_indexes(self, tables: Iterable[str]) -> None:
        """Drop the secondary indexes of ``tables`` now; :meth:`commit` creates them again with
        their exact original definition (loading first and indexing once is much faster).
        Primary keys and unique constraints stay and are checked row by row."""
        names = list(tables)
        marks = ", ".join("?" * len(names))
        for name, sql in self.rows(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY name",
            names,
        ):
            self.conn.execute(f'DROP INDEX "{name}"')
            self._deferred.append(sql)

    def commit(self, optimize_search: bool = True) -> None:
        """Rebuild deferred indexes, merge the FTS index into one segment, and commit."""
        for sql in self._deferred:
            self.conn.execute(sql)
        self._deferred.clear()
        if optimize_search and self._fts:
            optimize_index(self.conn)
        self.conn.execute("COMMIT")
        self._committed = True

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file and truncate it (after a commit).
        Only an optimisation: a reader in the way just leaves the log for a later checkpoint."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
