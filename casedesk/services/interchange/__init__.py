"""The versioned JSON Lines interchange format of cases: export and import.

The format is documented in ``docs/interchange.md``; its constants and records live in
:mod:`~casedesk.services.interchange.format` (the measures' in
:mod:`~casedesk.services.interchange.measure_format`), writing the file in
:mod:`~casedesk.services.interchange.exporter` (the measures in
:mod:`~casedesk.services.interchange.export_measures`), checking and importing one in
:mod:`~casedesk.services.interchange.importer` (reading a line in
:mod:`~casedesk.services.interchange.read`, its deadlines in
:mod:`~casedesk.services.interchange.read_deadlines` and its measures in
:mod:`~casedesk.services.interchange.read_measures`, ``read_property`` and
``read_supervisions``, on :mod:`~casedesk.services.interchange.checks`; a measure's term against
its clock in :mod:`~casedesk.services.interchange.measure_terms`; writing the rows in
:mod:`~casedesk.services.interchange.write` and ``write_measures``, and the deadlines a case's
data implies in :mod:`~casedesk.services.interchange.implied`).
"""

from __future__ import annotations

from casedesk.services.interchange.exporter import export_cases
from casedesk.services.interchange.format import FORMAT, VERSION, Progress
from casedesk.services.interchange.importer import ImportReport, LineError, import_cases

__all__ = [
    "FORMAT",
    "VERSION",
    "ImportReport",
    "LineError",
    "Progress",
    "export_cases",
    "import_cases",
]
