"""Alembic environment: always runs on the connection handed over by casedesk.store.migrate."""

from alembic import context

from casedesk.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - CaseDesk always passes a connection
    raise RuntimeError("CaseDesk migrations run through casedesk.store.migrate.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    compare_server_default=True,
)
with context.begin_transaction():
    context.run_migrations()
