"""The composition root: one object through which the UI and the command line reach every use
case and every list, acting as one user."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from casedesk.services.cases import CaseService
from casedesk.services.code_tables import CodeTableService
from casedesk.services.compliance import ComplianceService
from casedesk.services.custody_reviews import CustodyReviewService
from casedesk.services.deadlines import DeadlineService
from casedesk.services.enforcement import EnforcementService
from casedesk.services.enterprises import EnterpriseService
from casedesk.services.holidays import HolidayService
from casedesk.services.lists import CaseListReader, EnterpriseListReader
from casedesk.services.measure_settings import MeasureSettingsService
from casedesk.services.parties import PartyService
from casedesk.services.personal_measures import PersonalMeasureService
from casedesk.services.persons import PersonService
from casedesk.services.property_measures import PropertyMeasureService
from casedesk.services.rule_admin import RuleService
from casedesk.services.stalled import StalledService
from casedesk.services.suggestions import SuggestionService
from casedesk.services.timeline import TimelineService
from casedesk.store.database import Database, open_database


def current_os_user() -> str:
    """The operating-system account: the acting user until CaseDesk has its own accounts."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no passwd entry (containers)
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"


@dataclass
class Services:
    db: Database
    actor: str

    def __post_init__(self) -> None:
        self.cases = CaseService(self.db, self.actor)
        self.timeline = TimelineService(self.db, self.actor)
        self.deadlines = DeadlineService(self.db, self.actor)
        self.parties = PartyService(self.db, self.actor)
        self.enterprises = EnterpriseService(self.db, self.actor)
        self.persons = PersonService(self.db, self.actor)
        self.code_tables = CodeTableService(self.db, self.actor)
        self.holidays = HolidayService(self.db, self.actor)
        self.rules = RuleService(self.db, self.actor)
        self.property_measures = PropertyMeasureService(self.db, self.actor)
        self.personal_measures = PersonalMeasureService(self.db, self.actor)
        self.custody_reviews = CustodyReviewService(self.db, self.actor)
        self.measure_settings = MeasureSettingsService(self.db, self.actor)
        self.stalled = StalledService(self.db, self.actor)
        self.compliance = ComplianceService(self.db, self.actor)
        self.enforcement = EnforcementService(self.db, self.actor)
        self.suggestions = SuggestionService(self.db, self.actor)
        self.case_list = CaseListReader(self.db)
        self.enterprise_list = EnterpriseListReader(self.db)

    @classmethod
    def open(cls, path: Path, actor: str | None = None, backup_dir: Path | None = None) -> Services:
        """Open (create, upgrade) the database at ``path`` and act as ``actor``."""
        return cls(open_database(path, backup_dir), actor or current_os_user())

    @property
    def path(self) -> Path:
        return self.db.path

    def is_empty(self) -> bool:
        """True when the database holds no case at all (first start)."""
        return self.case_list.total() == 0

    def close(self) -> None:
        self.db.close()
