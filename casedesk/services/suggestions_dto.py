"""What the suggestion service takes from and hands to the UI: plain frozen dataclasses, never
ORM objects; and the words of a suggestion's life (states, ways of service, adoption)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from casedesk.domain.documents import Block

# -- vocabulary -----------------------------------------------------------------------------------
DRAFT, FINAL, SERVED, REPLIED, OVERDUE = "草稿", "已定稿", "已送达", "已回复", "逾期未回复"
#: Stored states, in order (逾期未回复 is computed: served, the reply clock past its last day).
STATES = (DRAFT, FINAL, SERVED, REPLIED)
LEDGER_STATES = (DRAFT, FINAL, SERVED, OVERDUE, REPLIED)
#: 方式 of service (检察建议工作规定: written service or 宣告送达).
SERVICE_WAYS = ("直接送达", "宣告送达", "邮寄送达", "电子送达", "其他")
ADOPTIONS = ("采纳", "部分采纳", "未采纳")
REMINDER, REVISIT = "催办", "回访"


@dataclass(frozen=True)
class SuggestionDraft:
    """What the clerk edits on a draft (kind is fixed when the draft is made)."""

    subtype: str
    issuer: str
    subject: str
    recipient: str
    blocks: tuple[Block, ...]
    attachments: tuple[str, ...] = ()
    signed_on: date | None = None
    contact: str = ""
    copy_to: tuple[str, ...] = ()
    source_cases: tuple[str, ...] = ()  # other cases it rests on (案号), besides its own


@dataclass(frozen=True)
class EntryView:
    id: str
    kind: str  # 催办 / 回访
    on: date
    note: str
    created_by: str


@dataclass(frozen=True)
class SuggestionView:
    id: str
    version: int
    case_id: str
    case_number: str
    kind: str
    subtype: str
    issuer: str
    subject: str
    recipient: str
    blocks: tuple[Block, ...]
    attachments: tuple[str, ...]
    signed_on: date | None
    contact: str
    copy_to: tuple[str, ...]
    source_cases: tuple[str, ...]
    state: str  # LEDGER_STATES (逾期未回复 computed on ``as_of``)
    number: str
    year: int
    seq: int | None
    served_way: str
    served_on: date | None
    served_receiver: str
    reply_deadline_id: str  # "" until served
    reply_due_on: date | None
    replied_on: date | None
    reply_summary: str
    adoption: str
    measures: str
    entries: tuple[EntryView, ...]
    #: Placeholders still in the text ({{结案日期}} when the case has none): to fix before
    #: finalising or exporting.
    unfilled: tuple[str, ...]
    created_by: str
    created_at: datetime
    updated_at: datetime

    @property
    def locked(self) -> bool:
        """Finalised: the text can no longer be edited."""
        return self.state != DRAFT

    @property
    def draft(self) -> SuggestionDraft:
        """The editable fields, e.g. to change one and save."""
        return SuggestionDraft(
            self.subtype, self.issuer, self.subject, self.recipient, self.blocks,
            self.attachments, self.signed_on, self.contact, self.copy_to, self.source_cases,
        )  # fmt: skip


@dataclass(frozen=True)
class LedgerRow:
    """One line of the suggestions ledger (台账)."""

    id: str
    case_id: str
    case_number: str
    kind: str
    subtype: str
    issuer: str
    number: str
    year: int
    recipient: str
    subject: str
    signed_on: date | None
    state: str  # LEDGER_STATES
    served_way: str
    served_on: date | None
    reply_due_on: date | None
    replied_on: date | None
    replied_late: bool  # the reply came after the clock's last day
    adoption: str
    measures: str
    reminders: int  # 催办 count
    revisits: int  # 回访 count


@dataclass(frozen=True)
class StatRow:
    """One issuing unit and kind in a year: the annual report's figures."""

    issuer: str
    kind: str
    issued: int  # finalised (numbered) in the year
    served: int
    replied: int
    replied_late: int
    overdue: int  # served, no reply, the clock past its last day
    adopted: int
    partly_adopted: int
    not_adopted: int

    @property
    def reply_rate(self) -> float:
        """Replied of served (0 when none served)."""
        return self.replied / self.served if self.served else 0.0


@dataclass(frozen=True)
class Statistics:
    year: int
    rows: tuple[StatRow, ...]  # by issuer, then kind
    total: StatRow = field(default_factory=lambda: StatRow("合计", "", 0, 0, 0, 0, 0, 0, 0, 0))


@dataclass(frozen=True)
class PatternView:
    unit: str
    kind: str
    pattern: str  # "" when none is saved and no default applies
    saved: bool  # False: the default for the unit


@dataclass(frozen=True)
class TemplateView:
    unit: str
    kind: str
    opening: str
    reply: str
    closing: str
    saved: bool  # False: the default wording of the kind


@dataclass(frozen=True)
class UnitNames:
    """The issuing units' full names when the court code table does not give them."""

    court: str  # "" → the court code table's name of the case's court
    procuratorate: str
