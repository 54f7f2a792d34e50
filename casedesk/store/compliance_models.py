"""Tables of compliance reform (合规考察): the compliance case of an enterprise in a criminal case,
its third-party organisation's members, and its dated entries (plan revisions, reports,
inspections, extensions). Clocks are ordinary deadlines: the compliance case keeps the ids of
its current ones, and ``compliance_clock`` every one it started.

Imported by :mod:`casedesk.store.models`, so one metadata holds every table.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casedesk.store.models import Base, Stamped, _uuid


class ComplianceCase(Stamped, Base):
    """合规考察 of one enterprise of a criminal case; ``state`` moves along
    :data:`casedesk.domain.compliance.TRANSITIONS`."""

    __tablename__ = "compliance_case"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    enterprise_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enterprise.id", ondelete="RESTRICT"), index=True
    )
    state: Mapped[str] = mapped_column(String(12))
    start_kind: Mapped[str] = mapped_column(String(10))
    applicant: Mapped[str] = mapped_column(String(100), default="")
    started_on: Mapped[date] = mapped_column(Date)
    conditions: Mapped[str] = mapped_column(Text, default="")  # JSON list of CONDITIONS keys
    applied_on: Mapped[date | None] = mapped_column(Date)  # decided to apply (or not)
    apply_document: Mapped[str] = mapped_column(String(100), default="")
    org_name: Mapped[str] = mapped_column(String(200), default="")
    org_formed_on: Mapped[date | None] = mapped_column(Date)
    plan_submitted_on: Mapped[date | None] = mapped_column(Date)
    plan_committed_on: Mapped[date | None] = mapped_column(Date)  # 承诺完成时限
    plan_accepted_on: Mapped[date | None] = mapped_column(Date)
    exam_start: Mapped[date | None] = mapped_column(Date)
    exam_months: Mapped[int | None] = mapped_column(Integer)  # with the extensions
    report_interval: Mapped[str] = mapped_column(String(10), default="")
    report_deadline_id: Mapped[uuid.UUID | None] = mapped_column(  # the next report's clock
        ForeignKey("deadline.id", ondelete="SET NULL")
    )
    exam_deadline_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("deadline.id", ondelete="SET NULL")
    )
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(4), default="")  # 合格 / 不合格
    hearing_on: Mapped[date | None] = mapped_column(Date)
    hearing_participants: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(20), default="")
    decision_document: Mapped[str] = mapped_column(String(100), default="")
    opinion_authority: Mapped[str] = mapped_column(String(100), default="")  # 检察意见 to whom
    opinion_served_on: Mapped[date | None] = mapped_column(Date)
    opinion_deadline_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("deadline.id", ondelete="SET NULL")
    )
    opinion_replied_on: Mapped[date | None] = mapped_column(Date)
    opinion_reply: Mapped[str] = mapped_column(Text, default="")
    ended_on: Mapped[date | None] = mapped_column(Date)  # 不适用 / 结案 / 终止
    end_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")

    members: Mapped[list[ComplianceMember]] = relationship(
        cascade="all, delete-orphan", order_by="ComplianceMember.position"
    )
    entries: Mapped[list[ComplianceEntry]] = relationship(
        cascade="all, delete-orphan",
        order_by="[ComplianceEntry.occurred_on, ComplianceEntry.position]",
    )


class ComplianceMember(Base):
    """A member of the third-party organisation (第三方组织组成人员)."""

    __tablename__ = "compliance_member"

    id: Mapped[uuid.UUID] = _uuid()
    compliance_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("compliance_case.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    profession: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(200), default="")
    joined_on: Mapped[date] = mapped_column(Date)
    objection: Mapped[str] = mapped_column(Text, default="")  # 异议 / 回避申请
    objected_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)  # replaced
    replaced_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("compliance_member.id", ondelete="SET NULL")
    )


class ComplianceEntry(Base):
    """A dated entry: a plan revision requested, a periodic report (due and received), an
    inspection, an extension of the 考察期."""

    __tablename__ = "compliance_entry"

    id: Mapped[uuid.UUID] = _uuid()
    compliance_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("compliance_case.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))  # 修改意见 / 定期报告 / 检查 / 延长考察期
    position: Mapped[int] = mapped_column(Integer)
    occurred_on: Mapped[date] = mapped_column(Date)  # when it happened (a report: when received)
    due_on: Mapped[date | None] = mapped_column(Date)  # a report's last day
    months: Mapped[int | None] = mapped_column(Integer)  # an extension's length
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")


class ComplianceClock(Base):
    """Every clock a compliance case started (考察期, each report, 检察意见), current or past."""

    __tablename__ = "compliance_clock"

    compliance_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("compliance_case.id", ondelete="CASCADE"), primary_key=True
    )
    deadline_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("deadline.id", ondelete="CASCADE"), primary_key=True, index=True
    )
