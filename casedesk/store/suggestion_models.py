"""Tables of suggestion documents (司法建议书, 检察建议书, 检察意见书, 补正材料一次性告知书): the
document with its text, number, service and reply; its follow-up entries (催办, 回访); the
number counters per issuing unit, kind and year; and the administrator's number patterns and
wording blocks per unit and kind.

The issuing unit is the issuer's full name (乌鲁木齐市天山区人民法院): numbers, patterns and
wording blocks are kept per unit and kind. The reply clock is an ordinary deadline whose id the
suggestion keeps (``deadline`` is not rebuilt).

Imported by :mod:`casedesk.store.models`, so one metadata holds every table.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casedesk.store.models import Base, Stamped, _uuid


class Suggestion(Stamped, Base):
    """One suggestion document of a case; ``state`` 草稿 / 已定稿 / 已送达 / 已回复 (逾期未回复 is
    computed from the reply clock)."""

    __tablename__ = "suggestion"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))  # documents.KINDS
    subtype: Mapped[str] = mapped_column(String(12), default="")
    issuer: Mapped[str] = mapped_column(String(100), default="")  # the issuing unit, full name
    subject: Mapped[str] = mapped_column(String(200), default="")  # 事由 (title)
    recipient: Mapped[str] = mapped_column(String(200), default="")  # 主送, full name
    #: JSON lists: [{"kind": "heading", "text": "…"}, …]; ["判决书"]; ["某某局"]; ["（2026）…"].
    blocks: Mapped[str] = mapped_column(Text, default="[]")
    attachments: Mapped[str] = mapped_column(Text, default="[]")
    copy_to: Mapped[str] = mapped_column(Text, default="[]")
    source_cases: Mapped[str] = mapped_column(Text, default="[]")  # other cases it rests on
    contact: Mapped[str] = mapped_column(String(200), default="")
    signed_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(6))
    #: The number's year once finalised (of the signing date); a draft's: of its signing date
    #: or of its creation.
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer)  # 序号 within (issuer, kind, year)
    number: Mapped[str] = mapped_column(String(60), default="")  # 新01法建〔2026〕3号
    served_way: Mapped[str] = mapped_column(String(6), default="")
    served_on: Mapped[date | None] = mapped_column(Date)
    served_receiver: Mapped[str] = mapped_column(String(100), default="")
    reply_deadline_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("deadline.id", ondelete="SET NULL")
    )
    replied_on: Mapped[date | None] = mapped_column(Date)
    reply_summary: Mapped[str] = mapped_column(Text, default="")
    adoption: Mapped[str] = mapped_column(String(6), default="")  # 采纳 / 部分采纳 / 未采纳
    measures: Mapped[str] = mapped_column(Text, default="")  # 整改措施
    created_by: Mapped[str] = mapped_column(String(100), default="")

    entries: Mapped[list[SuggestionEntry]] = relationship(
        cascade="all, delete-orphan",
        order_by="[SuggestionEntry.occurred_on, SuggestionEntry.created_at]",
    )

    __table_args__ = (
        # no number twice, even when two desks finalise at once
        UniqueConstraint("issuer", "kind", "year", "seq", name="uq_suggestion_number"),
        Index("ix_suggestion_year_kind", "year", "kind"),
    )


class SuggestionEntry(Base):
    """A dated follow-up: 催办 (a reminder sent) or 回访 (a return visit)."""

    __tablename__ = "suggestion_entry"

    id: Mapped[uuid.UUID] = _uuid()
    suggestion_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("suggestion.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(4))  # 催办 / 回访
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))


class SuggestionCounter(Base):
    """The last number given per issuing unit, kind and year (advanced in the transaction that
    finalises, so a rolled-back finalising leaves no gap)."""

    __tablename__ = "suggestion_counter"

    unit: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class SuggestionPattern(Base):
    """A unit's number pattern for a kind, e.g. 乌检民建〔{year}〕{n}号 (only {year} and {n}
    remain: the unit's fields are filled in when it is saved)."""

    __tablename__ = "suggestion_pattern"

    unit: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    pattern: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(100))


class SuggestionTemplate(Base):
    """A unit's wording blocks for a kind (see casedesk.domain.doc_templates)."""

    __tablename__ = "suggestion_template"

    unit: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    opening: Mapped[str] = mapped_column(Text, default="")
    reply: Mapped[str] = mapped_column(Text, default="")
    closing: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(100))
