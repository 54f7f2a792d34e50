"""Writing the demo data: :func:`generate_demo` fills an empty database in one transaction.

Rows go straight into the tables through :mod:`casedesk.store.bulk` (150,000 cases take about a
minute), built as the services build them by :class:`~casedesk.services.demo.cases.CaseMaker`,
in chunks of :data:`CHUNK` cases over acceptance days spread across the last ten years.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from casedesk.domain.code_tables import DEFAULT_COURT_CODES
from casedesk.domain.deadline_rules import DeadlineRule
from casedesk.domain.work_calendar import WorkCalendar
from casedesk.services.calendar_source import calendar_from, rules_from
from casedesk.services.demo.cases import CaseMaker
from casedesk.services.demo.names import Pick
from casedesk.services.errors import ServiceError
from casedesk.store.bulk import BulkLoader
from casedesk.store.database import Database

CHUNK = 2000
#: Tables whose secondary indexes are dropped during the load and rebuilt once at the end.
_DEFERRED_INDEXES = (
    "case_file", "case_party", "case_event", "deadline", "case_tag", "audit_record",
    "property_measure", "property_renewal", "property_release", "personal_measure",
    "custody_review", "stalled_supervision",
)  # fmt: skip


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    enterprises: int
    persons: int
    parties: int
    events: int
    seconds: float
    deadlines: int = 0
    measures: int = 0  # property and personal measures


def generate_demo(
    db: Database,
    cases: int,
    seed: int = 1,
    actor: str = "演示数据",
    progress: Callable[[int, int], None] | None = None,
    *,
    today: date | None = None,
) -> DemoSummary:
    """Write ``cases`` demo cases into ``db``, which must not hold any case yet. All or nothing:
    the rows are written in one transaction."""
    if cases < 1:
        raise ServiceError("演示案件数至少为1件")
    started = time.perf_counter()
    try:
        with BulkLoader(db.engine) as load:
            with db.session() as session:  # read under the loader's write lock: stays true
                calendar, rules = calendar_from(session), rules_from(session)
            demo = _fill(
                load, cases, random.Random(seed), today or date.today(), actor, progress,
                calendar, rules,
            )  # fmt: skip
    except sqlite3.DatabaseError as exc:  # locked by another writer, disk full, …
        raise ServiceError(f"演示数据未能写入，数据库未作任何改动（{exc}）") from exc
    finally:
        db.changed()
    n = demo.counts
    seconds = time.perf_counter() - started
    return DemoSummary(
        cases, n["enterprise"], n["person"], n["case_party"], n["case_event"], seconds,
        n["deadline"], n["property_measure"] + n["personal_measure"],
    )  # fmt: skip


def _fill(
    load: BulkLoader,
    cases: int,
    rng: random.Random,
    today: date,
    actor: str,
    progress: Callable[[int, int], None] | None,
    calendar: WorkCalendar,
    rules: dict[str, DeadlineRule],
) -> CaseMaker:
    if load.count("case_file"):
        raise ServiceError("数据库中已有案件，演示数据只能写入空数据库")
    in_table = {row[0] for row in load.rows("SELECT code FROM court_code")}
    courts = [c.code for c in DEFAULT_COURT_CODES if c.code[0] == "新" and c.code in in_table]
    taken = load.rows(
        "SELECT credit_code FROM enterprise WHERE credit_code IS NOT NULL "
        "UNION ALL SELECT id_number FROM person WHERE id_number IS NOT NULL"
    )
    demo = CaseMaker(
        rng,
        today,
        actor,
        courts,
        types={row[0] for row in load.rows("SELECT code FROM case_type_code")},
        tags=load.rows("SELECT name, id FROM tag ORDER BY position, name"),
        taken={row[0] for row in taken},
        first_list_key=load.next_list_key(),
        calendar=calendar,
        rules=rules,
    )
    load.defer_indexes(_DEFERRED_INDEXES)
    days = _acceptance_days(rng, cases, today)
    for start in range(0, cases, CHUNK):
        for day in days[start : start + CHUNK]:
            demo.case(day)
        demo.flush(load)
        if progress is not None:
            progress(min(start + CHUNK, cases), cases)
    demo.deadlines.suggestion_rows_at_end(demo.deadlines.stamp_on(demo.deadlines.today))
    demo.flush(load)
    load.commit()
    load.checkpoint()
    return demo


def _acceptance_days(rng: random.Random, count: int, today: date) -> list[int]:
    """Sorted acceptance days (ordinals) over ten years to today: working days, growing load."""
    start = date(today.year - 10 + today.month // 12, today.month % 12 + 1, 1)
    weights = []
    for ordinal in range(start.toordinal(), today.toordinal() + 1):
        d = date.fromordinal(ordinal)
        w = (1.0 if d.weekday() < 5 else 0.04) * 1.05 ** (d.year - start.year)
        if d.month == 2 or (d.month == 10 and d.day <= 7):  # Spring Festival, National Day
            w *= 0.7 if d.month == 2 else 0.15
        weights.append((ordinal, w))
    pick = Pick(weights)
    return sorted(pick(rng) for _ in range(count))
