"""Compliance reform (合规考察) on a criminal case: a dated state machine, each step audited."""

from __future__ import annotations

from casedesk.services.base import Service


class ComplianceService(Service):
    """Compliance cases of enterprises in criminal cases."""
