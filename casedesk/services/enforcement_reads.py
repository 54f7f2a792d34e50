"""Reading enforcement: one case's record as the page shows it, and the lists (cases by
到位率, the credit list, deletions pending and overdue)."""

from __future__ import annotations

from datetime import date

from casedesk.domain.enforcement import format_rate, recovery_rate
from casedesk.services import enforcement_steps as steps
from casedesk.services.base import ANY_SCOPE, Service, guarded
from casedesk.services.cases import load_case
from casedesk.services.deadline_sync import load_context
from casedesk.services.enforcement_dto import (
    EnforcementRow,
    EnforcementView,
    ListedDebtor,
    PendingDeletion,
)
from casedesk.services.enforcement_views import enforcement_view, record_state
from casedesk.services.lists import read_scope
from casedesk.store import enforcement_lists


class EnforcementReads(Service):
    # -- reading ----------------------------------------------------------------------------------
    @guarded("case.read")
    def get(self, case_id: str, as_of: date | None = None) -> EnforcementView | None:
        """The case's enforcement record with its payments, actions, listings, orders and clocks
        (None: not opened yet)."""
        with self._uow() as uow:
            case = load_case(uow.session, case_id)
            rec = steps.record_of(uow, case)
            if rec is None:
                return None
            return enforcement_view(
                uow.session, load_context(uow), case, rec, as_of or date.today()
            )

    @guarded("case.read", via=ANY_SCOPE)
    def by_recovery(
        self, as_of: date | None = None, include_closed: bool = False
    ) -> list[EnforcementRow]:
        """Enforcement cases, lowest 到位率 first (no claim last), then the oldest."""
        as_of = as_of or date.today()
        with self._read() as s:
            rows = enforcement_lists.by_recovery(s, include_closed, read_scope(self.identity))
        out = []
        for r in rows:
            rate = recovery_rate(r.recovered_fen, r.claimed_fen)
            out.append(
                EnforcementRow(
                    r.case_id,
                    r.case_number,
                    r.handler,
                    r.parties,
                    r.accepted_on,
                    (as_of - r.accepted_on).days,
                    r.claimed_fen,
                    r.recovered_fen,
                    rate,
                    format_rate(rate, r.performed_on is not None or None),
                    record_state(r.terminated_on, r.resumed_on, r.closed_on),
                )
            )
        return out

    @guarded("case.read", via=ANY_SCOPE)
    def listed_debtors(self) -> list[ListedDebtor]:
        """Debtors on the credit list (listed, not deleted), the latest listing first."""
        with self._read() as s:
            rows = enforcement_lists.listed_debtors(s, read_scope(self.identity))
            return [ListedDebtor(*r) for r in rows]

    @guarded("case.read", via=ANY_SCOPE)
    def pending_deletions(
        self, as_of: date | None = None, overdue_only: bool = False
    ) -> list[PendingDeletion]:
        """Listings to delete (performed or another ground arose), with the last day of the
        3-working-day clock; ``overdue_only``: those past it (deletions overdue)."""
        as_of = as_of or date.today()
        with self._read() as s:
            rows = enforcement_lists.pending_deletions(
                s, as_of if overdue_only else None, read_scope(self.identity)
            )
        return [PendingDeletion(*r, (r.due_on - as_of).days) for r in rows]

    @guarded("case.read", via=ANY_SCOPE)
    def overdue_deletions(self, as_of: date | None = None) -> list[PendingDeletion]:
        return self.pending_deletions(as_of, overdue_only=True)
