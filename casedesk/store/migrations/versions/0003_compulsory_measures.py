"""compulsory measures

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 22:16:38.219414
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "personal_measure",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("person_name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=6), nullable=False),
        sa.Column("organ", sa.String(length=100), nullable=False),
        sa.Column("organ_kind", sa.String(length=10), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("executed_on", sa.Date(), nullable=True),
        sa.Column("executed_at", sa.DateTime(), nullable=True),
        sa.Column("guarantor", sa.String(length=100), nullable=False),
        sa.Column("deposit_fen", sa.BigInteger(), nullable=True),
        sa.Column("designated_residence", sa.Boolean(), nullable=False),
        sa.Column("residence", sa.String(length=200), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=40), nullable=False),
        sa.Column("end_document", sa.String(length=100), nullable=False),
        sa.Column("changed_to_id", sa.Uuid(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["changed_to_id"], ["personal_measure.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("personal_measure", schema=None) as batch_op:
        batch_op.create_index(
            "ix_personal_measure_active",
            ["kind", "case_id"],
            unique=False,
            sqlite_where=sa.text("ended_on IS NULL"),
            postgresql_where=sa.text("ended_on IS NULL"),
        )
        batch_op.create_index(batch_op.f("ix_personal_measure_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_personal_measure_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "property_measure",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("object_kind", sa.String(length=8), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_enterprise_id", sa.Uuid(), nullable=True),
        sa.Column("owner_person_id", sa.Uuid(), nullable=True),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("value_fen", sa.BigInteger(), nullable=True),
        sa.Column("account_no", sa.String(length=100), nullable=False),
        sa.Column("organ", sa.String(length=100), nullable=False),
        sa.Column("organ_kind", sa.String(length=10), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("term_rule_id", sa.String(length=60), nullable=True),
        sa.Column("term_spec", sa.String(length=10), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("live_use", sa.Boolean(), nullable=False),
        sa.Column("live_use_note", sa.Text(), nullable=False),
        sa.Column("unrelated_on", sa.Date(), nullable=True),
        sa.Column("released_fen", sa.BigInteger(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_enterprise_id"], ["enterprise.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["owner_person_id"], ["person.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("property_measure", schema=None) as batch_op:
        batch_op.create_index(
            "ix_property_measure_active",
            ["case_id", "term_end", "value_fen", "released_fen"],
            unique=False,
            sqlite_where=sa.text("released_on IS NULL"),
            postgresql_where=sa.text("released_on IS NULL"),
        )
        batch_op.create_index(batch_op.f("ix_property_measure_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_property_measure_owner_enterprise_id"),
            ["owner_enterprise_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_property_measure_owner_person_id"), ["owner_person_id"], unique=False
        )

    op.create_table(
        "stalled_supervision",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("threshold", sa.String(length=60), nullable=False),
        sa.Column("supervising_unit", sa.String(length=100), nullable=False),
        sa.Column("responsible_unit", sa.String(length=100), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("close_document", sa.String(length=200), nullable=False),
        sa.Column("close_note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stalled_supervision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stalled_supervision_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "custody_review",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("measure_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("trigger", sa.String(length=10), nullable=False),
        sa.Column("applicant", sa.String(length=100), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("conclusion", sa.String(length=12), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("replied_on", sa.Date(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["measure_id"], ["personal_measure.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("custody_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custody_review_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_custody_review_measure_id"), ["measure_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_custody_review_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "property_release",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("measure_id", sa.Uuid(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("value_fen", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["measure_id"], ["property_measure.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("property_release", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_property_release_measure_id"), ["measure_id"], unique=False
        )

    op.create_table(
        "property_renewal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("measure_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("organ", sa.String(length=100), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=False),
        sa.Column("term_spec", sa.String(length=10), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["measure_id"], ["property_measure.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("property_renewal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_property_renewal_measure_id"), ["measure_id"], unique=False
        )

    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("costs_fen", sa.BigInteger(), nullable=True))

    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.add_column(sa.Column("property_measure_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("personal_measure_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("custody_review_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("period_spec", sa.String(length=10), nullable=False, server_default="")
        )
        batch_op.create_index(
            batch_op.f("ix_deadline_custody_review_id"), ["custody_review_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_deadline_personal_measure_id"), ["personal_measure_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_deadline_property_measure_id"), ["property_measure_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_deadline_property_measure",
            "property_measure",
            ["property_measure_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            "fk_deadline_custody_review",
            "custody_review",
            ["custody_review_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            "fk_deadline_personal_measure",
            "personal_measure",
            ["personal_measure_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_constraint("fk_deadline_property_measure", type_="foreignkey")
        batch_op.drop_constraint("fk_deadline_custody_review", type_="foreignkey")
        batch_op.drop_constraint("fk_deadline_personal_measure", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_deadline_property_measure_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_personal_measure_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_custody_review_id"))
        batch_op.drop_column("period_spec")
        batch_op.drop_column("custody_review_id")
        batch_op.drop_column("personal_measure_id")
        batch_op.drop_column("property_measure_id")

    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_column("costs_fen")

    with op.batch_alter_table("property_renewal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_property_renewal_measure_id"))

    op.drop_table("property_renewal")
    with op.batch_alter_table("property_release", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_property_release_measure_id"))

    op.drop_table("property_release")
    with op.batch_alter_table("custody_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custody_review_person_id"))
        batch_op.drop_index(batch_op.f("ix_custody_review_measure_id"))
        batch_op.drop_index(batch_op.f("ix_custody_review_case_id"))

    op.drop_table("custody_review")
    with op.batch_alter_table("stalled_supervision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stalled_supervision_case_id"))

    op.drop_table("stalled_supervision")
    with op.batch_alter_table("property_measure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_property_measure_owner_person_id"))
        batch_op.drop_index(batch_op.f("ix_property_measure_owner_enterprise_id"))
        batch_op.drop_index(batch_op.f("ix_property_measure_case_id"))
        batch_op.drop_index(
            "ix_property_measure_active",
            sqlite_where=sa.text("released_on IS NULL"),
            postgresql_where=sa.text("released_on IS NULL"),
        )

    op.drop_table("property_measure")
    with op.batch_alter_table("personal_measure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_measure_person_id"))
        batch_op.drop_index(batch_op.f("ix_personal_measure_case_id"))
        batch_op.drop_index(
            "ix_personal_measure_active",
            sqlite_where=sa.text("ended_on IS NULL"),
            postgresql_where=sa.text("ended_on IS NULL"),
        )

    op.drop_table("personal_measure")
