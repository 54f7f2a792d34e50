"""List readers: the read side the UI's list models use. Each call is one short read.

Every list shows only the cases the acting user may read (``case.read`` in the permission table,
casedesk.domain.roles): :func:`read_scope` turns the shared :class:`Identity` into the
:class:`~casedesk.store.case_scope.CaseScope` the list queries of ``store/`` take — the whole 院
for 院领导 and the system, the user's unit for 承办人, 书记员 and 部门负责人, nothing for 管理员.

The case list keeps the keys of its last filter-and-sort query while nothing was written (and
the same user reads), so a search typed letter by letter only asks the search indexes and
narrows that ordered list.
"""

from __future__ import annotations

from sqlalchemy import func, select

from casedesk.domain import roles
from casedesk.services.identity import Identity
from casedesk.store import case_list, enterprise_list
from casedesk.store.case_list import CaseFilter, CaseRow
from casedesk.store.case_scope import EVERYTHING, NOTHING, CaseScope, own_scope, unit_scope
from casedesk.store.database import Database
from casedesk.store.enterprise_list import EnterpriseRow
from casedesk.store.models import Case
from casedesk.store.search import search_keys

__all__ = [
    "CaseFilter",
    "CaseListReader",
    "CaseRow",
    "EnterpriseListReader",
    "EnterpriseRow",
    "read_scope",
]


def read_scope(identity: Identity | None) -> CaseScope:
    """The cases the acting user's lists show: ``roles.scope_of(user, "case.read")`` — ALL:
    every case; UNIT: the cases of the user's unit (none without a unit); OWN: the cases the
    user handles; no grant (管理员): none. The system (nobody signed in) sees every case."""
    user = identity.user if identity is not None else None
    if user is None:
        return EVERYTHING
    scope = roles.scope_of(user, "case.read")
    if scope is None:
        return NOTHING
    if scope is roles.ALL:
        return EVERYTHING
    if scope is roles.UNIT:
        return unit_scope(user.unit)
    return own_scope(user.display_name, user.login)


class CaseListReader:
    SORT_KEYS = tuple(case_list.SORT_COLUMNS)

    def __init__(self, db: Database, identity: Identity | None = None):
        self._db = db
        self._identity = identity  # None: the system, every case
        self._ordered: tuple[tuple, list[int]] | None = None
        self._handlers: tuple[tuple, list[str]] | None = None

    @property
    def scope(self) -> CaseScope:
        """The cases this reader shows now (signing in as another user changes it)."""
        return read_scope(self._identity)

    def keys(self, case_filter: CaseFilter, sort: str, descending: bool) -> list[int]:
        """List keys of the matching cases the user may read, in display order."""
        scope = self.scope
        cache_key = (case_filter.without_search(), sort, descending, scope, self._db.generation)
        with self._db.engine.connect() as conn:
            if self._ordered is None or self._ordered[0] != cache_key:
                ordered = case_list.ordered_keys(conn, case_filter, sort, descending, scope)
                self._ordered = (cache_key, ordered)
            return case_list.narrow(self._ordered[1], search_keys(conn, case_filter.search))

    def ids(self, case_filter: CaseFilter, sort: str, descending: bool) -> list[str]:
        """Case ids (hex) of the matching cases in display order."""
        keys = self.keys(case_filter, sort, descending)
        with self._db.engine.connect() as conn:
            return case_list.ids_of(conn, keys)

    def rows(self, keys: list[int]) -> dict[int, CaseRow]:
        with self._db.engine.connect() as conn:
            return case_list.case_rows(conn, keys)

    def key_of(self, case_id: str) -> int | None:
        with self._db.engine.connect() as conn:
            return case_list.key_of(conn, case_id)

    def handlers(self) -> list[str]:
        """The handlers of the cases the user may read, for the filter."""
        scope = self.scope
        if self._handlers is None or self._handlers[0] != (self._db.generation, scope):
            with self._db.engine.connect() as conn:
                self._handlers = ((self._db.generation, scope), case_list.handlers(conn, scope))
        return list(self._handlers[1])

    def total(self) -> int:
        """Live cases in the database, whoever reads (whether it is empty: the first start)."""
        with self._db.engine.connect() as conn:
            return conn.scalar(select(func.count()).where(Case.deleted_at.is_(None))) or 0


class EnterpriseListReader:
    """Enterprises are shared by the cases of every unit (``subject.read``: every role that
    handles cases); a user without that permission (管理员) gets an empty list."""

    SORT_KEYS = tuple(enterprise_list.SORT_COLUMNS)

    def __init__(self, db: Database, identity: Identity | None = None):
        self._db = db
        self._identity = identity

    def ids(self, search: str, sort: str, descending: bool) -> list[str]:
        if self._identity is not None and not self._identity.may("subject.read"):
            return []
        with self._db.engine.connect() as conn:
            return enterprise_list.enterprise_ids(conn, search, sort, descending)

    def rows(self, ids: list[str]) -> dict[str, EnterpriseRow]:
        with self._db.engine.connect() as conn:
            return enterprise_list.enterprise_rows(conn, ids)
