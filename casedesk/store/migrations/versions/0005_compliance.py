"""compliance reform

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "compliance_case",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("start_kind", sa.String(length=10), nullable=False),
        sa.Column("applicant", sa.String(length=100), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=True),
        sa.Column("apply_document", sa.String(length=100), nullable=False),
        sa.Column("org_name", sa.String(length=200), nullable=False),
        sa.Column("org_formed_on", sa.Date(), nullable=True),
        sa.Column("plan_submitted_on", sa.Date(), nullable=True),
        sa.Column("plan_committed_on", sa.Date(), nullable=True),
        sa.Column("plan_accepted_on", sa.Date(), nullable=True),
        sa.Column("exam_start", sa.Date(), nullable=True),
        sa.Column("exam_months", sa.Integer(), nullable=True),
        sa.Column("report_interval", sa.String(length=10), nullable=False),
        sa.Column("report_deadline_id", sa.Uuid(), nullable=True),
        sa.Column("exam_deadline_id", sa.Uuid(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("result", sa.String(length=4), nullable=False),
        sa.Column("hearing_on", sa.Date(), nullable=True),
        sa.Column("hearing_participants", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("decision_document", sa.String(length=100), nullable=False),
        sa.Column("opinion_authority", sa.String(length=100), nullable=False),
        sa.Column("opinion_served_on", sa.Date(), nullable=True),
        sa.Column("opinion_deadline_id", sa.Uuid(), nullable=True),
        sa.Column("opinion_replied_on", sa.Date(), nullable=True),
        sa.Column("opinion_reply", sa.Text(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["exam_deadline_id"], ["deadline.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["opinion_deadline_id"], ["deadline.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["report_deadline_id"], ["deadline.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_compliance_case_case_id"), "compliance_case", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_compliance_case_enterprise_id"), "compliance_case", ["enterprise_id"], unique=False
    )
    op.create_table(
        "compliance_clock",
        sa.Column("compliance_id", sa.Uuid(), nullable=False),
        sa.Column("deadline_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["compliance_id"], ["compliance_case.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["deadline_id"], ["deadline.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("compliance_id", "deadline_id"),
    )
    op.create_index(
        op.f("ix_compliance_clock_deadline_id"), "compliance_clock", ["deadline_id"], unique=False
    )
    op.create_table(
        "compliance_entry",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("compliance_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("months", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["compliance_id"], ["compliance_case.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_compliance_entry_compliance_id"),
        "compliance_entry",
        ["compliance_id"],
        unique=False,
    )
    op.create_table(
        "compliance_member",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("compliance_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("profession", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("objection", sa.Text(), nullable=False),
        sa.Column("objected_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("replaced_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["compliance_id"], ["compliance_case.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["replaced_by_id"], ["compliance_member.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_compliance_member_compliance_id"),
        "compliance_member",
        ["compliance_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("compliance_clock")
    op.drop_table("compliance_member")
    op.drop_table("compliance_entry")
    op.drop_table("compliance_case")
