"""Tables of compliance reform (合规考察): the compliance case of an enterprise in a criminal case,
its third-party organisation, plan, reports, inspections, evaluation, hearing and decision."""

from __future__ import annotations
