"""suggestion documents

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 03:00:00

New tables only (the suggestion document, its follow-up entries, number counters, number
patterns and wording blocks per unit and kind); a suggestion links its reply clock by deadline
id, so ``deadline`` is not rebuilt.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _unit_kind() -> list[sa.Column]:
    return [
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
    ]


def _edited() -> list[sa.Column]:
    return [
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("subtype", sa.String(length=12), nullable=False),
        sa.Column("issuer", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("blocks", sa.Text(), nullable=False),
        sa.Column("attachments", sa.Text(), nullable=False),
        sa.Column("copy_to", sa.Text(), nullable=False),
        sa.Column("source_cases", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("served_way", sa.String(length=6), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("served_receiver", sa.String(length=100), nullable=False),
        sa.Column("reply_deadline_id", sa.Uuid(), nullable=True),
        sa.Column("replied_on", sa.Date(), nullable=True),
        sa.Column("reply_summary", sa.Text(), nullable=False),
        sa.Column("adoption", sa.String(length=6), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reply_deadline_id"], ["deadline.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "kind", "year", "seq", name="uq_suggestion_number"),
    )
    op.create_index("ix_suggestion_case_id", "suggestion", ["case_id"], unique=False)
    op.create_index("ix_suggestion_year_kind", "suggestion", ["year", "kind"], unique=False)

    op.create_table(
        "suggestion_entry",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("suggestion_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestion.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_suggestion_entry_suggestion_id", "suggestion_entry", ["suggestion_id"], unique=False
    )

    op.create_table(
        "suggestion_counter",
        *_unit_kind(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit", "kind", "year"),
    )
    op.create_table(
        "suggestion_pattern",
        *_unit_kind(),
        sa.Column("pattern", sa.String(length=100), nullable=False),
        *_edited(),
        sa.PrimaryKeyConstraint("unit", "kind"),
    )
    op.create_table(
        "suggestion_template",
        *_unit_kind(),
        sa.Column("opening", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("closing", sa.Text(), nullable=False),
        *_edited(),
        sa.PrimaryKeyConstraint("unit", "kind"),
    )


def downgrade() -> None:
    for table in ("suggestion_template", "suggestion_pattern", "suggestion_counter",
                  "suggestion_entry", "suggestion"):  # fmt: skip
        op.drop_table(table)
