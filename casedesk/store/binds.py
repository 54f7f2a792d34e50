"""What store queries accept: a Session or a Connection."""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.orm import Session

Bind = Session | Connection


def connection_of(bind: Bind) -> Connection:
    """The Connection behind ``bind`` (inside the session's transaction)."""
    return bind.connection() if isinstance(bind, Session) else bind
