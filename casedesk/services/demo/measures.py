"""Compulsory measures of the demo cases, built as the measure services record them: property
measures (查封/扣押/冻结) with their renewals (续行) and releases, personal measures chained by
their changes (拘留 → 逮捕 → 取保候审 …), custody-necessity reviews, and the 挂案 supervision
records — each with the clocks the services start (deadline rows linked to the measure or
review, computed with the real engine) and one audit record.

:mod:`~casedesk.services.demo.personal`, :mod:`~casedesk.services.demo.property` and
:mod:`~casedesk.services.demo.stalled` build them; :class:`MeasureMaker` puts them together per
case; :mod:`~casedesk.services.demo.measure_rows` turns them into rows.
"""

from __future__ import annotations

from casedesk.services.demo.compliance import ComplianceMaker
from casedesk.services.demo.deadlines import CaseFacts
from casedesk.services.demo.enforcement import EnforcementMaker
from casedesk.services.demo.measure_rows import Held, Taken
from casedesk.services.demo.personal import PersonalMaker, case_end
from casedesk.services.demo.property import PropertyMaker
from casedesk.services.demo.stalled import StalledMaker

#: Families whose cases have property measures of the court (preservation, enforcement).
CIVIL_FAMILIES = frozenset({"民事", "商事", "执行"})


class MeasureMaker(PersonalMaker, PropertyMaker, StalledMaker, ComplianceMaker, EnforcementMaker):
    """Adds the measures of each case (and the enforcement record of a 执行 case)."""

    def measures(self, case: CaseFacts) -> None:
        self.start_case()
        days: dict[str, int] = {}
        for day, _stage, note in case.events:
            days.setdefault(note, day)
        held: list[Held] = []
        chain: list[Taken] = []
        if case.family == "刑事":
            if case.events[0][1] == "立案侦查":  # from filing on: the investigation's measures
                chain = self.personal(case, days)
                held = self.criminal_property(case, days, case_end(case, days))
            else:
                chain = self.appeal_bail(case)
            self.stalled(case, chain)
            self.personal_rows(case, chain)
            self.compliance(case)
        elif case.family in CIVIL_FAMILIES:
            held = self.civil_property(case, days)
            if case.family == "执行":
                self.enforcement(case, days)
        self.settle_values(case, held)
        for m in held:
            self.property_rows(case, m)
