"""indexes for the board and the measure lists on large databases

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 02:00:00

Measured on the 150,000-case reference dataset (``make bench``): the list of persons in custody
looked up each measure's open clock through ``ix_deadline_board`` (every open deadline, 7.7 s);
the board read each open deadline's row from the table; the seized-property lists read each
measure's row. Only indexes change: no data is touched.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_LINKS = ("property_measure_id", "personal_measure_id", "custody_review_id")
_OPEN_COLUMNS = [
    "due_on", "due_at", "case_id", "rule_id", "id", "subject", "custody", "warnings",
    "property_measure_id", "personal_measure_id", "custody_review_id", "status",
]  # fmt: skip
_ACTIVE_COLUMNS = [
    "case_id", "term_end", "value_fen", "released_fen", "live_use", "unrelated_on",
    "owner_enterprise_id", "owner_name", "released_on",
]  # fmt: skip


def _partial(condition: str) -> dict:
    return {
        "sqlite_where": sa.text(condition),
        "postgresql_where": sa.text(condition),
    }


def upgrade() -> None:
    op.drop_index("ix_deadline_board", table_name="deadline")
    op.create_index("ix_deadline_open", "deadline", _OPEN_COLUMNS, **_partial("status = 'open'"))
    for link in _LINKS:
        op.drop_index(f"ix_deadline_{link}", table_name="deadline")
        op.create_index(f"ix_deadline_{link}", "deadline", [link, "status", "due_on", "due_at"])
    op.create_index("ix_case_deleted", "case_file", ["id"], **_partial("deleted_at IS NOT NULL"))
    op.drop_index("ix_property_measure_active", table_name="property_measure")
    op.create_index(
        "ix_property_measure_active",
        "property_measure",
        _ACTIVE_COLUMNS,
        **_partial("released_on IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_property_measure_active", table_name="property_measure")
    op.create_index(
        "ix_property_measure_active",
        "property_measure",
        ["case_id", "term_end", "value_fen", "released_fen"],
        **_partial("released_on IS NULL"),
    )
    op.drop_index("ix_case_deleted", table_name="case_file")
    for link in _LINKS:
        op.drop_index(f"ix_deadline_{link}", table_name="deadline")
        op.create_index(f"ix_deadline_{link}", "deadline", [link])
    op.drop_index("ix_deadline_open", table_name="deadline")
    op.create_index("ix_deadline_board", "deadline", ["status", "due_on"])
