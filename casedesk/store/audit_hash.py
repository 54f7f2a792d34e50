"""The audit chain: the canonical form and hash of an audit record, and how each new record is
linked to the one before it (verification: :mod:`casedesk.store.audit_chain`; docs/audit.md).

Canonical form (version 1)
--------------------------
The hash of a record is the SHA-256, written as 64 lowercase hexadecimal digits, of these
bytes: the line ``casedesk-audit-v1`` followed by one line per field, in this order::

    at, actor, action, entity_type, entity_id, case_id, label, changes, prev_hash

Each line is ``<field> <n>:<value>`` where ``<value>`` is the field's value in UTF-8 and
``<n>`` the number of bytes of that value in decimal, or ``<field> -`` when the value is NULL.
Every line, the first and the last included, ends with a single line feed (0x0A). The length
prefix makes any value unambiguous (a value may hold line feeds, spaces or colons). The values
are the column texts exactly as stored in the SQLite file:

* ``at``: the UTC time as ``YYYY-MM-DD HH:MM:SS.ffffff`` (26 characters);
* ``case_id``: 32 lowercase hexadecimal digits, or NULL;
* ``changes``: the stored JSON text, byte for byte (it is not re-serialised);
* ``actor``, ``action``, ``entity_type``, ``entity_id``, ``label``: the stored text;
* ``prev_hash``: the ``content_hash`` of the record before it (next lower ``id``), or
  :data:`GENESIS` (64 zeros) for the first record.

Example: a record whose ``actor`` is ``测试员`` contributes the line ``actor 9:测试员``.

Linking
-------
The chain runs in ``id`` order. ``audit_chain_head`` (one row, ``id`` 1) holds the last
record's id and hash and the number of records written. Every writer first updates that row —
which takes the database's write lock, so no other writer can append until this transaction
ends — then reads the last hash from it, hashes its records in the order they are inserted
and stores the new head in the same transaction. Two desks saving at once therefore queue,
and the chain never forks. Writers through SQLAlchemy (the ORM and Core inserts) get this from
the column defaults of ``AuditRecord.prev_hash`` / ``content_hash``, computed when the INSERT
runs (the head is stored just before it: an INSERT that fails leaves a transaction to roll back,
as every unit of work does); bulk writers on a raw sqlite3 connection use :class:`RawChain`.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text

#: The prev_hash of the first record.
GENESIS = "0" * 64
VERSION_LINE = b"casedesk-audit-v1\n"
#: The hashed fields, in canonical order (``prev_hash`` last).
FIELDS = (
    "at", "actor", "action", "entity_type", "entity_id", "case_id", "label", "changes",
    "prev_hash",
)  # fmt: skip
#: Column defaults as the model declares them (a row may leave them out).
_DEFAULTS = {"label": "", "changes": "{}"}
_PREFIXES = tuple(f"{name} ".encode() for name in FIELDS)
_NULLS = tuple(f"{name} -\n".encode() for name in FIELDS)
_FORMAT = VERSION_LINE + b"".join(prefix + b"%d:%s\n" for prefix in _PREFIXES)


def stored_text(value: Any) -> str | None:
    """A column value as SQLite stores it (see the module docstring) — the form that is hashed."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):  # SQLAlchemy drops the zone on SQLite: the wall time stays
        return (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
        )
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, bytes):  # only a tampered row holds a blob: never equal to the text
        return f"X'{value.hex()}'"
    return str(value)


def canonical(values: Sequence[str | None]) -> bytes:
    """The canonical bytes of a record from its :data:`FIELDS` values (stored texts)."""
    if None in values:
        parts = [VERSION_LINE]
        for prefix, null, value in zip(_PREFIXES, _NULLS, values, strict=True):
            if value is None:
                parts.append(null)
            else:
                data = value.encode()
                parts.append(b"%s%d:%s\n" % (prefix, len(data), data))
        return b"".join(parts)
    a, b, c, d, e, f, g, h, i = (v.encode() for v in values)  # type: ignore[union-attr]
    return _FORMAT % (
        len(a), a, len(b), b, len(c), c, len(d), d, len(e), e, len(f), f, len(g), g, len(h), h,
        len(i), i,
    )  # fmt: skip


def record_hash(values: Sequence[str | None]) -> str:
    """The content hash of a record from its :data:`FIELDS` values (stored texts)."""
    return hashlib.sha256(canonical(values)).hexdigest()


def row_hash(row: dict[str, Any], prev_hash: str) -> str:
    """The content hash of a row given as column → value (Python or stored values)."""
    values = [row.get(name, _DEFAULTS.get(name)) for name in FIELDS[:-1]]
    return record_hash([v if v.__class__ is str else stored_text(v) for v in values] + [prev_hash])


# -- appending through SQLAlchemy -----------------------------------------------------------------

_LOCK = text(
    "INSERT INTO audit_chain_head (id, last_id, last_hash, records) VALUES (1, 0, :genesis, 0) "
    "ON CONFLICT (id) DO UPDATE SET records = audit_chain_head.records"
)
_READ = text(
    "SELECT last_hash, (SELECT coalesce(max(id), 0) FROM audit_record) "
    "FROM audit_chain_head WHERE id = 1"
)
_SAVE = text(
    "UPDATE audit_chain_head SET last_id = :last_id, last_hash = :last_hash, "
    "records = records + :added WHERE id = 1"
)


class _Statement:
    """The chain state of one INSERT statement (one row, or many in an executemany)."""

    def __init__(self, context: Any):
        conn = context.connection
        # The write lock first (a missing head row is recreated at genesis, which verification
        # then reports as a break): what is read next is the newest committed head.
        conn.execute(_LOCK, {"genesis": GENESIS})
        self.last_hash, self.max_id = conn.execute(_READ).one()
        self.total, self.done = len(context.compiled_parameters), 0
        self.row_key: int | None = None
        self.prev = self.hash = ""

    def row(self, context: Any) -> tuple[str, str]:
        params = context.current_parameters
        if id(params) != self.row_key:
            self.row_key = id(params)
            self.prev, self.hash = self.last_hash, row_hash(params, self.last_hash)
            self.last_hash, self.done = self.hash, self.done + 1
            if self.done == self.total:  # the statement's last row: the head moves on
                context.connection.execute(
                    _SAVE,
                    {
                        "last_id": self.max_id + self.total,
                        "last_hash": self.hash,
                        "added": self.total,
                    },
                )
        return self.prev, self.hash


def _state(context: Any) -> _Statement:
    state = context.__dict__.get("_casedesk_audit_chain")
    if state is None:
        state = context.__dict__["_casedesk_audit_chain"] = _Statement(context)
    return state


def prev_hash_default(context: Any) -> str:
    """Column default of ``audit_record.prev_hash``: the hash of the record before this row."""
    return _state(context).row(context)[0]


def content_hash_default(context: Any) -> str:
    """Column default of ``audit_record.content_hash``: the hash of this row's content."""
    return _state(context).row(context)[1]


# -- appending on a raw sqlite3 connection (bulk loads, the migration) ----------------------------


class RawChain:
    """Chains rows written with ``executemany`` on a sqlite3 connection that already holds the
    write lock (``BEGIN IMMEDIATE``): ``rows = chain.extend(rows)`` before each insert, then
    :meth:`save` before the commit."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        conn.execute(
            "INSERT INTO audit_chain_head (id, last_id, last_hash, records) "
            "VALUES (1, 0, ?, 0) ON CONFLICT (id) DO NOTHING",
            (GENESIS,),
        )
        self.last_hash, self.last_id = conn.execute(
            "SELECT last_hash, (SELECT coalesce(max(id), 0) FROM audit_record) "
            "FROM audit_chain_head WHERE id = 1"
        ).fetchone()
        self.added = 0

    def extend(self, rows: Iterable[Sequence[Any]]) -> list[tuple]:
        """Rows ``(at, actor, action, entity_type, entity_id, case_id, label, changes)`` in
        stored form, each with ``prev_hash`` and ``content_hash`` appended, in insertion order.
        Ids must be assigned by the database (or be the next ones) for the head to stay right."""
        out = []
        last = self.last_hash
        for row in rows:
            values = [stored_text(v) for v in row]
            digest = record_hash([*values, last])
            out.append((*row, last, digest))
            last = digest
        self.last_hash = last
        self.last_id += len(out)
        self.added += len(out)
        return out

    def save(self) -> None:
        """Store the new head (in the caller's transaction)."""
        self.conn.execute(
            "UPDATE audit_chain_head SET last_id = ?, last_hash = ?, records = records + ? "
            "WHERE id = 1",
            (self.last_id, self.last_hash, self.added),
        )
        self.added = 0
