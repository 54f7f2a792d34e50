"""导入/导出 of whole ledgers (JSON Lines, docs/interchange.md) as use cases that the permission
table decides: importing (data.import: clerks, heads, the leader) and exporting everything
(data.export: the leader and the administrator). The work itself is in services/interchange."""

from __future__ import annotations

from pathlib import Path

from casedesk.services.base import IN_BODY, Service, guarded
from casedesk.services.interchange import export_cases, import_cases
from casedesk.services.interchange.format import Progress
from casedesk.services.interchange.importer import ImportReport


class DataTransferService(Service):
    @guarded("data.export", via=False)
    def export_cases(self, out: Path, progress: Progress | None = None) -> int:
        """Every live case to ``out``; returns how many were written."""
        return export_cases(self.db, out, progress=progress)

    @guarded("data.import", via=IN_BODY)
    def import_cases(self, src: Path, progress: Progress | None = None) -> ImportReport:
        """All the cases of ``src`` or none (whoever may import in some scope: the cases go to
        their handlers' units)."""
        self._require_some_scope("data.import")
        return import_cases(self.db, self.actor, src, progress=progress)
