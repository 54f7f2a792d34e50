"""Persistence: SQLAlchemy 2 models, Alembic migrations, list queries, backup.

May import :mod:`casedesk.domain`; never imports Qt.
"""
