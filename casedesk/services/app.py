"""The composition root: one object through which the UI and the command line reach every use
case and every list, acting as one user."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from casedesk.services.accounts import AccountService
from casedesk.services.audit import AuditService
from casedesk.services.cases import CaseService
from casedesk.services.code_tables import CodeTableService
from casedesk.services.compliance import ComplianceService
from casedesk.services.custody_reviews import CustodyReviewService
from casedesk.services.data_transfer import DataTransferService
from casedesk.services.deadlines import DeadlineService
from casedesk.services.enforcement import EnforcementService
from casedesk.services.enterprises import EnterpriseService
from casedesk.services.holidays import HolidayService
from casedesk.services.identity import Identity
from casedesk.services.lists import CaseListReader, EnterpriseListReader
from casedesk.services.measure_settings import MeasureSettingsService
from casedesk.services.parties import PartyService
from casedesk.services.personal_measures import PersonalMeasureService
from casedesk.services.persons import PersonService
from casedesk.services.property_measures import PropertyMeasureService
from casedesk.services.recycle_bin import RecycleBinService
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
    """Every service, sharing one :class:`Identity`: signing in changes who all of them act as.
    ``actor`` names the system (command line, tests) until a user signs in."""

    db: Database
    actor: str

    def __post_init__(self) -> None:
        self.identity = Identity(self.actor)
        who = self.identity
        self.accounts = AccountService(self.db, who)
        self.cases = CaseService(self.db, who)
        self.timeline = TimelineService(self.db, who)
        self.deadlines = DeadlineService(self.db, who)
        self.parties = PartyService(self.db, who)
        self.enterprises = EnterpriseService(self.db, who)
        self.persons = PersonService(self.db, who)
        self.code_tables = CodeTableService(self.db, who)
        self.holidays = HolidayService(self.db, who)
        self.rules = RuleService(self.db, who)
        self.property_measures = PropertyMeasureService(self.db, who)
        self.personal_measures = PersonalMeasureService(self.db, who)
        self.custody_reviews = CustodyReviewService(self.db, who)
        self.measure_settings = MeasureSettingsService(self.db, who)
        self.stalled = StalledService(self.db, who)
        self.compliance = ComplianceService(self.db, who)
        self.enforcement = EnforcementService(self.db, who)
        self.suggestions = SuggestionService(self.db, who)
        self.recycle_bin = RecycleBinService(self.db, who)
        self.audit = AuditService(self.db, who)
        self.data = DataTransferService(self.db, who)
        self.case_list = CaseListReader(self.db, who)
        self.enterprise_list = EnterpriseListReader(self.db, who)

    @classmethod
    def open(
        cls,
        path: Path,
        actor: str | None = None,
        backup_dir: Path | None = None,
        key: str | None = None,
    ) -> Services:
        """Open (create, upgrade) the database at ``path`` and act as ``actor``. ``key`` opens
        (or creates) an encrypted file; by default the key remembered for ``path``, if any."""
        return cls(open_database(path, backup_dir, key), actor or current_os_user())

    @property
    def path(self) -> Path:
        return self.db.path

    def is_empty(self) -> bool:
        """True when the database holds no case at all (first start)."""
        return self.case_list.total() == 0

    def close(self) -> None:
        self.db.close()
