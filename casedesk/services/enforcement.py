"""Enforcement (执行) of a case and the debtor credit list (失信被执行人), each step audited."""

from __future__ import annotations

from casedesk.services.base import Service


class EnforcementService(Service):
    """The enforcement record of 执行 cases, payments, actions and credit listings."""
