"""SQLAlchemy 2 typed models.

Portable column types only (UUID primary keys, integer money in fen, ISO dates) so the same
schema can later live on a PostgreSQL server. SQLite-only objects (the FTS5 search index) are
created by the migrations and used only through :mod:`casedesk.store.search`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from casedesk.store.audit_hash import content_hash_default, prev_hash_default


class Base(DeclarativeBase):
    pass


def _uuid() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


class Stamped:
    """Creation and change times (UTC) and an optimistic-lock version."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


class Enterprise(Stamped, Base):
    __tablename__ = "enterprise"
    id: Mapped[uuid.UUID] = _uuid()
    name: Mapped[str] = mapped_column(String(200), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    ownership: Mapped[str | None] = mapped_column(String(8))
    size: Mapped[str | None] = mapped_column(String(4))
    industry: Mapped[str] = mapped_column(String(200), default="")
    legal_representative: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Person(Stamped, Base):
    __tablename__ = "person"
    id: Mapped[uuid.UUID] = _uuid()
    name: Mapped[str] = mapped_column(String(100), index=True)
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    contact: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


#: Case columns the list can sort by, each with a partial index over the live (not deleted) cases.
LIST_SORT_COLUMNS = (
    "family", "procedure", "cause", "parties_summary", "handler", "accepted_on", "closed_on",
    "stage", "amount_fen", "updated_at",
)  # fmt: skip


#: The indexes of the cases of a unit (migration 0010): name → the key they hold.
UNIT_INDEXES = {"ix_case_unit": "list_key", "ix_case_unit_id": "id"}


def _list_index(name: str, *columns: str) -> Index:
    """(columns…, list_key) over live cases: the list's ordered keys come straight from it."""
    live = text("deleted_at IS NULL")
    return Index(
        f"ix_case_list_{name}", *columns, "list_key", sqlite_where=live, postgresql_where=live
    )


class Case(Stamped, Base):
    __tablename__ = "case_file"
    id: Mapped[uuid.UUID] = _uuid()
    #: This database's own small integer for the case: what list models hold and the search
    #: indexes use as row id. Never leaves the database (the interchange format uses ``id``).
    list_key: Mapped[int] = mapped_column(Integer, unique=True)
    case_number: Mapped[str] = mapped_column(String(40), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    court_code: Mapped[str] = mapped_column(String(10))
    type_code: Mapped[str] = mapped_column(String(8))
    sequence: Mapped[int] = mapped_column(Integer)
    family: Mapped[str] = mapped_column(String(8))
    procedure: Mapped[str] = mapped_column(String(100), default="")
    cause: Mapped[str] = mapped_column(String(200), default="")
    handler: Mapped[str] = mapped_column(String(100), default="")
    #: The 庭/部门 the case belongs to (the unit of its handler's account when registered or
    #: assigned; "" for a case of no unit: casedesk.services.base.case_target). Lists filter by
    #: it through ``ix_case_unit`` (casedesk.store.case_scope).
    unit: Mapped[str] = mapped_column(String(100), default="", server_default="")
    accepted_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(20), default="")
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    #: 诉讼费 / 执行费 the enforcement must also cover (the 超标的 check weighs seizures against
    #: amount plus costs).
    costs_fen: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Denormalised for the list: party names in role order, kept by the services.
    parties_summary: Mapped[str] = mapped_column(String(400), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    parties: Mapped[list[CaseParty]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseParty.position"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        order_by="[CaseEvent.occurred_on, CaseEvent.created_at]",
    )
    tags: Mapped[list[Tag]] = relationship(secondary="case_tag", order_by="Tag.position")

    __table_args__ = (
        _list_index("number", "year", "court_code", "type_code", "sequence"),
        *(_list_index(col, col) for col in LIST_SORT_COLUMNS),
        # The live cases of a unit, as list keys and as ids, each in order: the set a scoped
        # list probes is read from one of them (casedesk.store.case_scope). deleted_at (always
        # NULL here) makes each the covering index of its query to SQLite's planner, which
        # otherwise takes either one for either query.
        *(
            Index(
                name,
                "unit",
                column,
                "deleted_at",
                sqlite_where=text("deleted_at IS NULL"),
                postgresql_where=text("deleted_at IS NULL"),
            )
            for name, column in UNIT_INDEXES.items()
        ),
        # The few deleted cases: "not one of them" is cheaper than looking up every case.
        Index(
            "ix_case_deleted",
            "id",
            sqlite_where=text("deleted_at IS NOT NULL"),
            postgresql_where=text("deleted_at IS NOT NULL"),
        ),
    )


class CaseParty(Base):
    __tablename__ = "case_party"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    case: Mapped[Case] = relationship(back_populates="parties")
    enterprise: Mapped[Enterprise | None] = relationship()
    person: Mapped[Person | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "(enterprise_id IS NULL) <> (person_id IS NULL)", name="ck_party_one_subject"
        ),
    )


class CaseEvent(Base):
    """A dated entry of the case's timeline; ``kind`` 'stage' moves the case's stage."""

    __tablename__ = "case_event"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    occurred_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20), default="stage")  # stage / trigger
    #: For kind "trigger": what happened (a key of deadline_rules.TRIGGERS) and when, to the
    #: minute for hour periods.
    trigger: Mapped[str | None] = mapped_column(String(40))
    occurred_at: Mapped[datetime | None] = mapped_column(DateTime)
    stage: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    case: Mapped[Case] = relationship(back_populates="events")


class Tag(Base):
    __tablename__ = "tag"

    id: Mapped[uuid.UUID] = _uuid()
    name: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CaseTag(Base):
    __tablename__ = "case_tag"

    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tag.id", ondelete="RESTRICT"), primary_key=True, index=True
    )


class CourtCode(Base):
    __tablename__ = "court_code"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[str] = mapped_column(String(1), default="M")
    note: Mapped[str] = mapped_column(String(200), default="")


class CaseTypeCode(Base):
    __tablename__ = "case_type_code"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    family: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(50))
    confidence: Mapped[str] = mapped_column(String(1), default="M")


class AuditRecord(Base):
    """Append-only: one record per create, update or delete (or event: export, print, login),
    written with the change itself and chained to the record before it (docs/audit.md)."""

    __tablename__ = "audit_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))  # create / update / delete / restore
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    #: JSON object {field: [old, new]}.
    changes: Mapped[str] = mapped_column(Text, default="{}")
    #: The chain (casedesk.store.audit_hash): the previous record's hash, then this record's,
    #: filled in at the INSERT under the write lock — never set them by hand. The server
    #: default '' (not chained, fails verification) only served migration 0008.
    prev_hash: Mapped[str] = mapped_column(String(64), default=prev_hash_default, server_default="")
    content_hash: Mapped[str] = mapped_column(
        String(64), default=content_hash_default, server_default=""
    )

    __table_args__ = (Index("ix_audit_record_entity", "entity_type", "entity_id"),)


class AuditChainHead(Base):
    """The one row (id 1) naming the last audit record of the chain: every writer of audit
    records updates it first, in its own transaction (casedesk.store.audit_hash)."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    records: Mapped[int] = mapped_column(Integer)


class CaseSearch(Base):
    """The searchable text of a case (see casedesk.store.search), keyed by its list key."""

    __tablename__ = "case_search"

    list_key: Mapped[int] = mapped_column(
        ForeignKey("case_file.list_key", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    text: Mapped[str] = mapped_column(Text, default="")


class HolidayDay(Base):
    """A holiday or make-up working day an administrator recorded (beyond the packaged data)."""

    __tablename__ = "holiday_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    scope: Mapped[str] = mapped_column(String(10), primary_key=True)  # national / ethnic
    kind: Mapped[str] = mapped_column(String(10))  # holiday / workday
    name: Mapped[str] = mapped_column(String(40))


class HolidayYear(Base):
    """A year whose holiday notice an administrator has entered completely."""

    __tablename__ = "holiday_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    source: Mapped[str] = mapped_column(String(200), default="")  # e.g. 国办发明电〔2026〕×号


class AppSetting(Base):
    """Database-wide settings (e.g. whether Xinjiang's ethnic holidays count)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class RuleOverride(Base):
    """An administrator's edit of a deadline rule marked M or L (JSON of the changed fields)."""

    __tablename__ = "rule_override"

    rule_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    values: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(100))


#: The columns of ``ix_deadline_open``: all the board reads of an open deadline.
BOARD_COLUMNS = (
    "due_on", "due_at", "case_id", "rule_id", "id", "subject", "custody", "warnings",
    "property_measure_id", "personal_measure_id", "custody_review_id", "status",
)  # fmt: skip


class Deadline(Base):
    """A time limit running on a case: computed from its rule and trigger, explained in steps."""

    __tablename__ = "deadline"

    id: Mapped[uuid.UUID] = _uuid()
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[str] = mapped_column(String(60))
    trigger: Mapped[str] = mapped_column(String(40))
    #: The timeline entry that started it (None for the acceptance date of the case).
    source_event_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("case_event.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(String(200), default="")  # whom/what it concerns
    #: The measure or review whose clock it is (None for the case's own periods).
    property_measure_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("property_measure.id", ondelete="CASCADE")
    )
    personal_measure_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("personal_measure.id", ondelete="CASCADE")
    )
    custody_review_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("custody_review.id", ondelete="CASCADE")
    )
    #: The term applied when shorter (or, where the rule allows, longer) than the rule's period,
    #: e.g. "1y" for a police freeze approved as 重大、复杂; "" = the rule's own period.
    period_spec: Mapped[str] = mapped_column(String(10), default="")
    round: Mapped[int] = mapped_column(Integer, default=1)
    start_on: Mapped[date] = mapped_column(Date)
    start_at: Mapped[datetime | None] = mapped_column(DateTime)  # hour periods
    custody: Mapped[bool] = mapped_column(default=False)
    extensions_used: Mapped[int] = mapped_column(Integer, default=0)
    #: JSON lists: [{approver, approved_on, document}], [{days, reason, recorded_on}],
    #: [{on, reason}] (the latest restart is the effective start).
    extension_log: Mapped[str] = mapped_column(Text, default="[]")
    suspensions: Mapped[str] = mapped_column(Text, default="[]")
    restarts: Mapped[str] = mapped_column(Text, default="[]")
    due_on: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    steps: Mapped[str] = mapped_column(Text, default="[]")
    warnings: Mapped[str] = mapped_column(Text, default="[]")
    status: Mapped[str] = mapped_column(String(10), default="open")  # open / met / cancelled
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        # The board: open deadlines by last day, with every column it shows (the rows of one
        # day are scattered over the table; the index holds them side by side).
        Index(
            "ix_deadline_open",
            *BOARD_COLUMNS,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        # A measure's or review's clocks, the open ones by last day first.
        *(
            Index(f"ix_deadline_{link}", link, "status", "due_on", "due_at")
            for link in ("property_measure_id", "personal_measure_id", "custody_review_id")
        ),
    )


def deadline_is_open() -> ColumnElement[bool]:
    """``status = 'open'`` written out rather than bound: SQLite uses the partial index
    ``ix_deadline_open`` only when a query repeats the index's condition literally."""
    return Deadline.status == literal_column("'open'")


def case_is_live(case_id: ColumnElement[uuid.UUID]) -> ColumnElement[bool]:
    """The case ``case_id`` is not deleted, checked against the few deleted cases (the partial
    index ``ix_case_deleted``) instead of looking up each case."""
    deleted = select(Case.id).where(Case.deleted_at.is_not(None))
    return case_id.not_in(deleted)


# The measure tables share this metadata (imported last: they refer to the classes above).
from casedesk.store import (  # noqa: E402, F401
    account_models,
    compliance_models,
    enforcement_models,
    recycle_bin,
    suggestion_models,
)
from casedesk.store.measure_models import (  # noqa: E402, F401
    CustodyReview,
    PersonalMeasure,
    PropertyMeasure,
    PropertyRelease,
    PropertyRenewal,
    StalledSupervision,
)
