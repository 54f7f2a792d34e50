"""Tables of the compulsory measures (强制措施): property measures with their renewals and
releases, personal measures, custody-necessity reviews, and the 挂案 supervision records.

Imported by :mod:`casedesk.store.models`, so one metadata holds every table.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casedesk.store.models import Base, Stamped, _uuid

#: The columns of ``ix_property_measure_active``: every column the seized-property lists read of
#: a measure not released, so that they are answered from the index alone.
ACTIVE_COLUMNS = (
    "case_id", "term_end", "value_fen", "released_fen", "live_use", "unrelated_on",
    "owner_enterprise_id", "owner_name", "released_on",
)  # fmt: skip


class PropertyMeasure(Stamped, Base):
    """查封 / 扣押 / 冻结 / 扣留 of one object on a case."""

    __tablename__ = "property_measure"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(4))  # 查封 / 扣押 / 冻结 / 扣留
    object_kind: Mapped[str] = mapped_column(String(8))  # 不动产 / 动产 / 存款 / 股权 …
    description: Mapped[str] = mapped_column(Text, default="")
    #: The owner: an enterprise or a person of the case (one of the two), and its name as shown.
    owner_enterprise_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="RESTRICT"), index=True
    )
    owner_person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    value_fen: Mapped[int | None] = mapped_column(BigInteger)
    account_no: Mapped[str] = mapped_column(String(100), default="")  # 账号 / 登记号
    organ: Mapped[str] = mapped_column(String(100), default="")  # 决定机关
    organ_kind: Mapped[str] = mapped_column(String(10), default="")  # 公安机关 / 人民法院 …
    document_no: Mapped[str] = mapped_column(String(100), default="")
    start_on: Mapped[date] = mapped_column(Date)
    #: The rule that sets its term (or its review reminder), the term applied, and the last day
    #: of the current term (renewals move it); None: no statutory term.
    term_rule_id: Mapped[str | None] = mapped_column(String(60))
    term_spec: Mapped[str] = mapped_column(String(10), default="")
    term_end: Mapped[date | None] = mapped_column(Date)
    live_use: Mapped[bool] = mapped_column(default=False)  # 活封活扣
    live_use_note: Mapped[str] = mapped_column(Text, default="")  # the permitted use
    unrelated_on: Mapped[date | None] = mapped_column(Date)  # 经查明与案件无关
    released_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # partial releases so far
    released_on: Mapped[date | None] = mapped_column(Date)  # full release
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")

    renewals: Mapped[list[PropertyRenewal]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", order_by="PropertyRenewal.seq"
    )
    releases: Mapped[list[PropertyRelease]] = relationship(
        back_populates="measure",
        cascade="all, delete-orphan",
        order_by="[PropertyRelease.released_on, PropertyRelease.created_at]",
    )

    __table_args__ = (
        # the 超标的 list and "seized from this enterprise": measures still in force
        Index(
            "ix_property_measure_active",
            *ACTIVE_COLUMNS,
            sqlite_where=text("released_on IS NULL"),
            postgresql_where=text("released_on IS NULL"),
        ),
    )


class PropertyRenewal(Base):
    """续行: one more term of a property measure, decided before the previous one lapsed."""

    __tablename__ = "property_renewal"

    id: Mapped[uuid.UUID] = _uuid()
    measure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("property_measure.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)  # 1 = first renewal
    decided_on: Mapped[date] = mapped_column(Date)
    organ: Mapped[str] = mapped_column(String(100), default="")
    document_no: Mapped[str] = mapped_column(String(100), default="")
    term_spec: Mapped[str] = mapped_column(String(10))
    start_on: Mapped[date] = mapped_column(Date)  # the previous term's last day
    term_end: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    measure: Mapped[PropertyMeasure] = relationship(back_populates="renewals")


class PropertyRelease(Base):
    """解除: in full (the measure ends) or in part (``value_fen`` of it)."""

    __tablename__ = "property_release"

    id: Mapped[uuid.UUID] = _uuid()
    measure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("property_measure.id", ondelete="CASCADE"), index=True
    )
    released_on: Mapped[date] = mapped_column(Date)
    full: Mapped[bool] = mapped_column(default=True)
    value_fen: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text, default="")
    document_no: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    measure: Mapped[PropertyMeasure] = relationship(back_populates="releases")


class PersonalMeasure(Stamped, Base):
    """拘传 / 取保候审 / 监视居住 / 拘留 / 逮捕 of one person of a case."""

    __tablename__ = "personal_measure"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    person_name: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(6))
    organ: Mapped[str] = mapped_column(String(100), default="")
    organ_kind: Mapped[str] = mapped_column(String(10), default="")
    document_no: Mapped[str] = mapped_column(String(100), default="")
    decided_on: Mapped[date] = mapped_column(Date)
    executed_on: Mapped[date | None] = mapped_column(Date)
    executed_at: Mapped[datetime | None] = mapped_column(DateTime)  # 拘传: to the minute
    guarantor: Mapped[str] = mapped_column(String(100), default="")  # 取保候审: 保证人
    deposit_fen: Mapped[int | None] = mapped_column(BigInteger)  # 取保候审: 保证金
    designated_residence: Mapped[bool] = mapped_column(default=False)  # 指定居所监视居住
    residence: Mapped[str] = mapped_column(String(200), default="")
    #: The legal maximum's last day (取保候审 12 months, 监视居住 6 months), when it has one.
    term_end: Mapped[date | None] = mapped_column(Date)
    #: How it ended: 变更 (to ``changed_to_id``), 解除, 释放, 期满 …, and when.
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str] = mapped_column(String(40), default="")
    end_document: Mapped[str] = mapped_column(String(100), default="")
    changed_to_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("personal_measure.id", ondelete="SET NULL")
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")

    __table_args__ = (
        Index(
            "ix_personal_measure_active",
            "kind",
            "case_id",
            sqlite_where=text("ended_on IS NULL"),
            postgresql_where=text("ended_on IS NULL"),
        ),
    )


class CustodyReview(Stamped, Base):
    """羁押必要性审查 of a person in custody (刑诉法 第95条; 刑诉规则 第574–579条)."""

    __tablename__ = "custody_review"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    measure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("personal_measure.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    trigger: Mapped[str] = mapped_column(String(10))  # 依职权 / 申请 / 看守所建议
    applicant: Mapped[str] = mapped_column(String(100), default="")
    started_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(10), default="书面审查")  # 书面审查 / 公开审查
    concluded_on: Mapped[date | None] = mapped_column(Date)
    conclusion: Mapped[str] = mapped_column(String(12), default="")  # 继续羁押 / 建议释放 …
    recipient: Mapped[str] = mapped_column(String(100), default="")
    document_no: Mapped[str] = mapped_column(String(100), default="")
    served_on: Mapped[date | None] = mapped_column(Date)  # starts custody_review.reply
    replied_on: Mapped[date | None] = mapped_column(Date)
    reply: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")


class StalledSupervision(Stamped, Base):
    """挂牌督办 of a 挂案 and its 销号."""

    __tablename__ = "stalled_supervision"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    threshold: Mapped[str] = mapped_column(String(60), default="")  # the rule that fired
    supervising_unit: Mapped[str] = mapped_column(String(100))
    responsible_unit: Mapped[str] = mapped_column(String(100))
    started_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    instructions: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)  # 销号
    outcome: Mapped[str] = mapped_column(String(20), default="")  # 撤案 / 移送审查起诉 / …
    close_document: Mapped[str] = mapped_column(String(200), default="")
    close_note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")
