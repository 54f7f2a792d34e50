"""The 合规考察 page's list: every compliance case by state, with what is expected next and the
nearest open clock (overdue in red); a double-click opens the case at its 合规考察 tab."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from casedesk.domain import compliance as cp
from casedesk.export.xlsx import DATE
from casedesk.services.compliance_dto import ComplianceRow
from casedesk.services.measure_dto import MeasureSettings
from casedesk.ui.measure_lists.lists import ListSpec
from casedesk.ui.measure_lists.table import ALERT, MUTED_LOOK, Field, Look

COMPLIANCE = "compliance"


def _overdue(r: ComplianceRow) -> bool:
    return r.next_due is not None and r.next_due < date.today()


def _look(r: ComplianceRow) -> Look | None:
    if r.state in cp.FINAL_STATES:
        return MUTED_LOOK
    return ALERT if _overdue(r) else None


def _summary(rows: Sequence[ComplianceRow], _settings: MeasureSettings) -> str:
    by_state = Counter(r.state for r in rows)
    running = sum(n for s, n in by_state.items() if s not in cp.FINAL_STATES)
    parts = "，".join(f"{s} {by_state[s]}" for s in cp.STATES if by_state[s])
    overdue = sum(_overdue(r) for r in rows if r.state not in cp.FINAL_STATES)
    return (
        f"合规考察 {len(rows)} 件，进行中 {running} 件，其中 <b>{overdue}</b> 件期限已届满"
        f"（{parts}）"
    )


FIELDS: tuple[Field[ComplianceRow], ...] = (
    Field("案号", lambda r: r.case_number, width=170),
    Field("涉案企业", lambda r: r.enterprise_name, width=220),
    Field("状态", lambda r: r.state, width=110),
    Field("启动日期", lambda r: r.started_on, DATE, 90),
    Field("考察期届满", lambda r: r.exam_end, DATE, 90),
    Field("下一步", lambda r: r.next_step, width=180),
    Field("最近期限", lambda r: r.next_due, DATE, 90, alert=_overdue,
          tip="考察期、定期报告、检察意见回复中最近的最后一日"),
    Field("承办人", lambda r: r.handler, width=90),
)  # fmt: skip

COMPLIANCE_LISTS: tuple[ListSpec, ...] = (
    ListSpec(
        COMPLIANCE, "合规考察", "件", FIELDS, lambda r: r.id, _look,
        lambda services, _as_of: services.compliance.rows(), _summary, "compliance",
        "双击打开案件的合规考察页",
    ),
)  # fmt: skip
