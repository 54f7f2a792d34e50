"""Importing a ``casedesk-cases`` file (docs/interchange.md): all of it or nothing.

The file is read once, in batches of lines. Each batch is checked — the lines themselves, then
against the database (案号 already registered, which enterprise or person a party names) — and,
as long as no line so far was rejected, written in the import's one transaction. Checking goes
on to the last line even after a rejection, so the report lists every rejected line; a file
with any rejected line is rolled back and leaves the database as it was.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from casedesk.services.base import court_codes, type_codes
from casedesk.services.deadline_sync import load_context
from casedesk.services.errors import ServiceError
from casedesk.services.interchange.checks import LineProblems
from casedesk.services.interchange.format import (
    VERSION,
    CaseRecord,
    Progress,
    ReadContext,
    cyclic_gc_paused,
)
from casedesk.services.interchange.implied import Written, add_implied_deadlines
from casedesk.services.interchange.read import read_case, read_header
from casedesk.services.interchange.read_suggestions import read_settings
from casedesk.services.interchange.write import BatchWriter, Target
from casedesk.services.interchange.write_compliance import COMPLIANCE_TABLES
from casedesk.services.interchange.write_enforcement import ENFORCEMENT_TABLES
from casedesk.services.interchange.write_measures import MEASURE_TABLES
from casedesk.services.interchange.write_suggestions import (
    SUGGESTION_TABLES,
    SuggestionNumbers,
    write_settings,
)
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.account_models import UserAccount
from casedesk.store.database import Database
from casedesk.store.models import Case, Enterprise, Person, Tag

BATCH = 500
_RECORD_NAMES = {
    "property_measure": "财产强制措施", "property_renewal": "续行记录",
    "property_release": "解除记录", "personal_measure": "人身强制措施",
    "custody_review": "羁押必要性审查", "stalled_supervision": "督办记录",
    "compliance_case": "合规考察", "compliance_member": "第三方组织组成人员",
    "compliance_entry": "合规考察记录", "enforcement_record": "执行信息",
    "enforcement_payment": "执行到位记录", "enforcement_action": "执行措施记录",
    "dishonest_listing": "失信记录", "spending_ban": "限制消费令", "suggestion": "建议书",
    "suggestion_entry": "建议书催办、回访记录",
}  # fmt: skip
#: The tables of the records that keep the file's ids.
_ID_TABLES = (
    *MEASURE_TABLES, *(t for t in COMPLIANCE_TABLES if "id" in t.__table__.c),
    *ENFORCEMENT_TABLES, *SUGGESTION_TABLES,
)  # fmt: skip
_SUBJECTS = {
    "enterprise": (Enterprise, Enterprise.credit_code, "企业"),
    "person": (Person, Person.id_number, "个人"),
}


@dataclass(frozen=True)
class LineError:
    """A rejected line (``line`` is ``None`` for a problem of the whole file)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}" if self.line else self.message


@dataclass
class ImportReport:
    """What an import did, or why it wrote nothing (``errors`` not empty)."""

    path: Path
    errors: list[LineError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cases: int = 0
    parties: int = 0
    events: int = 0
    deadlines: int = 0
    measures: int = 0  # property and personal measures
    compliance: int = 0  # compliance cases
    enforcement: int = 0  # enforcement records
    suggestions: int = 0  # suggestion documents
    enterprises_created: int = 0
    enterprises_matched: int = 0
    persons_created: int = 0
    persons_matched: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One Chinese sentence for the user."""
        if len(self.errors) == 1:
            return f"文件“{self.path.name}”未导入，未写入任何数据：{self.errors[0]}"
        if self.errors:
            lines = len({e.line for e in self.errors})
            return (
                f"文件“{self.path.name}”未导入，未写入任何数据：{lines} 行有问题"
                f"（共 {len(self.errors)} 条）。"
            )
        return (
            f"已从“{self.path.name}”导入 {self.cases} 件案件（当事人 {self.parties} 个，"
            f"时间线记录 {self.events} 条，期限 {self.deadlines} 个"
            + (f"，强制措施 {self.measures} 项" if self.measures else "")
            + (f"，合规考察 {self.compliance} 件" if self.compliance else "")
            + (f"，执行信息 {self.enforcement} 件" if self.enforcement else "")
            + (f"，建议书 {self.suggestions} 份" if self.suggestions else "")
            + "）；"
            f"新建企业 {self.enterprises_created} 家、"
            f"沿用已有企业 {self.enterprises_matched} 家；新建个人 {self.persons_created} 人、"
            f"沿用已有个人 {self.persons_matched} 人；用时 {self.seconds:.1f} 秒。"
        )


class _Refused(Exception):
    """The whole file is refused for one reason (encoding, header)."""

    def __init__(self, line: int | None, message: str):
        self.error = LineError(line, message)


def import_cases(
    db: Database, actor: str, src: Path, progress: Progress | None = None
) -> ImportReport:
    """Check every line of ``src`` and import all its cases — or nothing if any line is bad."""
    started = time.perf_counter()
    src = Path(src)
    report = ImportReport(src)
    try:
        with UnitOfWork(db, actor) as uow, cyclic_gc_paused():
            try:
                _Importer(uow, report, progress).run(src)
            except _Refused as exc:
                report.errors = [exc.error]
            if report.errors:
                report.errors.sort(key=lambda e: e.line or 0)
            else:
                uow.commit()  # else the unit of work rolls back whatever was written
    except OSError as exc:
        raise ServiceError(f"无法读取文件“{src}”：{exc.strerror or exc}") from exc
    except DBAPIError as exc:
        raise ServiceError(f"导入失败，未写入任何数据（{exc.orig}）") from exc
    report.seconds = time.perf_counter() - started
    return report


def _handler_units(session: Session) -> dict[str, str]:
    """The unit of each account, by display name and by login (a handler is written as
    either)."""
    units: dict[str, str] = {}
    for name, login, unit in session.execute(
        select(UserAccount.display_name, UserAccount.login, UserAccount.unit)
    ):
        units.setdefault(name, unit)
        units.setdefault(login, unit)
    return units


def _lines(src: Path) -> Iterator[tuple[int, str]]:
    """Non-blank lines with their numbers; a line that is not UTF-8 refuses the file."""
    with src.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise _Refused(
                    number, "文件不是 UTF-8 编码的文本，无法导入。请用 UTF-8 编码另存后再导入"
                ) from None
            text = (text.removeprefix("\ufeff") if number == 1 else text).strip()
            if text:
                yield number, text


class _Importer:
    """One import: the lines read so far, the subjects they named, the batch being written."""

    def __init__(self, uow: UnitOfWork, report: ImportReport, progress: Progress | None):
        self.uow, self.session, self.report, self.progress = uow, uow.session, report, progress
        tags = {name: tag_id for name, tag_id in self.session.execute(select(Tag.name, Tag.id))}
        self.ctx = ReadContext(
            type_codes(self.session), court_codes(self.session), tags, date.today(),
            audit.utcnow(), uow.actor, load_context(uow),
            handler_units=_handler_units(self.session),
        )  # fmt: skip
        self.implied = 0  # deadlines the cases' data implied (not in the file)
        self.writer = BatchWriter(uow.actor, self.ctx)
        self.numbers: dict[str, int] = {}  # 案号 → line
        #: (kind, file id or identifier) → the enterprise or person it stands for in this import.
        self.aliases: dict[tuple[str, Any], Target] = {}
        self.matched: dict[str, set[uuid.UUID]] = {kind: set() for kind in _SUBJECTS}
        self.unknown: dict[str, list[int]] = {}  # ignored key → [first line, lines]
        self.batch: list[tuple[int, CaseRecord]] = []
        self.measure_ids: set[uuid.UUID] = set()  # ids of the measures imported so far
        self.documents = SuggestionNumbers()  # the suggestions' numbers so far
        self.count = 0

    def run(self, src: Path) -> None:
        lines = _lines(src)
        first = next(lines, None)
        if first is None:
            raise _Refused(None, f"文件“{src.name}”是空的，没有可导入的内容")
        try:
            announced, ignored = read_header(first[1])
        except LineProblems as exc:
            raise _Refused(first[0], exc.problems[0]) from None
        for key in ignored:
            self.note_unknown(key, first[0])
        self.settings, problems, unknown = read_settings(first[1], self.ctx)
        self.report.errors.extend(LineError(first[0], p) for p in problems)
        for key in dict.fromkeys(re.sub(r"\[\d+\]", "[]", k) for k in unknown):
            self.note_unknown(key, first[0])
        for number, text in lines:
            self.count += 1
            try:
                self.batch.append((number, read_case(text, self.ctx)))
            except LineProblems as exc:
                self.report.errors.extend(LineError(number, p) for p in exc.problems)
            if len(self.batch) >= BATCH:
                self.settle()
                if self.progress:
                    self.progress("正在导入", self.count, announced)
        self.settle()
        if self.progress:
            self.progress("正在导入", self.count, announced)
        if self.count != announced:
            self.report.errors.append(
                LineError(
                    first[0],
                    f"文件头声明有 {announced} 件案件，文件中实有 {self.count} "
                    "行案件记录（文件可能不完整）",
                )
            )
        self.finish()

    def settle(self) -> None:
        """Check the batch against the database and the lines before it; write it if the
        file has had no rejected line so far."""
        report, batch, self.batch = self.report, self.batch, []
        if not batch:
            return
        fresh = {}
        for number, record in batch:
            report.warnings.extend(f"第{number}行：{w}" for w in record.warnings)
            for key in dict.fromkeys(re.sub(r"\[\d+\]", "[]", k) for k in record.unknown_keys):
                self.note_unknown(key, number)
            case_number = record.draft.case_number
            if case_number in self.numbers:
                message = f"案号 {case_number} 与第{self.numbers[case_number]}行重复"
                report.errors.append(LineError(number, message))
            else:
                self.numbers[case_number] = fresh[case_number] = number
        for case_number, deleted in self.session.execute(
            select(Case.case_number, Case.deleted_at).where(Case.case_number.in_(list(fresh)))
        ):
            hint = "（该案件在回收站中）" if deleted else ""
            report.errors.append(LineError(fresh[case_number], f"案号 {case_number} 已存在{hint}"))
        self.fresh_ids(batch)
        for number, message in self.documents.check(self.session, batch):
            report.errors.append(LineError(number, message))
        known = self.known_subjects([record for _n, record in batch])
        written: list[Written] = []
        for number, record in batch:
            targets = self.resolve(number, record, known)
            if not report.errors:
                case_id = self.writer.add(record, targets)
                if record.follow_up:
                    written.append((number, case_id, record))
        if not report.errors:
            self.writer.flush(self.session)
            self.implied += add_implied_deadlines(
                self.uow, self.ctx.rule_context, written, report.warnings
            )

    def fresh_ids(self, batch: list[tuple[int, CaseRecord]]) -> None:
        """Measures, compliance cases and enforcement records keep the file's ids — unless the
        database (or an earlier line) already has a record with that id: it then gets a new one,
        with a note (references within the line follow the record)."""
        rows = [(n, kind, row) for n, record in batch for kind, row in record.record_rows()]
        if not rows:
            return
        taken: set[uuid.UUID] = set()
        for table in _ID_TABLES:
            ids = [row.id for _n, kind, row in rows if kind == table.__tablename__]
            for i in range(0, len(ids), BATCH):
                taken.update(self.session.scalars(
                    select(table.id).where(table.id.in_(ids[i : i + BATCH]))
                ))  # fmt: skip
        for number, kind, row in rows:
            if row.id in taken or row.id in self.measure_ids:
                self.report.warnings.append(
                    f"第{number}行：{_RECORD_NAMES[kind]}编号 {row.id.hex} 已被使用，已改用新编号"
                )
                row.id = uuid.uuid4()
            self.measure_ids.add(row.id)

    def known_subjects(self, records: list[CaseRecord]) -> dict[tuple[str, Any], Target]:
        """Enterprises and persons already in the database that these records name by id or
        identifier (and that this import has not met before)."""
        wanted: dict[str, dict[str, set]] = {
            kind: {"id": set(), "key": set()} for kind in _SUBJECTS
        }
        for record in records:
            for _role, s in record.parties:
                for how, value in (("id", s.file_id), ("key", s.key)):
                    if value and (s.kind, value) not in self.aliases:
                        wanted[s.kind][how].add(value)
        found: dict[tuple[str, Any], Target] = {}
        for kind, (model, key_column, _label) in _SUBJECTS.items():
            for how, column in (("id", model.id), ("key", key_column)):
                values = list(wanted[kind][how])
                for i in range(0, len(values), BATCH):
                    for sid, name, deleted_at, key in self.session.execute(
                        select(model.id, model.name, model.deleted_at, key_column).where(
                            column.in_(values[i : i + BATCH])
                        )
                    ):
                        target = Target(sid, name, False, key or "", deleted_at is not None)
                        found[(kind, sid if how == "id" else key)] = target
        return found

    def resolve(
        self, number: int, record: CaseRecord, known: dict[tuple[str, Any], Target]
    ) -> list[tuple[Target, bool]]:
        """The enterprise or person each party names — matched by id, then by credit code or
        ID number, else created — and whether it is created at this party."""
        targets: list[tuple[Target, bool]] = []
        seen: set[tuple[str, uuid.UUID]] = set()
        for i, (role, s) in enumerate(record.parties):
            target = None
            for alias in (s.file_id, s.key):
                if alias and target is None:
                    target = self.aliases.get((s.kind, alias)) or known.get((s.kind, alias))
            created = target is None
            if target is None:
                target = Target(s.file_id or uuid.uuid4(), s.draft.name, new=True, key=s.key)
            elif not target.new:
                self.matched[s.kind].add(target.id)
            # The file's id stands for this record from now on; so does an identifier, when it
            # is the record's own (a record matched by id keeps its identifier in the database).
            for alias in (s.file_id, s.key if s.key == target.key else None):
                if alias:
                    self.aliases.setdefault((s.kind, alias), target)
            label = _SUBJECTS[s.kind][2]
            if target.deleted:
                message = f"parties[{i}].{s.kind}：{label}“{target.name}”已被删除，不能作为当事人"
                self.report.errors.append(LineError(number, message))
            if (role, target.id) in seen:
                message = f"parties[{i}]：“{target.name}”已以“{role}”列入本案"
                self.report.errors.append(LineError(number, message))
            seen.add((role, target.id))
            targets.append((target, created))
        return targets

    def note_unknown(self, key: str, line: int) -> None:
        self.unknown.setdefault(key, [line, 0])[1] += 1

    def finish(self) -> None:
        report, writer = self.report, self.writer
        for key, (line, lines) in self.unknown.items():
            report.warnings.append(
                f"已忽略版本 {VERSION} 不认识的字段 {key}（第{line}行起，共 {lines} 行）"
            )
        if report.errors:
            return
        write_settings(self.uow, self.settings, self.documents.used, report.warnings)
        report.cases, report.parties, report.events = writer.cases, writer.parties, writer.events
        report.deadlines = writer.deadlines + self.implied
        report.measures = writer.measures.count
        report.compliance = writer.compliance.count
        report.enforcement = writer.enforcement.count
        report.suggestions = writer.suggestions.count
        report.enterprises_created = writer.created["enterprise"]
        report.persons_created = writer.created["person"]
        report.enterprises_matched = len(self.matched["enterprise"])
        report.persons_matched = len(self.matched["person"])
