"""Writing a checked case line's suggestion documents (docs/interchange.md §6.11): rows for the
batch's executemany inserts — the suggestion with its reply clock, its follow-up entries — each
suggestion with one create audit record (its state and the fields of the steps it went through);
the numbers checked across the file and against the database (one number per issuing unit, kind,
year and 序号); and, once every line is in, the numbering counters brought up to the numbers used
and the header's number patterns and wording templates the database does not have yet."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, tuple_

from casedesk.services.interchange.suggestion_format import (
    SUGGESTION_CLOCKS,
    NumberKey,
    SuggestionRecord,
    SuggestionSettings,
)
from casedesk.services.interchange.write_compliance import set_fields
from casedesk.store.models import Case
from casedesk.store.suggestion_models import (
    Suggestion,
    SuggestionCounter,
    SuggestionEntry,
    SuggestionPattern,
    SuggestionTemplate,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from casedesk.services.interchange.format import CaseRecord
    from casedesk.services.interchange.write import BatchWriter
    from casedesk.services.unit_of_work import UnitOfWork

#: The suggestion tables in foreign-key order (after the deadlines).
SUGGESTION_TABLES = (Suggestion, SuggestionEntry)
_AUDITED = (
    "kind", "subtype", "issuer", "recipient", "state", "number", "signed_on", "served_way",
    "served_on", "served_receiver", "replied_on", "adoption",
)  # fmt: skip
_BATCH = 500


class SuggestionWriter:
    """Adds the rows and audit records of a case's suggestions to a :class:`BatchWriter`."""

    def __init__(self, writer: BatchWriter):
        self.w = writer
        self.count = 0

    def add(self, case_id: uuid.UUID, records: list[SuggestionRecord]) -> None:
        w, stamps = self.w, {"updated_at": self.w.ctx.now, "version": 1}
        for s in records:
            clocks = dict.fromkeys(column for column, _rule in SUGGESTION_CLOCKS.values())
            clocks |= {column: d.id for column, d in s.clocks.items()}
            w.rows[Suggestion].append(s.values | clocks | {"id": s.id, "case_id": case_id} | stamps)
            changes = set_fields(s.values, _AUDITED)
            for e in s.entries:
                w.rows[SuggestionEntry].append(e.values | {"id": e.id, "suggestion_id": s.id})
                line = f"{e.values['occurred_on']} {e.values['note']}".strip()
                old = changes.get(e.values["kind"], (None, ""))[1]
                changes[e.values["kind"]] = (None, f"{old}；{line}" if old else line)
            label = f"{s.values['kind']} {s.values['number'] or '新建草稿'}"
            w.audit("create", "suggestion", s.id, label, changes, case_id)
        self.count += len(records)


class SuggestionNumbers:
    """The numbers of the file's finalised suggestions: each once in the file and not yet in
    the database; the highest 序号 used per unit, kind and year (for the counters)."""

    def __init__(self) -> None:
        self.seen: dict[NumberKey, tuple[int, str]] = {}  # number → (line, key path)
        self.used: dict[tuple[str, str, int], int] = defaultdict(int)

    def check(self, session: Session, batch: list[tuple[int, CaseRecord]]) -> list[tuple[int, str]]:
        """Problems (line, message) of the batch's numbers."""
        problems, fresh = [], {}
        for line, record in batch:
            for s in record.suggestions:
                key = s.number_key
                if key is None:
                    continue
                if key in self.seen:
                    at, path = self.seen[key]
                    problems.append((line, f"{s.path}.seq：{_named(key)}与第{at}行 {path} 重复"))
                    continue
                self.seen[key] = fresh[key] = (line, s.path)
                self.used[key[:3]] = max(self.used[key[:3]], key[3])
        keys = list(fresh)
        columns = (Suggestion.issuer, Suggestion.kind, Suggestion.year, Suggestion.seq)
        for i in range(0, len(keys), _BATCH):
            for *key, number, case_number in session.execute(
                select(*columns, Suggestion.number, Case.case_number)
                .join(Case, Case.id == Suggestion.case_id)
                .where(tuple_(*columns).in_(keys[i : i + _BATCH]))
            ):
                line, path = fresh[tuple(key)]  # type: ignore[index]
                problems.append((line, f"{path}.seq：{_named(tuple(key))}已被本库案件 "  # type: ignore[arg-type]
                                       f"{case_number} 的建议书（{number}）使用"))  # fmt: skip
        return problems


def _named(key: NumberKey) -> str:
    unit, kind, year, seq = key
    return f"{unit}{year}年{kind}第{seq}号"


def write_settings(
    uow: UnitOfWork, settings: SuggestionSettings, used: dict[tuple[str, str, int], int],
    warnings: list[str],
) -> None:  # fmt: skip
    """Bring each counter up to the file's and to the highest 序号 imported (never down: numbering
    goes on after both databases' numbers), and add the patterns and templates this database
    lacks, audited as the administrator's saves are; where it has its own, it keeps them (a
    note says so)."""
    s = uow.session
    wanted = dict(used)
    for c in settings.counters:
        key = (c["unit"], c["kind"], c["year"])
        wanted[key] = max(wanted.get(key, 0), c["last_seq"])
    for (unit, kind, year), last in wanted.items():
        row = s.get(SuggestionCounter, (unit, kind, year))
        if row is None:
            s.add(SuggestionCounter(unit=unit, kind=kind, year=year, last_seq=last))
        elif row.last_seq < last:
            row.last_seq = last
    for i, p in enumerate(settings.patterns):
        _setting(uow, SuggestionPattern, p, ("pattern",), "编号格式",
                 f"suggestion_patterns[{i}]", warnings)  # fmt: skip
    for i, t in enumerate(settings.templates):
        _setting(uow, SuggestionTemplate, t, ("opening", "reply", "closing"), "文书模板",
                 f"suggestion_templates[{i}]", warnings)  # fmt: skip
    s.flush()


def _setting(uow: UnitOfWork, model: Any, values: dict[str, Any], fields: tuple[str, ...],
             label: str, path: str, warnings: list[str]) -> None:  # fmt: skip
    unit, kind = values["unit"], values["kind"]
    row = uow.session.get(model, (unit, kind))
    if row is None:
        uow.session.add(model(**values))
        uow.audit("update", model.__tablename__, f"{unit}/{kind}", f"{unit}{kind}{label}",
                  {k: ("", values[k]) for k in fields if values[k]})  # fmt: skip
    elif any(getattr(row, k) != values[k] for k in fields):
        warnings.append(f"文件头 {path}：本库已设置{unit}{kind}的{label}，沿用本库的设置，"
                        "未采用文件中的")  # fmt: skip
