"""Personal measures (拘传/取保候审/监视居住/拘留/逮捕) on a person of a case and the custody
clocks they start, chained by their rules (拘留 → 提请批捕 → 审查批捕 → 逮捕后侦查羁押 …).
Each change is one unit of work with its audit record; clocks are deadlines linked to the
measure (the case-wide 审查起诉 / 退回补充侦查 / trial periods stay on the case)."""

from __future__ import annotations

from datetime import date, datetime

from casedesk.domain.measures import MeasureEndDraft, PersonalMeasureDraft
from casedesk.services.base import Service
from casedesk.services.measure_dto import PersonalMeasureView


class PersonalMeasureService(Service):
    def for_case(self, case_id: str, as_of: date | None = None) -> list[PersonalMeasureView]:
        """The case's personal measures: active first, then by decision date."""
        raise NotImplementedError

    def get(self, measure_id: str, as_of: date | None = None) -> PersonalMeasureView:
        raise NotImplementedError

    def add(self, case_id: str, draft: PersonalMeasureDraft) -> str:
        """Record a measure and start its clock. Returns its id."""
        raise NotImplementedError

    def record_step(
        self, measure_id: str, step: str, on: date | None, at: datetime | None = None,
        note: str = "",
    ) -> list[str]:  # fmt: skip
        """A step of the custody chain on this measure (e.g. ``arrest_requested`` on a 拘留):
        meets the clock it ends, starts the next. Returns the new deadline ids."""
        raise NotImplementedError

    def change(self, measure_id: str, on: date | None, new: PersonalMeasureDraft,
               document_no: str = "") -> str:  # fmt: skip
        """变更: end this measure on ``on`` (reason 变更) and record ``new`` for the same person
        (e.g. 拘留 → 逮捕, 逮捕 → 取保候审). Returns the new measure's id."""
        raise NotImplementedError

    def end(self, measure_id: str, draft: MeasureEndDraft) -> None:
        """解除 / 释放 / 期满 …: the measure ends and its open clocks are met."""
        raise NotImplementedError
