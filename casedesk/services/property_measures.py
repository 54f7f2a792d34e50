"""Property measures (查封/扣押/冻结/扣留) on a case: recording, 续行, release, the finding that the
property is unrelated to the case (3-day release clock), and the 超标的 check. Every change is
one unit of work with its audit record; clocks are deadlines linked to the measure."""

from __future__ import annotations

from datetime import date

from casedesk.domain.measures import PropertyMeasureDraft, ReleaseDraft, RenewalDraft
from casedesk.services.base import Service
from casedesk.services.measure_dto import (
    PropertyMeasureView,
    SeizedByCase,
    SeizedByEnterprise,
    SeizureCheck,
)


class PropertyMeasureService(Service):
    def for_case(self, case_id: str, as_of: date | None = None) -> list[PropertyMeasureView]:
        """The case's property measures, in force first, then by start date."""
        raise NotImplementedError

    def get(self, measure_id: str, as_of: date | None = None) -> PropertyMeasureView:
        raise NotImplementedError

    def for_enterprise(
        self, enterprise_id: str, as_of: date | None = None
    ) -> list[PropertyMeasureView]:
        """Everything seized from the enterprise across its cases (in force first)."""
        raise NotImplementedError

    def add(self, case_id: str, draft: PropertyMeasureDraft) -> str:
        """Record a measure; starts its term (or review reminder) clock. Returns its id."""
        raise NotImplementedError

    def update(self, measure_id: str, version: int, draft: PropertyMeasureDraft) -> None:
        """Correct the measure's particulars (description, value, 活封活扣 …)."""
        raise NotImplementedError

    def renew(self, measure_id: str, draft: RenewalDraft) -> None:
        """续行: one more term from the current term's last day; refused after it lapsed."""
        raise NotImplementedError

    def release(self, measure_id: str, draft: ReleaseDraft) -> None:
        """Release in full (ends the measure and its clocks) or in part (of its value)."""
        raise NotImplementedError

    def mark_unrelated(self, measure_id: str, on: date | None, note: str = "") -> str:
        """经查明与案件无关 on ``on``: starts property.release_unrelated (3 days, 刑诉法 第145条).
        Returns the deadline id."""
        raise NotImplementedError

    def record_review(self, measure_id: str, on: date | None, note: str = "") -> None:
        """A periodic review of a criminal seizure without statutory term was done on ``on``:
        the current review reminder is met and the next one starts from ``on``."""
        raise NotImplementedError

    def seizure_check(self, case_id: str, as_of: date | None = None) -> SeizureCheck:
        """The case's 超标的 figures against the administrator's ratio."""
        raise NotImplementedError

    # -- lists ----------------------------------------------------------------------------------
    def seized_by_case(self, as_of: date | None = None) -> list[SeizedByCase]:
        """Cases with property under seizure (in force or lapsed but not released), most value
        first."""
        raise NotImplementedError

    def seized_by_enterprise(self, as_of: date | None = None) -> list[SeizedByEnterprise]:
        """Enterprises whose property is under seizure, across their cases, most value first."""
        raise NotImplementedError

    def overseized(self, as_of: date | None = None) -> list[SeizureCheck]:
        """Every case flagged 超标的 (seized value in force above (claim + costs) × ratio), by
        excess, largest first."""
        raise NotImplementedError
