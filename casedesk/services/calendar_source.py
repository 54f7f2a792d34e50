"""Where the work calendar and the rule table come from: the packaged data, plus what an
administrator recorded in a database (holidays of later years, edited M/L rules)."""

from __future__ import annotations

from pathlib import Path

from casedesk.domain.deadline_rules import DeadlineRule, default_rule_map
from casedesk.domain.holidays import packaged_days, packaged_years
from casedesk.domain.work_calendar import WorkCalendar


def load_calendar(db_path: str | Path | None = None) -> WorkCalendar:
    """The packaged national calendar (administrator additions arrive with the holiday table)."""
    return WorkCalendar.build(packaged_days(), packaged_years())


def load_rules(db_path: str | Path | None = None) -> dict[str, DeadlineRule]:
    """The rule table (administrator edits arrive with the rule table in the database)."""
    return default_rule_map()
