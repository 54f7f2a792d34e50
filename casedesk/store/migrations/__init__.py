"""Alembic migration scripts of the CaseDesk schema."""
