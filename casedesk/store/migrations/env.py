"""Alembic environment: always runs on the connection handed over by casedesk.store.migrate."""

from alembic import context

from casedesk.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - CaseDesk always passes a connection
    raise RuntimeError("CaseDesk migrations run through casedesk.store.migrate.upgrade()")


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """FTS5 search tables are created by hand (SQLite only): autogenerate leaves them alone."""
    return not (type_ == "table" and name and name.startswith(("case_gram_fts", "case_tri_fts")))


context.configure(
    connection=connection,
    include_name=include_name,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    compare_server_default=True,
)
with context.begin_transaction():
    context.run_migrations()
