"""The recycle bin (回收站): what was deleted — cases, timeline entries, parties, 建议书 drafts —
listed for the cases the user may read, and restored by whoever may delete that kind of record
(casedesk.domain.roles: ``case.restore``, ``event.restore``, ``party.restore``,
``suggestion.restore_draft``).

Restoring puts the record back under its own id and undoes what its deletion did: a timeline
entry's periods cancelled with it reopen, the case's stage follows its entries again, a party
rejoins the search text. Each restore is one transaction with its audit record.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casedesk.domain.deadlines import CANCELLED
from casedesk.domain.drafts import StageDraft, check_stage
from casedesk.services.base import ANY_SCOPE, Service, case_target, guarded, parse_id
from casedesk.services.case_summary import refresh_case_parties
from casedesk.services.deadline_sync import load_context, recompute, reopen_deadline
from casedesk.services.errors import NotFound, ServiceError
from casedesk.services.lists import read_scope
from casedesk.services.suggestions_records import audit_row
from casedesk.services.timeline import ENTRY_REMOVED, follow_stage
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.case_scope import case_in_scope
from casedesk.store.models import AuditRecord, Case, CaseParty, Deadline, Enterprise, Person
from casedesk.store.recycle_bin import BinEntry, contents, continue_version

#: What the bin holds, as it names each kind, with the action that restores it.
KINDS: dict[str, tuple[str, str]] = {
    "case": ("案件", "case.restore"),
    "case_event": ("时间线记录", "event.restore"),
    "case_party": ("当事人", "party.restore"),
    "suggestion": ("建议书草稿", "suggestion.restore_draft"),
}


@dataclass(frozen=True)
class BinItem:
    """One deleted record. ``id``: the bin entry's id (a deleted case: the case's id);
    ``refusal``: why the acting user may not restore it ("" when they may); ``case_deleted``:
    the record's case is itself deleted (restore the case first)."""

    id: str
    kind: str
    kind_label: str
    case_id: str
    case_number: str
    label: str
    deleted_at: datetime
    deleted_by: str
    case_deleted: bool = False
    refusal: str = ""


def _entry(session: Session, bin_id: str, entity: str) -> BinEntry:
    entry = session.get(BinEntry, parse_id(bin_id, "回收站记录"))
    if entry is None or entry.entity != entity:
        raise NotFound("回收站中没有该记录，可能已被恢复")
    return entry


def _live_case(session: Session, case_id: uuid.UUID) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("找不到该记录所属的案件")
    if case.deleted_at is not None:
        raise ServiceError(f"案件 {case.case_number} 已删除，请先恢复该案件")
    return case


class RecycleBinService(Service):
    @guarded("case.read", via=ANY_SCOPE)
    def items(self) -> list[BinItem]:
        """Everything deleted from the cases the user may read, newest first."""
        return self._items(None)

    @guarded("case.read")
    def items_of_case(self, case_id: str) -> list[BinItem]:
        """What was deleted from one case (and the case, if it is deleted), newest first."""
        return self._items(parse_id(case_id, "案件"))

    def _items(self, case_id: uuid.UUID | None) -> list[BinItem]:
        scope = case_in_scope(read_scope(self.identity))
        with self._read() as s:
            if case_id is not None and s.get(Case, case_id) is None:
                raise NotFound("找不到该案件")
            found = [*self._entries(s, scope, case_id), *self._cases(s, scope, case_id)]
            if self.identity.user is not None:
                targets = {c: case_target(s, uuid.UUID(c)) for c in {i.case_id for i in found}}
                found = [
                    _refused(i, self.identity.decide(KINDS[i.kind][1], targets[i.case_id]).reason)
                    for i in found
                ]
        return sorted(found, key=lambda i: i.deleted_at, reverse=True)

    def _entries(self, s: Session, scope: list, case_id: uuid.UUID | None) -> list[BinItem]:
        query = select(BinEntry, Case.case_number, Case.deleted_at).join(
            Case, Case.id == BinEntry.case_id
        )
        query = query.where(*scope)
        if case_id is not None:
            query = query.where(BinEntry.case_id == case_id)
        return [
            BinItem(
                id=e.id.hex,
                kind=e.entity,
                kind_label=KINDS[e.entity][0],
                case_id=e.case_id.hex,
                case_number=number,
                label=e.label,
                deleted_at=audit.as_utc(e.deleted_at),
                deleted_by=e.deleted_by,
                case_deleted=gone is not None,
                refusal=f"案件 {number} 已删除，请先恢复该案件" if gone is not None else "",
            )
            for e, number, gone in s.execute(query)
            if e.entity in KINDS
        ]

    def _cases(self, s: Session, scope: list, case_id: uuid.UUID | None) -> list[BinItem]:
        query = select(Case.id, Case.case_number, Case.cause, Case.handler, Case.deleted_at).where(
            Case.deleted_at.is_not(None), *scope
        )
        if case_id is not None:
            query = query.where(Case.id == case_id)
        rows = s.execute(query).all()
        deleters = dict(
            s.execute(
                select(AuditRecord.entity_id, AuditRecord.actor)
                .where(
                    AuditRecord.entity_type == "case",
                    AuditRecord.action == "delete",
                    AuditRecord.entity_id.in_([str(r.id) for r in rows]),
                )
                .order_by(AuditRecord.id)
            ).all()
        )  # the last deletion of each case wins
        return [
            BinItem(
                id=r.id.hex,
                kind="case",
                kind_label=KINDS["case"][0],
                case_id=r.id.hex,
                case_number=r.case_number,
                label="，".join(x for x in (r.cause, r.handler and f"承办人{r.handler}") if x)
                or "案件",
                deleted_at=audit.as_utc(r.deleted_at),
                deleted_by=deleters.get(str(r.id), ""),
                case_deleted=True,
            )
            for r in rows
        ]

    # -- restoring ----------------------------------------------------------------------------
    @guarded("event.restore", via=BinEntry)
    def restore_entry(self, bin_id: str) -> str:
        """Put a deleted timeline entry back; the periods its deletion cancelled reopen and the
        case's stage follows its entries. Returns the entry's id."""
        with self._uow() as uow:
            s = uow.session
            entry = _entry(s, bin_id, "case_event")
            case = _live_case(s, entry.case_id)
            event, _children, links = contents(entry)
            if event.kind == "stage":  # the case may have changed since (its acceptance date)
                check_stage(StageDraft(event.occurred_on, event.stage, event.note),
                            case.family, case.accepted_on)  # fmt: skip
            case.events.append(event)
            s.delete(entry)
            s.flush()
            uow.audit(
                "restore",
                "case_event",
                event.id,
                entry.label,
                {
                    "occurred_on": (None, event.occurred_on),
                    "stage": (None, event.stage),
                    "note": (None, event.note),
                },
                case.id,
            )
            _relink(uow, event.id, links)
            s.flush()
            follow_stage(uow, case)
            uow.commit()
            return event.id.hex

    @guarded("party.restore", via=BinEntry)
    def restore_party(self, bin_id: str) -> str:
        """Put a removed party back on its case. Returns the party's id."""
        with self._uow() as uow:
            s = uow.session
            entry = _entry(s, bin_id, "case_party")
            case = _live_case(s, entry.case_id)
            party, _children, _links = contents(entry)
            if party.enterprise_id is not None:
                subject = s.get(Enterprise, party.enterprise_id)
                same = CaseParty.enterprise_id == party.enterprise_id
            else:
                subject = s.get(Person, party.person_id)
                same = CaseParty.person_id == party.person_id
            if subject is None or subject.deleted_at is not None:
                raise ServiceError(f"“{entry.label}”所指的企业或人员已删除，不能恢复")
            if s.scalar(
                select(CaseParty.id).where(
                    CaseParty.case_id == case.id, CaseParty.role == party.role, same
                )
            ):
                raise ServiceError(f"{subject.name}已是本案的{party.role}，无需恢复")
            case.parties.append(party)
            s.delete(entry)
            s.flush()
            uow.audit(
                "restore",
                "case_party",
                party.id,
                entry.label,
                {"role": (None, party.role), "subject": (None, subject.name)},
                case.id,
            )
            refresh_case_parties(uow, case)
            uow.commit()
            return party.id.hex

    @guarded("suggestion.restore_draft", via=BinEntry)
    def restore_draft(self, bin_id: str) -> str:
        """Put a deleted 建议书 draft back, with its follow-up entries. Returns its id."""
        with self._uow() as uow:
            s = uow.session
            entry = _entry(s, bin_id, "suggestion")
            _live_case(s, entry.case_id)
            row, children, _links = contents(entry)
            if row.reply_deadline_id is not None and s.get(Deadline, row.reply_deadline_id) is None:
                row.reply_deadline_id = None
            row.entries = children.get("suggestion_entry", [])
            row.updated_at, deleted_version = audit.utcnow(), row.version
            s.add(row)
            s.delete(entry)
            s.flush()
            continue_version(s, row, deleted_version)
            audit_row(uow, row, "restore", "恢复草稿", {"recipient": (None, row.recipient)})
            uow.commit()
            return row.id.hex


def _refused(item: BinItem, reason: str) -> BinItem:
    """The item with the role's refusal, which goes before "restore the case first"."""
    return dataclasses.replace(item, refusal=reason) if reason else item


def _relink(uow: UnitOfWork, event_id: uuid.UUID, links: dict) -> None:
    """The deadlines the entry started point at it again; those its deletion cancelled (and
    nothing has closed otherwise since) reopen and are recomputed."""
    s = uow.session
    cancelled = set(links.get("cancelled", ()))
    ctx = None
    for key in links.get("deadlines", ()):
        row = s.get(Deadline, uuid.UUID(key))
        if row is None:
            continue
        if row.source_event_id is None:
            row.source_event_id = event_id
        if key in cancelled and row.status == CANCELLED and row.close_note == ENTRY_REMOVED:
            reopen_deadline(uow, row, "起算事件的记录已恢复")
            ctx = ctx or load_context(uow)
            recompute(uow, ctx, row, "起算事件的记录已恢复")
