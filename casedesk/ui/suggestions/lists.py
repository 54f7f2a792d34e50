"""The 建议书 page's list: the ledger (台账) of every suggestion document with its state — 草稿,
已定稿, 已送达, 逾期未回复 (in red), 已回复 — exportable to .xlsx; a double-click opens the case
at its 建议书 tab."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from casedesk.export.xlsx import DATE, INT
from casedesk.services.measure_dto import MeasureSettings
from casedesk.services.suggestions_dto import DRAFT, LEDGER_STATES, OVERDUE, REPLIED, LedgerRow
from casedesk.ui.measure_lists.lists import ListSpec
from casedesk.ui.measure_lists.table import ALERT, MUTED_LOOK, Field, Look

SUGGESTIONS = "suggestions"


def _look(r: LedgerRow) -> Look | None:
    if r.state == OVERDUE:
        return ALERT
    return MUTED_LOOK if r.state == DRAFT else None


def _summary(rows: Sequence[LedgerRow], _settings: MeasureSettings) -> str:
    by_state = Counter(r.state for r in rows)
    issued = sum(1 for r in rows if r.state != DRAFT)
    adopted = sum(1 for r in rows if r.adoption == "采纳")
    parts = "，".join(f"{s} {by_state[s]}" for s in LEDGER_STATES if by_state[s])
    return (
        f"建议书 {len(rows)} 件，已发出 {issued} 件，已回复 {by_state[REPLIED]} 件"
        f"（采纳 {adopted} 件），<b>{by_state[OVERDUE]}</b> 件逾期未回复"
        + (f"（{parts}）" if parts else "")
    )


FIELDS: tuple[Field[LedgerRow], ...] = (
    Field("种类", lambda r: r.kind + (f"·{r.subtype}" if r.subtype else ""), width=170),
    Field("编号", lambda r: r.number or None, width=170, blank="草稿"),
    Field("发文单位", lambda r: r.issuer, width=190),
    Field("主送单位", lambda r: r.recipient, width=200),
    Field("案号", lambda r: r.case_number, width=170),
    Field("状态", lambda r: r.state, width=80, alert=lambda r: r.state == OVERDUE),
    Field("成文日期", lambda r: r.signed_on, DATE, 90),
    Field("送达日期", lambda r: r.served_on, DATE, 90),
    Field("回复期限", lambda r: r.reply_due_on, DATE, 90, alert=lambda r: r.state == OVERDUE,
          tip="送达之日起两个月内书面回复（suggestion.reply）"),
    Field("回复日期", lambda r: r.replied_on, DATE, 90,
          alert=lambda r: r.replied_late, tip="逾期回复的以红色显示"),
    Field("采纳情况", lambda r: r.adoption, width=80),
    Field("催办", lambda r: r.reminders or None, INT, 50),
    Field("回访", lambda r: r.revisits or None, INT, 50),
)  # fmt: skip

SUGGESTION_LISTS: tuple[ListSpec, ...] = (
    ListSpec(
        SUGGESTIONS, "建议书台账", "件", FIELDS, lambda r: r.id, _look,
        lambda services, as_of: services.suggestions.ledger(as_of=as_of), _summary,
        "suggestions", "双击打开案件的建议书页",
    ),
)  # fmt: skip
