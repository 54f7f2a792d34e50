"""The 挂案 ledger: criminal cases involving an enterprise (or its managers) flagged when the
thresholds of the 2017 规定 第25条 (law.md §9) are passed, put under supervision (挂牌督办) and
closed off (销号). Flags are computed from the case's measures and stage; supervision records
are kept and audited.

Which rows the ledger holds:

- 待督办: a candidate case (store.stalled_list) that domain.stalled flags and that is not under
  supervision. A case closed off (销号) is not listed again for the same flag: only a flag that
  arose after the close-off (e.g. from a later measure's end) puts it back.
- 督办中: every open supervision, even when the case no longer meets the threshold (its current
  stage shows why it should be closed off).
- 已销号: every closed supervision, with the days stalled as of its close-off.

Supervision records are shown as they stood on the day asked about (``as_of``): one begun later
is not there yet, one closed off later is still 督办中.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from casedesk.domain import stalled as rules
from casedesk.domain.errors import FieldErrors
from casedesk.domain.periods import Period
from casedesk.domain.stalled import (
    CLOSED_OFF,
    PENDING,
    STALLED_STAGES,
    STATUSES,
    SUPERVISED,
    CloseOffDraft,
    MeasureSpan,
    StalledState,
    SupervisionDraft,
    check_close_off,
    check_supervision,
)
from casedesk.export.xlsx import Column, Table, write_xlsx
from casedesk.services.base import ANY_SCOPE, Service, guarded, parse_id
from casedesk.services.calendar_source import rules_from
from casedesk.services.cases import load_case
from casedesk.services.errors import NotFound, ServiceError
from casedesk.services.lists import read_scope
from casedesk.store import audit
from casedesk.store import stalled_list as store
from casedesk.store.models import StalledSupervision

__all__ = ["CloseOffDraft", "LedgerRow", "StalledService", "SupervisionDraft"]


@dataclass(frozen=True)
class LedgerRow:
    case_id: str
    case_number: str
    cause: str
    handler: str
    parties: str
    stage: str
    filed_on: date  # 立案日 (刑事立案 event, else the acceptance date)
    threshold: str  # rule id that fired (stalled.no_measure / stalled.after_measure), or ""
    threshold_label: str  # Chinese: 立案满二年未采取强制措施 …
    since: date | None  # the day the stalled period ran from (filing or measure end)
    flagged_from: date | None  # first day the case counts as stalled
    days_stalled: int  # days since ``since``
    status: str  # 待督办 / 督办中 / 已销号
    supervision_id: str
    supervising_unit: str
    responsible_unit: str
    supervision_due: date | None
    instructions: str
    closed_on: date | None
    outcome: str
    close_document: str


@dataclass(frozen=True)
class _Periods:
    no_measure: Period
    after_measure: Period
    criminal: bool

    @classmethod
    def of(cls, session: Session) -> _Periods:
        """The rules' periods from the rule table (an administrator's override applies)."""
        table = rules_from(session)
        no_measure, after = table[rules.NO_MEASURE], table[rules.AFTER_MEASURE]
        return cls(no_measure.period, after.period, no_measure.criminal)

    def cutoff(self, as_of: date) -> date:
        """No case can be flagged by ``as_of`` unless its period began on or before this day."""
        days = min(rules.shortest_days(self.no_measure), rules.shortest_days(self.after_measure))
        return as_of - timedelta(days=days)

    def evaluate(
        self, filed_on: date, measures: list[store.MeasureRow], as_of: date
    ) -> StalledState | None:
        return rules.evaluate(
            filed_on, _spans(measures), as_of, self.no_measure, self.after_measure, self.criminal
        )

    def label(self, threshold: str) -> str:
        period = {rules.NO_MEASURE: self.no_measure, rules.AFTER_MEASURE: self.after_measure}
        return rules.threshold_label(threshold, period.get(threshold))


def _spans(measures: list[store.MeasureRow]) -> list[MeasureSpan]:
    return [MeasureSpan(m.kind, m.decided_on, m.term_end, m.ended_on) for m in measures]


def _status(sup: store.SupervisionRow, as_of: date) -> str:
    """督办中 or 已销号 on ``as_of``; "" when the supervision had not begun."""
    if sup.started_on > as_of:
        return ""
    return CLOSED_OFF if sup.closed_on is not None and sup.closed_on <= as_of else SUPERVISED


def _settled(sups: list[tuple[store.SupervisionRow, str]], state: StalledState) -> bool:
    """Whether the case's flag is taken care of: under supervision, or closed off on or after
    the day it was flagged (a later flag, e.g. from a measure ended since, is not)."""
    return any(
        st == SUPERVISED or (x.closed_on is not None and x.closed_on >= state.flagged_from)
        for x, st in sups
    )


def _check_status(status: str) -> None:
    if status and status not in STATUSES:
        raise FieldErrors({"status": f"状态应为{'、'.join(STATUSES)}之一"})


class StalledService(Service):
    @guarded("case.read", via=ANY_SCOPE)
    def ledger(self, as_of: date | None = None, status: str = "") -> list[LedgerRow]:
        """Flagged, supervised and closed-off cases (``status`` filters: 待督办/督办中/已销号),
        most days stalled first."""
        _check_status(status)
        as_of = as_of or date.today()
        with self._read() as s:
            rows = self._rows(s, as_of, None, status)
        return sorted(rows, key=lambda r: (-r.days_stalled, r.case_number, r.status))

    @guarded("case.read")
    def flag_for_case(self, case_id: str, as_of: date | None = None) -> LedgerRow | None:
        """The case's ledger row if it is flagged, supervised or closed off: an open supervision
        first, then a flag waiting for supervision, then the latest close-off."""
        as_of = as_of or date.today()
        with self._read() as s:
            rows = self._rows(s, as_of, parse_id(case_id, "案件"), "")
        order = {SUPERVISED: 0, PENDING: 1, CLOSED_OFF: 2}
        rows.sort(key=lambda r: (order[r.status], -(r.closed_on or date.min).toordinal()))
        return rows[0] if rows else None

    def _rows(
        self, s: Session, as_of: date, case_id: uuid.UUID | None, status: str
    ) -> list[LedgerRow]:
        periods = _Periods.of(s)
        scope = read_scope(self.identity)  # the cases the user may read
        candidates = [] if status in (SUPERVISED, CLOSED_OFF) else (
            store.candidate_cases(s, periods.cutoff(as_of), case_id, scope)
        )  # fmt: skip
        # the supervision records as they stood on ``as_of``: those begun by then, closed off
        # only if closed off by then
        sups = [(x, st) for x in store.supervisions(s, case_id, scope) if (st := _status(x, as_of))]
        shown = [(x, st) for x, st in sups if not status or st == status]
        ids = {c.case_id for c in candidates} | {x.case_id for x, _st in shown}
        measures = store.counted_measures(s, ids)
        filings = store.filing_days(s, ids)

        rows: list[LedgerRow] = []
        by_case: dict[str, list[tuple[store.SupervisionRow, str]]] = {}
        for x, st in sups:
            by_case.setdefault(x.case_id, []).append((x, st))
        for c in candidates:
            filed = filings.get(c.case_id, c.accepted_on)
            state = periods.evaluate(filed, measures.get(c.case_id, []), as_of)
            if state is None or not state.flagged or _settled(by_case.get(c.case_id, []), state):
                continue
            rows.append(_row(c, filed, PENDING, state, None))
        for x, st in shown:
            filed = filings.get(x.case_id, x.accepted_on)
            # as of the close-off for a closed-off case; None: a measure is in force, the stall
            # stopped (the row keeps the threshold it was supervised for)
            on = x.closed_on if st == CLOSED_OFF and x.closed_on else as_of
            state = periods.evaluate(filed, measures.get(x.case_id, []), on)
            case = store.CaseRow(x.case_id, x.case_number, x.cause, x.handler, x.parties,
                                 x.stage, x.accepted_on)  # fmt: skip
            rows.append(_row(case, filed, st, state, x, periods.label(x.threshold)))
        return rows

    # -- supervision ------------------------------------------------------------------------------
    @guarded("stalled.supervise")
    def supervise(self, case_id: str, draft: SupervisionDraft) -> str:
        """挂牌督办 a flagged case. Returns the supervision id."""
        today = date.today()
        d = check_supervision(draft, today)
        with self._uow() as uow:
            s = uow.session
            case = load_case(s, case_id)
            if store.open_supervision_id(s, case.id):
                raise ServiceError("该案已在挂牌督办中，请先销号")
            state = self._current_flag(s, case.id, today)
            row = StalledSupervision(
                id=uuid.uuid4(),
                case_id=case.id,
                threshold=state.threshold,
                supervising_unit=d.supervising_unit,
                responsible_unit=d.responsible_unit,
                started_on=d.started_on,
                due_on=d.due_on,
                instructions=d.instructions,
                created_at=audit.utcnow(),
                updated_at=audit.utcnow(),
                created_by=self.actor,
            )
            s.add(row)
            s.flush()
            uow.audit("create", "stalled_supervision", row.id, f"挂牌督办 {case.case_number}",
                      {"threshold": (None, state.label),
                       "supervising_unit": (None, d.supervising_unit),
                       "responsible_unit": (None, d.responsible_unit),
                       "started_on": (None, d.started_on), "due_on": (None, d.due_on),
                       "instructions": (None, d.instructions or None)}, case.id)  # fmt: skip
            uow.commit()
            return row.id.hex

    def _current_flag(self, s: Session, case_id: uuid.UUID, today: date) -> StalledState:
        """The case's flag today, or ServiceError saying why it is not a 挂案."""
        facts = store.case_facts(s, case_id)
        if facts is None:
            raise NotFound("找不到该案件，可能已被删除")
        if facts.family != store.FAMILY:
            raise ServiceError("只有刑事案件可以列为挂案")
        if facts.closed:
            raise ServiceError("案件已结案，不属于挂案")
        if facts.stage not in STALLED_STAGES:
            raise ServiceError(f"案件已进入“{facts.stage}”阶段（已移送审查起诉、不起诉或撤案），"
                               "不属于挂案")  # fmt: skip
        if not facts.enterprise_involved:
            raise ServiceError("案件不涉及企业（没有企业当事人，也未标记“涉企”），不列入挂案台账")
        periods = _Periods.of(s)
        key = case_id.hex
        filed = store.filing_days(s, [key]).get(key, facts.accepted_on)
        measures = store.counted_measures(s, [key]).get(key, [])
        state = periods.evaluate(filed, measures, today)
        if state is None:
            kinds = dict.fromkeys(m.kind for m in rules.in_force(_spans(measures), today))
            raise ServiceError(f"案件有正在执行的强制措施（{'、'.join(kinds)}），不属于挂案")
        if not state.flagged:
            raise ServiceError(f"尚未达到挂案标准（{state.label}）：自 {state.flagged_from} "
                               "起方列为挂案")  # fmt: skip
        return state

    @guarded("stalled.close_off", via=StalledSupervision)
    def close_off(self, supervision_id: str, draft: CloseOffDraft) -> None:
        """销号: how it ended, the date and the supporting document."""
        with self._uow() as uow:
            s = uow.session
            row = s.get(StalledSupervision, parse_id(supervision_id, "督办记录"))
            if row is None:
                raise NotFound("找不到该督办记录")
            case = load_case(s, row.case_id)
            if row.closed_on is not None:
                raise ServiceError(f"该督办已于 {row.closed_on} 销号")
            d = check_close_off(draft, row.started_on, date.today())
            changes = {
                "closed_on": (None, d.closed_on),
                "outcome": (None, d.outcome),
                "close_document": (None, d.document),
                "close_note": (None, d.note or None),
            }
            row.closed_on, row.outcome = d.closed_on, d.outcome
            row.close_document, row.close_note = d.document, d.note
            row.updated_at = audit.utcnow()
            uow.audit("update", "stalled_supervision", row.id, f"销号 {case.case_number}",
                      {k: v for k, v in changes.items() if v[1] is not None},
                      case.id)  # fmt: skip
            uow.commit()

    # -- export -----------------------------------------------------------------------------------
    @guarded("list.export", via=False)
    def export_xlsx(self, path: Path, as_of: date | None = None, status: str = "") -> int:
        """Write the ledger to an .xlsx file; returns the number of rows. Raises
        export.output.ExportError (a Chinese message) when the file cannot be written."""
        as_of = as_of or date.today()
        rows = self.ledger(as_of, status)
        title = f"挂案台账{'（' + status + '）' if status else ''}"
        table = Table(
            title=title,
            subtitle=f"截至 {as_of.isoformat()}，共 {len(rows)} 件",
            sheet_name=status or "挂案台账",
            columns=LEDGER_COLUMNS,
            rows=[_cells(r) for r in rows],
        )
        write_xlsx(Path(path), table)
        return len(rows)


LEDGER_COLUMNS = (
    Column("案号"), Column("案由"), Column("承办人"), Column("当事人", max_width=40),
    Column("阶段"), Column("立案日", "date"), Column("挂案情形", max_width=40),
    Column("起算日", "date"), Column("挂案天数", "int"), Column("状态"), Column("督办单位"),
    Column("责任单位"), Column("督办期限", "date"), Column("督办要求", max_width=40),
    Column("销号日期", "date"), Column("办结方式"), Column("证明文书"),
)  # fmt: skip


def _cells(r: LedgerRow) -> tuple:
    return (r.case_number, r.cause, r.handler, r.parties, r.stage, r.filed_on,
            r.threshold_label, r.since, r.days_stalled, r.status, r.supervising_unit,
            r.responsible_unit, r.supervision_due, r.instructions, r.closed_on, r.outcome,
            r.close_document)  # fmt: skip


def _row(
    c: store.CaseRow,
    filed: date,
    status: str,
    state: StalledState | None,
    sup: store.SupervisionRow | None,
    stored_label: str = "",
) -> LedgerRow:
    """A ledger row; without ``state`` (a measure in force) the supervision's threshold."""
    return LedgerRow(
        case_id=uuid.UUID(c.case_id).hex,
        case_number=c.case_number,
        cause=c.cause,
        handler=c.handler,
        parties=c.parties,
        stage=c.stage,
        filed_on=filed,
        threshold=state.threshold if state else sup.threshold if sup else "",
        threshold_label=state.label if state else stored_label,
        since=state.since if state else None,
        flagged_from=state.flagged_from if state else None,
        days_stalled=state.days if state else 0,
        status=status,
        supervision_id=uuid.UUID(sup.id).hex if sup else "",
        supervising_unit=sup.supervising_unit if sup else "",
        responsible_unit=sup.responsible_unit if sup else "",
        supervision_due=sup.due_on if sup else None,
        instructions=sup.instructions if sup else "",
        closed_on=sup.closed_on if sup else None,
        outcome=sup.outcome if sup else "",
        close_document=sup.close_document if sup else "",
    )
