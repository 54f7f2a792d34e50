"""the unit (庭/部门) of a case

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 09:00:00

``case_file.unit``: the 庭/部门 a case belongs to, which the permission table checks and the lists
filter by (issue 7, point 2). Added with ``ADD COLUMN`` and a server default — no rebuild of
``case_file``, the parent of every case table (a batch rebuild with foreign keys on would delete
their rows: reference/stack.md, pitfall 11); on SQLite that only rewrites the schema, whatever the
number of cases. Existing cases get "": a case of no unit belongs to the unit of its handler's
account (casedesk.services.base.case_target), until it is registered or assigned again. Two
indexes over the live cases answer "the cases this unit sees", as list keys (the case list) and
as ids (the board's count …), each read in order (casedesk.store.case_scope); ``deleted_at``
(NULL in them) lets SQLite see each as covering its own query. 0.2 s each on 150,000 cases.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_LIVE = "deleted_at IS NULL"
_INDEXES = (("ix_case_unit", "list_key"), ("ix_case_unit_id", "id"))  # models.UNIT_INDEXES


def upgrade() -> None:
    op.add_column(
        "case_file",
        sa.Column("unit", sa.String(length=100), nullable=False, server_default=""),
    )
    for name, column in _INDEXES:
        op.create_index(
            name,
            "case_file",
            ["unit", column, "deleted_at"],
            sqlite_where=sa.text(_LIVE),
            postgresql_where=sa.text(_LIVE),
        )


def downgrade() -> None:
    for name, _column in _INDEXES:
        op.drop_index(name, table_name="case_file")
    op.drop_column("case_file", "unit")  # SQLite ≥ 3.35 drops a column without a rebuild
