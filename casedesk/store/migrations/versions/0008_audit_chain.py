"""audit chain: prev_hash and content_hash on every audit record, and the chain head

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 03:00:00

The two columns are added in place (``ADD COLUMN … NOT NULL DEFAULT ''``: no table rebuild, so
no ON DELETE CASCADE can fire — stack.md pitfall 11 — and nothing is copied), then every
existing record is chained in id order: read in batches of :data:`BATCH`, hashed, and updated
with ``executemany``. On the reference dataset (460,124 records) this takes about 6 s, where
rebuilding the table with the hashes took 16 s (docs/audit.md). The empty default only serves
the rows already there while the migration runs: every writer fills both columns, and a row
left at '' fails verification.

The canonical form hashed here is version 1 of :mod:`casedesk.store.audit_hash`; that form is
fixed for good (a new form would be a new version line), so this migration may use it.

A later migration that rebuilds ``audit_record`` (``batch_alter_table``) must keep the two
columns and their values; the chain needs no trigger or other hidden object.
"""

import sqlalchemy as sa
from alembic import op

from casedesk.store.audit_hash import GENESIS, record_hash, stored_text

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 20_000
_CONTENT = "at, actor, action, entity_type, entity_id, case_id, label, changes"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":  # pragma: no cover - CaseDesk runs on SQLite for now
        raise NotImplementedError("migration 0008 chains existing audit records on SQLite only")
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for name in ("prev_hash", "content_hash"):  # plain ALTER TABLE … ADD COLUMN on SQLite
        op.add_column(
            "audit_record",
            sa.Column(name, sa.String(length=64), server_default="", nullable=False),
        )
    raw = bind.connection.driver_connection
    last_id, last_hash, count = chain_existing(raw)
    raw.execute(
        "INSERT INTO audit_chain_head (id, last_id, last_hash, records) VALUES (1, ?, ?, ?)",
        (last_id, last_hash, count),
    )


def chain_existing(raw) -> tuple[int, str, int]:  # type: ignore[no-untyped-def]
    """Fill prev_hash and content_hash of every audit record in id order; returns (last id,
    last hash, records)."""
    last_id, last_hash, count = 0, GENESIS, 0
    while rows := raw.execute(
        f"SELECT id, {_CONTENT} FROM audit_record WHERE id > ? ORDER BY id LIMIT ?",
        (last_id, BATCH),
    ).fetchall():
        out = []
        for row in rows:
            try:
                digest = record_hash((*row[1:], last_hash))
            except AttributeError:  # a value stored as a number or blob (never by CaseDesk)
                digest = record_hash([*(stored_text(v) for v in row[1:]), last_hash])
            out.append((last_hash, digest, row[0]))
            last_hash = digest
        raw.executemany("UPDATE audit_record SET prev_hash = ?, content_hash = ? WHERE id = ?", out)
        last_id, count = rows[-1][0], count + len(rows)
    return last_id, last_hash, count


def downgrade() -> None:
    with op.batch_alter_table("audit_record") as batch_op:
        batch_op.drop_column("content_hash")
        batch_op.drop_column("prev_hash")
    op.drop_table("audit_chain_head")
