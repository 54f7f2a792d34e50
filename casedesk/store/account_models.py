"""The users of CaseDesk: login, display name, unit, roles, the Argon2id hash of the password and
the sign-in state (failed attempts, lock, last change of the password).

A user is never deleted (audit records name them for ever); an administrator deactivates them.
The roles are the codes of :mod:`casedesk.domain.roles`, comma-separated.

Imported by :mod:`casedesk.store.models`, so one metadata holds every table.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from casedesk.store.models import Base, Stamped, _uuid


class UserAccount(Stamped, Base):
    __tablename__ = "user_account"

    id: Mapped[uuid.UUID] = _uuid()
    login: Mapped[str] = mapped_column(String(32), unique=True)  # lower case
    display_name: Mapped[str] = mapped_column(String(50))
    unit: Mapped[str] = mapped_column(String(100), default="")  # 庭/部门
    roles: Mapped[str] = mapped_column(String(100), default="")  # "handler,head"
    password_hash: Mapped[str] = mapped_column(String(200))
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: set by an administrator's reset: the user must choose a new password at the next sign-in
    must_change: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
