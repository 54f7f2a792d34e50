"""The versioned JSON Lines interchange format of cases: export and import.

The format is documented in ``docs/interchange.md``; reading a line lives in
:mod:`~casedesk.services.interchange_format`, writing the file in
:mod:`~casedesk.services.interchange_export`, checking and importing one in
:mod:`~casedesk.services.interchange_import`.
"""

from __future__ import annotations

from casedesk.services.interchange_export import export_cases
from casedesk.services.interchange_format import FORMAT, VERSION, Progress
from casedesk.services.interchange_import import ImportReport, LineError, import_cases

__all__ = [
    "FORMAT",
    "VERSION",
    "ImportReport",
    "LineError",
    "Progress",
    "export_cases",
    "import_cases",
]
