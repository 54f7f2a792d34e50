"""Recomputing the open deadlines an administrator's change touches, inside the change's own
unit of work (holiday data, the ethnic-holiday switch, an edited rule): the change and the new
last days commit together or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from casedesk.domain.periods import PeriodError
from casedesk.services.deadline_sync import load_context, recompute
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store.models import Deadline, deadline_is_open


@dataclass(frozen=True)
class Recomputed:
    """What an administrator's change did to the open deadlines."""

    checked: int  # open deadlines recomputed
    moved: int  # … whose last day changed
    verified: int  # … that were unverified and now are verified
    unverified: int  # … that were verified and now are not
    note: str = ""  # a remark on the change itself (e.g. a year that looks incomplete)
    skipped: bool = False  # nothing was recomputed (no change, or one that cannot matter)

    @property
    def message(self) -> str:
        """The sentence the dialog shows after the change."""
        if self.skipped:
            return self.note or "已保存。"
        text = f"已重新计算，{self.moved} 个期限的届满日有变化"
        if self.verified:
            text += f"；{self.verified} 个期限的计算结果已核实"
        if self.unverified:
            text += f"；{self.unverified} 个期限的计算结果变为未核实"
        text += "。"
        return f"{text}{self.note}" if self.note else text


class RecomputeError(PeriodError):
    """A deadline cannot be computed with the changed data (the change is refused)."""


def recompute_open(uow: UnitOfWork, why: str, *where: Any, note: str = "") -> Recomputed:
    """Flush the change, then recompute the open deadlines matching ``where`` (all when empty)
    with the calendar and rules as they now stand; moved last days are audited with ``why``."""
    uow.session.flush()
    ctx = load_context(uow)
    rows = uow.session.scalars(select(Deadline).where(deadline_is_open(), *where)).all()
    moved = verified = unverified = 0
    for row in rows:
        was_verified = row.warnings in ("", "[]")
        try:
            moved += recompute(uow, ctx, row, why)
        except PeriodError as exc:
            raise RecomputeError(f"已有期限按修改后的数据无法计算：{exc}") from exc
        now_verified = row.warnings == "[]"
        verified += now_verified and not was_verified
        unverified += was_verified and not now_verified
    return Recomputed(len(rows), moved, verified, unverified, note)
