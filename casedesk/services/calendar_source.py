"""Where the work calendar and the rule table come from: the packaged data plus what an
administrator recorded in the database (holidays of later years, ethnic holidays, edited M/L
rules)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from casedesk.domain.deadline_rules import DeadlineRule, default_rule_map
from casedesk.domain.deadlines import apply_override
from casedesk.domain.holidays import packaged_days, packaged_years
from casedesk.domain.work_calendar import ETHNIC, NATIONAL, SpecialDay, WorkCalendar
from casedesk.store.models import AppSetting, HolidayDay, HolidayYear, RuleOverride

ETHNIC_SETTING = "holidays.ethnic_enabled"


def calendar_from(session: Session) -> WorkCalendar:
    """Packaged national holidays, overridden and extended by the database's own days."""
    days = {(d.day, NATIONAL): d for d in packaged_days()}
    for row in session.scalars(select(HolidayDay)):
        days[(row.day, row.scope)] = SpecialDay(row.day, row.kind, row.name, row.scope)
    years = set(packaged_years())
    ethnic_years = set()
    for year, scope in session.execute(select(HolidayYear.year, HolidayYear.scope)):
        (ethnic_years if scope == ETHNIC else years).add(year)
    enabled = session.get(AppSetting, ETHNIC_SETTING)
    return WorkCalendar.build(
        days.values(), years, ethnic_years, bool(enabled and enabled.value == "1")
    )


def rules_from(session: Session) -> dict[str, DeadlineRule]:
    """The rule table with the administrator's edits of editable rules applied."""
    rules = default_rule_map()
    for row in session.scalars(select(RuleOverride)):
        rule = rules.get(row.rule_id)
        if rule is not None and rule.editable:
            rules[row.rule_id] = apply_override(rule, json.loads(row.values or "{}"))
    return rules


def _with_db(db_path: str | Path | None, read):  # type: ignore[no-untyped-def]
    from casedesk.store.database import open_database

    if db_path is None or not Path(db_path).exists():
        return None
    db = open_database(Path(db_path))
    try:
        with db.session() as session:
            return read(session)
    finally:
        db.close()


def load_calendar(db_path: str | Path | None = None) -> WorkCalendar:
    """For the command line: the calendar of a database file, or the packaged one."""
    return _with_db(db_path, calendar_from) or WorkCalendar.build(packaged_days(), packaged_years())


def load_rules(db_path: str | Path | None = None) -> dict[str, DeadlineRule]:
    """For the command line: the rules of a database file, or the packaged ones."""
    return _with_db(db_path, rules_from) or default_rule_map()
