"""Use cases: one unit of work per user action, each write audited in its own transaction.

The UI talks only to this package (see :class:`casedesk.services.app.Services`).
"""
