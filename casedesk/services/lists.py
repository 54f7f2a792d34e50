"""List readers: the read side the UI's list models use. Each call is one short read.

The case list keeps the keys of its last filter-and-sort query while nothing was written, so a
search typed letter by letter only asks the search indexes and narrows that ordered list.
"""

from __future__ import annotations

from sqlalchemy import func, select

from casedesk.store import case_list, enterprise_list
from casedesk.store.case_list import CaseFilter, CaseRow
from casedesk.store.database import Database
from casedesk.store.enterprise_list import EnterpriseRow
from casedesk.store.models import Case
from casedesk.store.search import search_keys

__all__ = ["CaseFilter", "CaseListReader", "CaseRow", "EnterpriseListReader", "EnterpriseRow"]


class CaseListReader:
    SORT_KEYS = tuple(case_list.SORT_COLUMNS)

    def __init__(self, db: Database):
        self._db = db
        self._ordered: tuple[tuple, list[int]] | None = None
        self._handlers: tuple[int, list[str]] | None = None

    def keys(self, case_filter: CaseFilter, sort: str, descending: bool) -> list[int]:
        """List keys of the matching cases in display order."""
        cache_key = (case_filter.without_search(), sort, descending, self._db.generation)
        with self._db.engine.connect() as conn:
            if self._ordered is None or self._ordered[0] != cache_key:
                ordered = case_list.ordered_keys(conn, case_filter, sort, descending)
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
        if self._handlers is None or self._handlers[0] != self._db.generation:
            with self._db.engine.connect() as conn:
                self._handlers = (self._db.generation, case_list.handlers(conn))
        return list(self._handlers[1])

    def total(self) -> int:
        with self._db.engine.connect() as conn:
            return conn.scalar(select(func.count()).where(Case.deleted_at.is_(None))) or 0


class EnterpriseListReader:
    SORT_KEYS = tuple(enterprise_list.SORT_COLUMNS)

    def __init__(self, db: Database):
        self._db = db

    def ids(self, search: str, sort: str, descending: bool) -> list[str]:
        with self._db.engine.connect() as conn:
            return enterprise_list.enterprise_ids(conn, search, sort, descending)

    def rows(self, ids: list[str]) -> dict[str, EnterpriseRow]:
        with self._db.engine.connect() as conn:
            return enterprise_list.enterprise_rows(conn, ids)
