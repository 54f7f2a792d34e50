"""Which cases a list shows to its reader: the ``case.read`` scope of the permission table
(:mod:`casedesk.domain.roles`) as SQL.

A :class:`CaseScope` is every case (院领导, the system), the cases of one unit (庭/部门: 承办人,
书记员, 部门负责人), the cases some names handle (the ``OWN`` scope), or none (管理员). The
services make it from the signed-in user (``casedesk.services.lists.read_scope``); the list
queries of ``store/`` take it and keep only the rows of the cases it lets the reader see.

A case's unit is ``case_file.unit``. A case registered before units were recorded (unit "")
belongs to the unit of its handler's account, as :func:`casedesk.services.base.case_target`
decides for one case: the lists follow the same rule, so a list never shows a case that opening
it would refuse, nor hides one that opening it would allow.

Two forms of the same condition, for the two shapes of list query:

* :func:`within` — ``+case_id IN (the visible live cases)``: the set is read once, in order,
  from the partial index ``ix_case_unit`` (unit, list_key) or ``ix_case_unit_id`` (unit, id) —
  built from sorted keys it costs a third of what the same keys in another order would — and
  each row of a list driven by another index (the case list's sort index, the board's open
  deadlines) is probed in it. The unary ``+`` (SQLite) keeps SQLite from turning the plan round
  — looking up each visible case by key and sorting them all in a temporary B-tree, slower by
  half on 150,000 cases — so a scoped list walks the same index as the whole list and costs no
  more than it. The cases of no unit come from the handler index (``ix_case_list_handler``);
* :func:`case_in_scope` — conditions on a case row the query has already joined (the lists
  driven by their records: measures, supervisions, compliance cases, enforcement records …).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, union, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from casedesk.store.account_models import UserAccount
from casedesk.store.models import Case


@dataclass(frozen=True)
class CaseScope:
    """The cases a reader may see. ``unit``: only that unit's; ``handlers``: only the cases
    handled under one of these names (display name, login); ``nothing``: none. All unset: every
    case."""

    unit: str | None = None
    handlers: tuple[str, ...] | None = None
    nothing: bool = False

    @property
    def everything(self) -> bool:
        return not self.nothing and self.unit is None and self.handlers is None


EVERYTHING = CaseScope()
NOTHING = CaseScope(nothing=True)


def unit_scope(unit: str) -> CaseScope:
    """The cases of ``unit``; a reader without a unit sees none (roles.py refuses them every
    case of a unit: "您的账号未登记所属部门")."""
    return CaseScope(unit=unit) if unit else NOTHING


def own_scope(*names: str) -> CaseScope:
    """The cases handled under one of ``names`` (the user's display name and login)."""
    kept = tuple(dict.fromkeys(n for n in names if n))
    return CaseScope(handlers=kept) if kept else NOTHING


class unindexed(FunctionElement):
    """The column's value, which SQLite may not look up through an index (``+column``)."""

    inherit_cache = True
    name = "unindexed"

    def __init__(self, column: ColumnElement):
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _plain_column(element: unindexed, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unary_plus(element: unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.clauses, **kw)


def _unit_handlers(unit: str) -> Select:
    """The names under which the accounts of ``unit`` handle cases (display name or login)."""
    a = UserAccount
    return union(
        select(a.display_name).where(a.unit == unit), select(a.login).where(a.unit == unit)
    )


def case_in_scope(scope: CaseScope, case: type[Case] | object = Case) -> list[ColumnElement[bool]]:
    """Conditions on a case row (``case``: the model or an alias the query joined) that keep the
    cases of ``scope``; [] for every case."""
    c = case
    if scope.nothing:
        return [false()]
    if scope.handlers is not None:
        return [c.handler.in_(scope.handlers)]  # type: ignore[attr-defined]
    if scope.unit is not None:
        unit = scope.unit
        return [
            or_(
                c.unit == unit,  # type: ignore[attr-defined]
                and_(c.unit == "", c.handler.in_(_unit_handlers(unit))),  # type: ignore[attr-defined]
            )
        ]
    return []


def visible_cases(scope: CaseScope, key: str = "id") -> Select | None:
    """The ``key`` (``id`` or ``list_key``) of the live cases of ``scope`` — the unit's from
    its index, in order; those of no unit by their handlers — or None for every case (no
    condition to add)."""
    if scope.everything:
        return None
    c = aliased(Case, name="visible_case")
    column = c.list_key if key == "list_key" else c.id
    live = c.deleted_at.is_(None)
    if scope.nothing:
        return select(column).where(false())
    if scope.handlers is not None:
        return select(column).where(live, c.handler.in_(scope.handlers))
    unit = scope.unit
    return union_all(
        select(column).where(live, c.unit == unit),
        select(column).where(
            live, c.handler.in_(_unit_handlers(unit or "")), unindexed(c.unit) == ""
        ),
    )


def within(scope: CaseScope, column: ColumnElement, key: str = "id") -> list[ColumnElement[bool]]:
    """``+column IN (visible cases)`` — ``column`` holding a case's ``key`` (``id`` or
    ``list_key``), probed row by row, never the driver of the query — or [] for every case."""
    cases = visible_cases(scope, key)
    return [] if cases is None else [unindexed(column).in_(cases)]
