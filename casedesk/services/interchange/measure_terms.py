"""A measure's term and its clock (docs/interchange.md §6.7): the last day of a property
measure's term, or of a 取保候审 / 监视居住, is the last day of its term clock, which the import
computes with the receiving database's calendar and rules."""

from __future__ import annotations

from collections import defaultdict

from casedesk.domain.deadlines import CANCELLED
from casedesk.domain.measures import PERSONAL_CLOCKS, lapses
from casedesk.services.interchange.format import DeadlineRecord
from casedesk.services.interchange.measure_format import (
    MeasureRecords,
    PersonalRecord,
    PropertyRecord,
)
from casedesk.services.personal_measures import TERM_KINDS


def align_terms(
    measures: MeasureRecords, deadlines: list[DeadlineRecord] | None, warnings: list[str]
) -> None:
    """A measure's ``term_end`` is the last day of its term clock (the services set it so):
    when this database computes that clock's last day otherwise, the measure follows, with a
    note. Property measures whose term lapses, 取保候审 and 监视居住 have such a clock."""
    if not deadlines or not measures:
        return
    clocks: dict[int, list[DeadlineRecord]] = defaultdict(list)
    for d in deadlines:
        if d.link is not None and d.values["status"] != CANCELLED:
            clocks[id(d.link[1])].append(d)
    terms: list[tuple[str, PropertyRecord | PersonalRecord, str]] = [
        (f"property_measures[{i}]", m, m.values["term_rule_id"])
        for i, m in enumerate(measures.property)
        if lapses(m.values["term_rule_id"])
    ]
    terms += [
        (f"personal_measures[{i}]", m, PERSONAL_CLOCKS[m.values["kind"]][1])
        for i, m in enumerate(measures.personal)
        if m.values["kind"] in TERM_KINDS
    ]
    for path, m, rule_id in terms:
        term = [d for d in clocks.get(id(m), ()) if d.rule.id == rule_id]
        if not term:
            continue
        latest = max(term, key=lambda d: (d.values["start_on"], d.values["round"]))
        old, due = m.values["term_end"], latest.values["due_on"]
        if old == due:
            continue
        m.values["term_end"] = due
        renewals = m.renewals if isinstance(m, PropertyRecord) else []
        if renewals and renewals[-1].values["term_end"] == old:
            renewals[-1].values["term_end"] = due
        warnings.append(f"{path}.term_end：按本库的节假日和期限规则，期限届满日为 {due}"
                        f"（文件中为 {old or '空'}）")  # fmt: skip
