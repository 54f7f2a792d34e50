"""Reading the 挂案 supervision records of a case line (docs/interchange.md §3.7): 挂牌督办 and
its 销号, checked as the ledger's forms check them (``casedesk.domain.stalled``); a case has at
most one supervision not closed off."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from casedesk.domain.drafts import LIMITS
from casedesk.domain.stalled import (
    AFTER_MEASURE,
    NO_MEASURE,
    OUTCOMES,
    CloseOffDraft,
    SupervisionDraft,
    check_close_off,
    check_supervision,
)
from casedesk.services.interchange.measure_format import Row

if TYPE_CHECKING:
    from casedesk.services.interchange.read_measures import MeasureReader

_TEXTS = {
    "supervising_unit": ("督办单位", LIMITS["short"]),
    "responsible_unit": ("责任单位", LIMITS["short"]),
    "instructions": ("督办要求", LIMITS["notes"]),
    "close_document": ("证明文书", 200),
    "close_note": ("备注", LIMITS["notes"]),
}


#: Close-off draft fields named otherwise in the file.
_KEYS = {"document": "close_document", "note": "close_note"}


def read_supervisions(m: MeasureReader) -> list[Row]:
    """The checked ``supervisions`` of the case object ``m`` reads (problems go to its reader)."""
    r, out, open_at = m.r, [], ""
    for i, obj in r.entries(m.obj, "", "supervisions"):
        path, before = f"supervisions[{i}]", len(r.problems)
        r.known(obj, path, "supervision")
        file_id = m.record_id(obj, path)
        threshold = r.choice(obj, path, "threshold", "挂案情形", (NO_MEASURE, AFTER_MEASURE))
        t = m.texts(obj, path, _TEXTS)
        started_on = r.date(obj, path, "started_on", required=True)
        due_on = r.date(obj, path, "due_on", required=True)
        closed_on = r.date(obj, path, "closed_on")
        outcome = r.choice(obj, path, "outcome", "办结方式", OUTCOMES)
        draft = SupervisionDraft(
            t["supervising_unit"], t["responsible_unit"], started_on, due_on, t["instructions"]
        )
        m.checked(path, check_supervision, draft, m.today)
        if closed_on is not None or outcome or t["close_document"]:
            close = CloseOffDraft(closed_on, outcome, t["close_document"], t["close_note"])
            m.checked(path, check_close_off, close, started_on or date.min, m.today, keys=_KEYS)
        elif open_at:
            r.problem(path, f"同一案件只能有一项未销号的督办（{open_at} 尚未销号）")
        else:
            open_at = path
        stamps = m.stamps(obj, path)
        if len(r.problems) == before:
            values = {"threshold": threshold, **t, "started_on": started_on, "due_on": due_on,
                      "closed_on": closed_on, "outcome": outcome, **stamps}  # fmt: skip
            out.append(Row(file_id, values))
    return out
