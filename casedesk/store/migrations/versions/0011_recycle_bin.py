"""the recycle bin

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 07:00:00

A new table only (casedesk.store.recycle_bin): timeline entries, parties and 建议书 drafts that a
user deletes are kept here whole, with who deleted them and when, and can be restored (issue 7,
point 2). No existing table is rebuilt; records deleted before this upgrade stay in the audit
trail only.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recycle_bin",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_recycle_bin_case_id", "recycle_bin", ["case_id"])
    op.create_index("ix_recycle_bin_deleted_at", "recycle_bin", ["deleted_at"])


def downgrade() -> None:
    op.drop_index("ix_recycle_bin_deleted_at", table_name="recycle_bin")
    op.drop_index("ix_recycle_bin_case_id", table_name="recycle_bin")
    op.drop_table("recycle_bin")
