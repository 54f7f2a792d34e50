"""enforcement and the debtor credit list

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 03:00:00

New tables only (the enforcement record, its payments and actions, credit listings, 限制消费
orders); a listing links its clocks by deadline id, so ``deadline`` is not rebuilt.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _debtor() -> list:
    return [
        sa.Column("debtor_enterprise_id", sa.Uuid(), nullable=True),
        sa.Column("debtor_person_id", sa.Uuid(), nullable=True),
        sa.Column("debtor_name", sa.String(length=200), nullable=False),
    ]


def _debtor_keys() -> list:
    return [
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["debtor_enterprise_id"], ["enterprise.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["debtor_person_id"], ["person.id"], ondelete="RESTRICT"),
    ]


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "enforcement_record",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("title_kind", sa.String(length=10), nullable=False),
        sa.Column("title_document_no", sa.String(length=100), nullable=False),
        sa.Column("title_organ", sa.String(length=100), nullable=False),
        sa.Column("title_effective_on", sa.Date(), nullable=True),
        sa.Column("claimed_fen", sa.BigInteger(), nullable=True),
        sa.Column("recovered_fen", sa.BigInteger(), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=True),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("resumed_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_kind", sa.String(length=10), nullable=False),
        sa.Column("close_document", sa.String(length=100), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_enforcement_record_case_id", "enforcement_record", ["case_id"], unique=True)

    for table, columns in (
        ("enforcement_payment", [
            sa.Column("paid_on", sa.Date(), nullable=False),
            sa.Column("amount_fen", sa.BigInteger(), nullable=False),
            sa.Column("payer", sa.String(length=200), nullable=False),
            sa.Column("way", sa.String(length=10), nullable=False),
            sa.Column("note", sa.Text(), nullable=False),
        ]),
        ("enforcement_action", [
            sa.Column("kind", sa.String(length=10), nullable=False),
            sa.Column("taken_on", sa.Date(), nullable=False),
            sa.Column("result", sa.Text(), nullable=False),
            sa.Column("document_no", sa.String(length=100), nullable=False),
        ]),
    ):  # fmt: skip
        op.create_table(
            table,
            sa.Column("id", sa.Uuid(), nullable=False),
            sa.Column("record_id", sa.Uuid(), nullable=False),
            *columns,
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("created_by", sa.String(length=100), nullable=False),
            sa.ForeignKeyConstraint(["record_id"], ["enforcement_record.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )
        _indexes(table, "record_id")

    op.create_table(
        "dishonest_listing",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        *_debtor(),
        sa.Column("warned_on", sa.Date(), nullable=True),
        sa.Column("warning_document_no", sa.String(length=100), nullable=False),
        sa.Column("grace_from", sa.Date(), nullable=True),
        sa.Column("grace_months", sa.Integer(), nullable=True),
        sa.Column("grace_end", sa.Date(), nullable=True),
        sa.Column("listed_on", sa.Date(), nullable=True),
        sa.Column("ground", sa.Integer(), nullable=True),
        sa.Column("document_no", sa.String(length=100), nullable=False),
        sa.Column("term_spec", sa.String(length=10), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("ground_arose_on", sa.Date(), nullable=True),
        sa.Column("ground_reason", sa.String(length=20), nullable=False),
        sa.Column("deleted_on", sa.Date(), nullable=True),
        sa.Column("delete_reason", sa.String(length=20), nullable=False),
        sa.Column("delete_document_no", sa.String(length=100), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("grace_deadline_id", sa.Uuid(), nullable=True),
        sa.Column("term_deadline_id", sa.Uuid(), nullable=True),
        sa.Column("delete_deadline_id", sa.Uuid(), nullable=True),
        *_stamps(),
        *_debtor_keys(),
        sa.ForeignKeyConstraint(["grace_deadline_id"], ["deadline.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["term_deadline_id"], ["deadline.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["delete_deadline_id"], ["deadline.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("dishonest_listing", "case_id", "debtor_enterprise_id", "debtor_person_id")
    op.create_index(
        "ix_dishonest_listing_active",
        "dishonest_listing",
        ["listed_on", "case_id"],
        unique=False,
        sqlite_where=sa.text("deleted_on IS NULL"),
        postgresql_where=sa.text("deleted_on IS NULL"),
    )

    op.create_table(
        "spending_ban",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        *_debtor(),
        sa.Column("ordered_on", sa.Date(), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=False),
        sa.Column("restricted_persons", sa.Text(), nullable=False),
        sa.Column("lifted_on", sa.Date(), nullable=True),
        sa.Column("lift_reason", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_stamps(),
        *_debtor_keys(),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("spending_ban", "case_id", "debtor_enterprise_id", "debtor_person_id")


def downgrade() -> None:
    for table in ("spending_ban", "dishonest_listing", "enforcement_action",
                  "enforcement_payment", "enforcement_record"):  # fmt: skip
        op.drop_table(table)
