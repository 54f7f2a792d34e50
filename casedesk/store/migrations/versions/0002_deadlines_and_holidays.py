"""deadlines and holidays

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:51:52.633445
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "holiday_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("day", "scope"),
    )
    op.create_table(
        "holiday_year",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("year", "scope"),
    )
    op.create_table(
        "rule_override",
        sa.Column("rule_id", sa.String(length=60), nullable=False),
        sa.Column("values", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("rule_id"),
    )
    op.create_table(
        "deadline",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("rule_id", sa.String(length=60), nullable=False),
        sa.Column("trigger", sa.String(length=40), nullable=False),
        sa.Column("source_event_id", sa.Uuid(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=True),
        sa.Column("custody", sa.Boolean(), nullable=False),
        sa.Column("extensions_used", sa.Integer(), nullable=False),
        sa.Column("extension_log", sa.Text(), nullable=False),
        sa.Column("suspensions", sa.Text(), nullable=False),
        sa.Column("restarts", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("steps", sa.Text(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_event_id"], ["case_event.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.create_index("ix_deadline_board", ["status", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadline_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_deadline_source_event_id"), ["source_event_id"], unique=False
        )

    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trigger", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("occurred_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_column("occurred_at")
        batch_op.drop_column("trigger")

    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_source_event_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_case_id"))
        batch_op.drop_index("ix_deadline_board")

    op.drop_table("deadline")
    op.drop_table("rule_override")
    op.drop_table("holiday_year")
    op.drop_table("holiday_day")
    op.drop_table("app_setting")
