"""Reading suggestions: one as the UI shows it, the ledger (台账) with each one's state, and the
annual statistics (issued, replied, adopted by unit and kind) — the ledger from one query driven
by the suggestion table."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from casedesk.domain.doc_templates import unfilled
from casedesk.services.suggestions_dto import (
    DRAFT,
    OVERDUE,
    REMINDER,
    REPLIED,
    REVISIT,
    SERVED,
    EntryView,
    LedgerRow,
    Statistics,
    StatRow,
    SuggestionView,
)
from casedesk.services.suggestions_records import blocks_of, texts_of, to_document
from casedesk.store.case_scope import EVERYTHING, CaseScope, case_in_scope
from casedesk.store.models import Case, Deadline, case_is_live
from casedesk.store.suggestion_models import Suggestion, SuggestionEntry


def shown_state(state: str, due_on: date | None, as_of: date) -> str:
    """The stored state, or 逾期未回复 when served and the reply clock's last day has passed."""
    if state == SERVED and due_on is not None and due_on < as_of:
        return OVERDUE
    return state


def suggestion_view(session: Session, row: Suggestion, as_of: date) -> SuggestionView:
    case_number = session.scalar(select(Case.case_number).where(Case.id == row.case_id)) or ""
    clock = session.get(Deadline, row.reply_deadline_id) if row.reply_deadline_id else None
    due_on = clock.due_on if clock is not None else None
    missing = tuple(dict.fromkeys(n for names in unfilled(to_document(row)).values()
                                  for n in names))  # fmt: skip
    return SuggestionView(
        id=row.id.hex, version=row.version, case_id=row.case_id.hex, case_number=case_number,
        kind=row.kind, subtype=row.subtype, issuer=row.issuer, subject=row.subject,
        recipient=row.recipient, blocks=blocks_of(row), attachments=texts_of(row.attachments),
        signed_on=row.signed_on, contact=row.contact, copy_to=texts_of(row.copy_to),
        source_cases=texts_of(row.source_cases), state=shown_state(row.state, due_on, as_of),
        number=row.number, year=row.year, seq=row.seq, served_way=row.served_way,
        served_on=row.served_on, served_receiver=row.served_receiver,
        reply_deadline_id=row.reply_deadline_id.hex if row.reply_deadline_id else "",
        reply_due_on=due_on, replied_on=row.replied_on, reply_summary=row.reply_summary,
        adoption=row.adoption, measures=row.measures,
        entries=tuple(EntryView(e.id.hex, e.kind, e.occurred_on, e.note, e.created_by)
                      for e in row.entries),
        unfilled=missing, created_by=row.created_by, created_at=row.created_at,
        updated_at=row.updated_at,
    )  # fmt: skip


def _count(kind: str) -> ScalarSelect[int]:
    e = SuggestionEntry
    return (
        select(func.count())
        .where(e.suggestion_id == Suggestion.id, e.kind == kind)
        .scalar_subquery()
    )


def ledger_rows(
    session: Session,
    as_of: date,
    year: int | None = None,
    kind: str = "",
    case_id: uuid.UUID | None = None,
    scope: CaseScope = EVERYTHING,
) -> list[LedgerRow]:
    """Every suggestion of live cases (of ``year``, of ``kind``, of one case; of the cases of
    ``scope``, those the reader may see), by year (newest first), unit, kind and number; drafts
    after the numbered ones of their year."""
    s = Suggestion
    query = (
        select(
            s.id,
            s.case_id,
            Case.case_number,
            s.kind,
            s.subtype,
            s.issuer,
            s.number,
            s.year,
            s.recipient,
            s.subject,
            s.signed_on,
            s.state,
            s.served_way,
            s.served_on,
            Deadline.due_on,
            s.replied_on,
            s.adoption,
            s.measures,
            _count(REMINDER),
            _count(REVISIT),
        )
        .join(Case, Case.id == s.case_id)
        .outerjoin(Deadline, Deadline.id == s.reply_deadline_id)
        .where(case_is_live(s.case_id), *case_in_scope(scope))
        .order_by(s.year.desc(), s.issuer, s.kind, s.seq.is_(None), s.seq, s.created_at)
    )
    if year is not None:
        query = query.where(s.year == year)
    if kind:
        query = query.where(s.kind == kind)
    if case_id is not None:
        query = query.where(s.case_id == case_id)
    rows = []
    for r in session.execute(query):
        (id_, case, number_text, kind_, subtype, issuer, number, year_, recipient, subject,
         signed_on, state, way, served_on, due_on, replied_on, adoption, measures, reminders,
         revisits) = r  # fmt: skip
        rows.append(LedgerRow(
            id=id_.hex, case_id=case.hex, case_number=number_text, kind=kind_, subtype=subtype,
            issuer=issuer, number=number, year=year_, recipient=recipient, subject=subject,
            signed_on=signed_on, state=shown_state(state, due_on, as_of), served_way=way,
            served_on=served_on, reply_due_on=due_on, replied_on=replied_on,
            replied_late=bool(replied_on and due_on and replied_on > due_on), adoption=adoption,
            measures=measures, reminders=reminders, revisits=revisits,
        ))  # fmt: skip
    return rows


def statistics(rows: list[LedgerRow], year: int) -> Statistics:
    """The year's figures by issuing unit and kind from its ledger rows (drafts not counted)."""
    groups: dict[tuple[str, str], list[LedgerRow]] = defaultdict(list)
    for row in rows:
        if row.year == year and row.state != DRAFT:
            groups[row.issuer, row.kind].append(row)
    stats = tuple(_stat(issuer, kind, group) for (issuer, kind), group in sorted(groups.items()))
    total = _stat("合计", "", [r for group in groups.values() for r in group])
    return Statistics(year, stats, total)


def _stat(issuer: str, kind: str, rows: list[LedgerRow]) -> StatRow:
    def count(test: Callable[[LedgerRow], bool]) -> int:
        return sum(1 for r in rows if test(r))

    return StatRow(
        issuer=issuer,
        kind=kind,
        issued=len(rows),
        served=count(lambda r: r.served_on is not None),
        replied=count(lambda r: r.state == REPLIED),
        replied_late=count(lambda r: r.replied_late),
        overdue=count(lambda r: r.state == OVERDUE),
        adopted=count(lambda r: r.adoption == "采纳"),
        partly_adopted=count(lambda r: r.adoption == "部分采纳"),
        not_adopted=count(lambda r: r.adoption == "未采纳"),
    )
