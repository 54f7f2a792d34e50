"""The 挂案 ledger: criminal cases involving an enterprise (or its managers) flagged when the
thresholds of the 2017 规定 第25条 (law.md §9) are passed, put under supervision (挂牌督办) and
closed off (销号). Flags are computed from the case's measures and stage; supervision records
are kept and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from casedesk.services.base import Service


@dataclass(frozen=True)
class SupervisionDraft:
    supervising_unit: str
    responsible_unit: str
    started_on: date | None
    due_on: date | None
    instructions: str = ""


@dataclass(frozen=True)
class CloseOffDraft:
    closed_on: date | None
    outcome: str  # one of domain.stalled.OUTCOMES (撤案, 移送审查起诉, 不起诉, 判决, 其他)
    document: str = ""
    note: str = ""


@dataclass(frozen=True)
class LedgerRow:
    case_id: str
    case_number: str
    cause: str
    handler: str
    parties: str
    stage: str
    filed_on: date  # 立案日 (刑事立案 event, else the acceptance date)
    threshold: str  # rule id that fired (stalled.no_measure / stalled.after_measure), or ""
    threshold_label: str  # Chinese: 立案满二年未采取强制措施 …
    since: date | None  # the day the stalled period ran from (filing or measure end)
    flagged_from: date | None  # first day the case counts as stalled
    days_stalled: int  # days since ``since``
    status: str  # 待督办 / 督办中 / 已销号
    supervision_id: str
    supervising_unit: str
    responsible_unit: str
    supervision_due: date | None
    instructions: str
    closed_on: date | None
    outcome: str
    close_document: str


class StalledService(Service):
    def ledger(self, as_of: date | None = None, status: str = "") -> list[LedgerRow]:
        """Flagged, supervised and closed-off cases (``status`` filters: 待督办/督办中/已销号),
        most days stalled first."""
        raise NotImplementedError

    def flag_for_case(self, case_id: str, as_of: date | None = None) -> LedgerRow | None:
        """The case's ledger row if it is flagged, supervised or closed off."""
        raise NotImplementedError

    def supervise(self, case_id: str, draft: SupervisionDraft) -> str:
        """挂牌督办 a flagged case. Returns the supervision id."""
        raise NotImplementedError

    def close_off(self, supervision_id: str, draft: CloseOffDraft) -> None:
        """销号: how it ended, the date and the supporting document."""
        raise NotImplementedError

    def export_xlsx(self, path: Path, as_of: date | None = None, status: str = "") -> int:
        """Write the ledger to an .xlsx file; returns the number of rows."""
        raise NotImplementedError
