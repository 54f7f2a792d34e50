"""Who is acting: the signed-in user (with roles, checked against the permission table of
:mod:`casedesk.domain.roles`) or, for the command line and maintenance, the system itself.

One :class:`Identity` is shared by every service of a :class:`~casedesk.services.app.Services`,
so signing in (or another user signing in after the idle lock) changes who every service acts
as. Audit records name the user as "显示名（登录名）".
"""

from __future__ import annotations

from dataclasses import dataclass

from casedesk.domain import roles
from casedesk.services.errors import NotPermitted


@dataclass
class Identity:
    """The acting user; ``user`` None means the system (command line, tests, maintenance), which
    the permission table does not restrict."""

    system_name: str
    user: roles.Actor | None = None

    @property
    def name(self) -> str:
        """The name audit records carry."""
        if self.user is None:
            return self.system_name
        return f"{self.user.display_name}（{self.user.login}）"

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    def decide(self, action: str, target: roles.Target | None = None) -> roles.Decision:
        if self.user is None:
            return roles.Decision(action, True, scope=roles.ALL)
        return roles.decide(self.user, action, target)

    def require(self, action: str, target: roles.Target | None = None) -> None:
        """Raise :class:`NotPermitted` (its message the Chinese reason) unless allowed."""
        decision = self.decide(action, target)
        if not decision.allowed:
            raise NotPermitted(decision.reason)

    def may(self, action: str) -> bool:
        """Whether the user may do ``action`` in some scope (to show or hide a command)."""
        return self.user is None or roles.scope_of(self.user, action) is not None
