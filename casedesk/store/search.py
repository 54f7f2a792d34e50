"""The case search index: one text per case and, on SQLite, two FTS5 indexes over it.

``case_gram_fts`` holds each character and character pair (answers terms of 1–2 characters);
``case_tri_fts`` holds trigrams with positions (answers longer terms as exact substrings). Both
are contentless with the case's list key as row id; the text they were built from stays in
``case_search``, which is what a contentless index needs to forget a row. See
:mod:`casedesk.domain.search_text`. On other databases the texts are searched with LIKE.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from casedesk.domain.search_text import case_search_text, grams, query_terms, term_match
from casedesk.store.binds import Bind, connection_of
from casedesk.store.models import Case, CaseParty, CaseSearch, Enterprise, Person

GRAM_FTS = "case_gram_fts"
TRIGRAM_FTS = "case_tri_fts"
_FTS = {"gram": GRAM_FTS, "trigram": TRIGRAM_FTS}


def _driver(bind: Bind) -> sqlite3.Connection | None:
    """The sqlite3 connection inside the current transaction (None on other databases)."""
    conn = connection_of(bind)
    if conn.dialect.name != "sqlite":
        return None
    return conn.connection.driver_connection  # type: ignore[return-value]


def next_list_key(bind: Bind) -> int:
    """The next free list key (call inside the write transaction that uses it)."""
    return (bind.scalar(select(func.max(Case.list_key))) or 0) + 1


def case_search_texts(session: Session, case_ids: Iterable) -> dict[int, str]:
    """The searchable text of each case, keyed by list key."""
    ids = list(case_ids)
    cases: dict = {}
    parties: dict = {}
    for chunk in _chunks(ids, 500):
        for row in session.execute(
            select(Case.id, Case.list_key, Case.case_number, Case.cause, Case.notes).where(
                Case.id.in_(chunk)
            )
        ):
            cases[row.id] = row
            parties[row.id] = []
        for cid, ent_name, code, person_name, id_number in session.execute(
            select(CaseParty.case_id, Enterprise.name, Enterprise.credit_code, Person.name,
                   Person.id_number)
            .outerjoin(Enterprise, Enterprise.id == CaseParty.enterprise_id)
            .outerjoin(Person, Person.id == CaseParty.person_id)
            .where(CaseParty.case_id.in_(chunk))
            .order_by(CaseParty.position)
        ):  # fmt: skip
            parties[cid].append((ent_name or person_name, code or id_number))
    return {
        row.list_key: case_search_text(row.case_number, row.cause, row.notes, parties[cid])
        for cid, row in cases.items()
    }


def add_to_index(driver: sqlite3.Connection | None, rows: Sequence[tuple[int, str]]) -> None:
    """Index new texts ``(list key, text)`` in both FTS indexes (no-op off SQLite)."""
    if driver is None or not rows:
        return
    driver.executemany(
        f"INSERT INTO {GRAM_FTS}(rowid, grams) VALUES (?, ?)", ((k, grams(t)) for k, t in rows)
    )
    driver.executemany(f"INSERT INTO {TRIGRAM_FTS}(rowid, text) VALUES (?, ?)", rows)


def _remove_from_index(driver: sqlite3.Connection, rows: Sequence[tuple[int, str]]) -> None:
    # A contentless FTS5 table forgets a row only when told the tokens it was indexed with.
    driver.executemany(
        f"INSERT INTO {GRAM_FTS}({GRAM_FTS}, rowid, grams) VALUES ('delete', ?, ?)",
        ((k, grams(t)) for k, t in rows),
    )
    driver.executemany(
        f"INSERT INTO {TRIGRAM_FTS}({TRIGRAM_FTS}, rowid, text) VALUES ('delete', ?, ?)", rows
    )


def reindex_cases(session: Session, case_ids: Iterable) -> None:
    """Bring the search text and indexes of these cases up to date (same transaction)."""
    texts = case_search_texts(session, case_ids)
    if not texts:
        return
    old = dict(
        session.execute(
            select(CaseSearch.list_key, CaseSearch.text).where(CaseSearch.list_key.in_(list(texts)))
        ).all()
    )
    changed = {k: t for k, t in texts.items() if old.get(k) != t}
    if not changed:
        return
    driver = _driver(session)
    if driver is not None:
        _remove_from_index(driver, [(k, old[k]) for k in changed if k in old])
    for key, text in changed.items():
        if key in old:
            session.execute(
                CaseSearch.__table__.update().where(CaseSearch.list_key == key).values(text=text)
            )
        else:
            session.execute(CaseSearch.__table__.insert().values(list_key=key, text=text))
    add_to_index(driver, list(changed.items()))


def search_keys(bind: Bind, query: str) -> set[int] | None:
    """List keys of the cases matching every term of ``query``; None when it has no terms."""
    terms = query_terms(query)
    if not terms:
        return None
    driver = _driver(bind)
    if driver is None:
        stmt = select(CaseSearch.list_key).where(
            and_(*(CaseSearch.text.contains(t, autoescape=True) for t in terms))
        )
        return set(bind.execute(stmt).scalars())
    found: set[int] | None = None
    for term in sorted(set(terms), key=len, reverse=True):  # the most selective first
        index, match = term_match(term)
        table = _FTS[index]
        # One string from SQLite instead of a row per match: much faster for 100k matches.
        joined = driver.execute(
            f"SELECT group_concat(rowid) FROM {table} WHERE {table} MATCH ?", (match,)
        ).fetchone()[0]
        keys = set(json.loads(f"[{joined}]")) if joined else set()  # parsed in C
        found = keys if found is None else found & keys
        if not found:
            break
    return found or set()


def rebuild_index(session: Session) -> None:
    """Rebuild both FTS indexes from the stored texts (after a bulk load or a repair)."""
    driver = _driver(session)
    if driver is None:
        return
    for table in (GRAM_FTS, TRIGRAM_FTS):
        driver.execute(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
    add_to_index(driver, session.execute(select(CaseSearch.list_key, CaseSearch.text)).all())


def optimize_index(driver: sqlite3.Connection) -> None:
    """Merge each FTS index into one segment (after a bulk load)."""
    for table in (GRAM_FTS, TRIGRAM_FTS):
        driver.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
