"""Tables of enforcement (执行) and the debtor credit list (失信被执行人): the title of enforcement,
payments, actions, 终本 and its follow-up, listings with their grace period and deletion,
限制消费 orders.

A listing keeps the ids of its clocks (grace period, term, deletion) instead of the deadline
table carrying one more link: the ``deadline`` table is not rebuilt (stack.md, batch migrations).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casedesk.store.models import Base, Stamped, _uuid


class EnforcementRecord(Stamped, Base):
    """The enforcement record of one 执行 case: its title, claim and where it stands."""

    __tablename__ = "enforcement_record"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), unique=True, index=True
    )
    title_kind: Mapped[str] = mapped_column(String(10))  # 判决书 / 调解书 / 仲裁裁决 …
    title_document_no: Mapped[str] = mapped_column(String(100), default="")
    title_organ: Mapped[str] = mapped_column(String(100), default="")
    title_effective_on: Mapped[date | None] = mapped_column(Date)
    claimed_fen: Mapped[int | None] = mapped_column(BigInteger)
    #: Sum of the payments (kept with each payment, so lists sort by 到位率 in SQL).
    recovered_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    performed_on: Mapped[date | None] = mapped_column(Date)  # 履行完毕
    terminated_on: Mapped[date | None] = mapped_column(Date)  # 终本 (the latest, while in force)
    resumed_on: Mapped[date | None] = mapped_column(Date)  # 恢复执行 (the latest)
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_kind: Mapped[str] = mapped_column(String(10), default="")  # 执行完毕 / 终结执行 …
    close_document: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")

    payments: Mapped[list[EnforcementPayment]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        order_by="[EnforcementPayment.paid_on, EnforcementPayment.created_at]",
    )
    actions: Mapped[list[EnforcementAction]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        order_by="[EnforcementAction.taken_on, EnforcementAction.created_at]",
    )


class EnforcementPayment(Base):
    """Money recovered on a date (执行到位)."""

    __tablename__ = "enforcement_payment"

    id: Mapped[uuid.UUID] = _uuid()
    record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enforcement_record.id", ondelete="CASCADE"), index=True
    )
    paid_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    payer: Mapped[str] = mapped_column(String(200), default="")
    way: Mapped[str] = mapped_column(String(10), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    record: Mapped[EnforcementRecord] = relationship(back_populates="payments")


class EnforcementAction(Base):
    """A step taken to find or reach assets (财产调查, 网络查控, 悬赏公告 …) and its result."""

    __tablename__ = "enforcement_action"

    id: Mapped[uuid.UUID] = _uuid()
    record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enforcement_record.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    taken_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(Text, default="")
    document_no: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    record: Mapped[EnforcementRecord] = relationship(back_populates="actions")


def _deadline_link() -> Mapped[uuid.UUID | None]:
    return mapped_column(ForeignKey("deadline.id", ondelete="SET NULL"))


class DishonestListing(Stamped, Base):
    """One debtor of a case on its way to, on, and off the credit list: 失信预警 and 宽限期,
    the listing decision (ground, term), and the deletion."""

    __tablename__ = "dishonest_listing"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    debtor_enterprise_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="RESTRICT"), index=True
    )
    debtor_person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    debtor_name: Mapped[str] = mapped_column(String(200), default="")
    warned_on: Mapped[date | None] = mapped_column(Date)
    warning_document_no: Mapped[str] = mapped_column(String(100), default="")
    grace_from: Mapped[date | None] = mapped_column(Date)
    grace_months: Mapped[int | None] = mapped_column(Integer)
    grace_end: Mapped[date | None] = mapped_column(Date)  # listing allowed only after it
    listed_on: Mapped[date | None] = mapped_column(Date)
    ground: Mapped[int | None] = mapped_column(Integer)  # 失信规定 第1条 (1)–(6)
    document_no: Mapped[str] = mapped_column(String(100), default="")
    term_spec: Mapped[str] = mapped_column(String(10), default="")  # "" = no term (ground 1)
    term_end: Mapped[date | None] = mapped_column(Date)
    #: When a deletion ground arose (performance, 终结执行 …) and which.
    ground_arose_on: Mapped[date | None] = mapped_column(Date)
    ground_reason: Mapped[str] = mapped_column(String(20), default="")
    deleted_on: Mapped[date | None] = mapped_column(Date)
    delete_reason: Mapped[str] = mapped_column(String(20), default="")
    delete_document_no: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    grace_deadline_id: Mapped[uuid.UUID | None] = _deadline_link()
    term_deadline_id: Mapped[uuid.UUID | None] = _deadline_link()
    delete_deadline_id: Mapped[uuid.UUID | None] = _deadline_link()
    created_by: Mapped[str] = mapped_column(String(100), default="")

    __table_args__ = (
        # the credit list and the pending deletions: listings not deleted
        Index(
            "ix_dishonest_listing_active",
            "listed_on",
            "case_id",
            sqlite_where=text("deleted_on IS NULL"),
            postgresql_where=text("deleted_on IS NULL"),
        ),
    )


class SpendingBan(Stamped, Base):
    """限制消费令 against a debtor (限制消费规定 第1、3、5、9条)."""

    __tablename__ = "spending_ban"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    debtor_enterprise_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="RESTRICT"), index=True
    )
    debtor_person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    debtor_name: Mapped[str] = mapped_column(String(200), default="")
    ordered_on: Mapped[date] = mapped_column(Date)
    document_no: Mapped[str] = mapped_column(String(100), default="")
    restricted_persons: Mapped[str] = mapped_column(Text, default="")
    lifted_on: Mapped[date | None] = mapped_column(Date)
    lift_reason: Mapped[str] = mapped_column(String(20), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")
