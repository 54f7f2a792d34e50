"""List readers: the read side the UI's list models use. Each call is one short read session."""

from __future__ import annotations

from sqlalchemy import func, select

from casedesk.store import case_list, enterprise_list
from casedesk.store.case_list import CaseFilter, CaseRow
from casedesk.store.database import Database
from casedesk.store.enterprise_list import EnterpriseRow
from casedesk.store.models import Case

__all__ = ["CaseFilter", "CaseListReader", "CaseRow", "EnterpriseListReader", "EnterpriseRow"]


class CaseListReader:
    SORT_KEYS = tuple(case_list.SORT_COLUMNS)

    def __init__(self, db: Database):
        self._db = db

    def ids(self, case_filter: CaseFilter, sort: str, descending: bool) -> list[str]:
        with self._db.engine.connect() as conn:
            return case_list.case_ids(conn, case_filter, sort, descending)

    def rows(self, ids: list[str]) -> dict[str, CaseRow]:
        with self._db.engine.connect() as conn:
            return case_list.case_rows(conn, ids)

    def handlers(self) -> list[str]:
        with self._db.engine.connect() as conn:
            return case_list.handlers(conn)

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
