"""The case search index: one text per case, and (on SQLite) an FTS5 index of its grams.

See :mod:`casedesk.domain.search_text` for why the index holds characters and character pairs.
On other databases the same texts are searched with LIKE.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    and_,
    bindparam,
    column,
    select,
    text,
    true,
)
from sqlalchemy.orm import Session

from casedesk.domain.search_text import (
    free_text_segments,
    fts_match_expression,
    grams,
    identifier_segment,
    join_segments,
    query_terms,
)
from casedesk.store.models import Case, CaseParty, CaseSearch, Enterprise, Person


def _is_sqlite(bind: Session | Connection) -> bool:
    return (
        bind.get_bind().dialect.name == "sqlite"
        if isinstance(bind, Session)
        else (bind.dialect.name == "sqlite")
    )


def case_search_texts(session: Session, case_ids: Iterable) -> dict:
    """The searchable text of each case: 案号, cause, notes, party names and identifiers."""
    ids = list(case_ids)
    segments: dict = {}
    for chunk in _chunks(ids, 500):
        for cid, number, cause, notes in session.execute(
            select(Case.id, Case.case_number, Case.cause, Case.notes).where(Case.id.in_(chunk))
        ):
            segments[cid] = [identifier_segment(number), *free_text_segments(cause)]
            segments[cid] += free_text_segments(notes)
        parties = session.execute(
            select(
                CaseParty.case_id,
                Enterprise.name,
                Enterprise.credit_code,
                Person.name,
                Person.id_number,
            )
            .outerjoin(Enterprise, Enterprise.id == CaseParty.enterprise_id)
            .outerjoin(Person, Person.id == CaseParty.person_id)
            .where(CaseParty.case_id.in_(chunk))
            .order_by(CaseParty.position)
        )
        for cid, ent_name, code, person_name, id_number in parties:
            segments[cid] += free_text_segments(ent_name or person_name)
            segments[cid].append(identifier_segment(code or id_number))
    return {cid: join_segments(segs) for cid, segs in segments.items()}


def reindex_cases(session: Session, case_ids: Iterable) -> None:
    """Bring the search text and gram index of these cases up to date (same transaction)."""
    texts = case_search_texts(session, case_ids)
    if not texts:
        return
    sqlite = _is_sqlite(session)
    existing = {
        cid: (row_id, old)
        for row_id, cid, old in session.execute(
            select(CaseSearch.id, CaseSearch.case_id, CaseSearch.text).where(
                CaseSearch.case_id.in_(list(texts))
            )
        )
    }
    for cid, new_text in texts.items():
        if cid in existing:
            row_id, old_text = existing[cid]
            if old_text == new_text:
                continue
            session.execute(
                CaseSearch.__table__.update().where(CaseSearch.id == row_id).values(text=new_text)
            )
            if sqlite:
                _fts_delete(session, row_id, old_text)
        else:
            row_id = session.execute(
                CaseSearch.__table__.insert().values(case_id=cid, text=new_text)
            ).inserted_primary_key[0]
        if sqlite:
            session.execute(
                text("INSERT INTO case_search_fts(rowid, grams) VALUES (:id, :g)"),
                {"id": row_id, "g": grams(new_text)},
            )


def _fts_delete(session: Session, row_id: int, old_text: str) -> None:
    # A contentless FTS5 table forgets a row only when told the tokens it was indexed with.
    session.execute(
        text(
            "INSERT INTO case_search_fts(case_search_fts, rowid, grams) VALUES('delete', :id, :g)"
        ),
        {"id": row_id, "g": grams(old_text)},
    )


def search_condition(query: str, sqlite: bool) -> ColumnElement[bool]:
    """A WHERE condition on ``case_file.id`` matching every term of ``query`` (true if empty)."""
    terms = query_terms(query)
    if not terms:
        return true()
    text_checks = [
        CaseSearch.text.contains(term, autoescape=True)
        if not sqlite
        else text(f"instr(case_search.text, :term{i}) > 0").bindparams(bindparam(f"term{i}", term))
        for i, term in enumerate(terms)
        if not sqlite or len(term) > 2
    ]
    inner = select(CaseSearch.case_id)
    if sqlite:
        inner = inner.where(
            CaseSearch.id.in_(
                text("SELECT rowid FROM case_search_fts WHERE case_search_fts MATCH :match")
                .bindparams(match=fts_match_expression(terms))
                .columns(column("rowid", Integer))
            )
        )
    if text_checks:
        inner = inner.where(and_(*text_checks))
    return Case.id.in_(inner)


def rebuild_index(session: Session) -> None:
    """Rebuild the FTS gram index from the stored texts (after a bulk load)."""
    if not _is_sqlite(session):
        return
    session.execute(text("DELETE FROM case_search_fts"))
    rows = session.execute(select(CaseSearch.id, CaseSearch.text)).all()
    conn = session.connection().connection.driver_connection
    conn.executemany(
        "INSERT INTO case_search_fts(rowid, grams) VALUES (?, ?)",
        ((row_id, grams(txt)) for row_id, txt in rows),
    )


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
