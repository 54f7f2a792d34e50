"""羁押必要性审查 (刑诉法 第95条; 刑诉规则 第574–579条): reviews of a person in custody, the
10-day reply clock of a recommendation served on the case organ, and who has gone without a
review for longer than the administrator's interval."""

from __future__ import annotations

from datetime import date

from casedesk.domain.measures import CustodyReviewDraft
from casedesk.services.base import Service
from casedesk.services.measure_dto import CustodyReviewView, CustodyRow


class CustodyReviewService(Service):
    def for_case(self, case_id: str) -> list[CustodyReviewView]:
        raise NotImplementedError

    def add(self, measure_id: str, draft: CustodyReviewDraft) -> str:
        """A review of the custody measure ``measure_id`` (an active 拘留 or 逮捕). Serving a
        recommendation starts custody_review.reply. Returns its id."""
        raise NotImplementedError

    def update(self, review_id: str, version: int, draft: CustodyReviewDraft) -> None:
        """Record the conclusion, service … as they happen (starts the reply clock once served)."""
        raise NotImplementedError

    def record_reply(self, review_id: str, on: date | None, reply: str) -> None:
        """The case organ replied (meets the 10-day clock)."""
        raise NotImplementedError

    def in_custody(
        self, as_of: date | None = None, unreviewed_only: bool = False
    ) -> list[CustodyRow]:
        """Persons in custody now, longest without review first; ``unreviewed_only``: only those
        with no review within the administrator's interval."""
        raise NotImplementedError
