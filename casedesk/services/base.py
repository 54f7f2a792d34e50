"""What every service shares: the database, the acting user, id parsing, field diffs."""

from __future__ import annotations

import functools
import inspect
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from casedesk.domain import roles
from casedesk.domain.code_tables import TypeCode
from casedesk.domain.identifiers.result import has_surrogate
from casedesk.services.errors import NotFound
from casedesk.services.identity import Identity
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store.account_models import UserAccount
from casedesk.store.database import Database
from casedesk.store.models import Case, CaseTypeCode, CourtCode

F = TypeVar("F", bound=Callable[..., Any])


class Service:
    """Base of the services: each public method is one unit of work done as the acting user
    (``actor``: a name for the system, or the shared :class:`Identity` of the signed-in user),
    after the permission table allowed it (``_require``)."""

    def __init__(self, db: Database, actor: str | Identity):
        self.db = db
        self.identity = actor if isinstance(actor, Identity) else Identity(actor)

    @property
    def actor(self) -> str:
        """The name audit records and ``created_by`` columns carry."""
        return self.identity.name

    def _require(self, action: str, session: Session | None = None, case: Any = None) -> None:
        """Refuse (``NotPermitted``, with the reason in Chinese) unless the acting user may do
        ``action`` — on ``case`` (a case row or id) when the action concerns one."""
        if self.identity.user is None:
            return
        target = None
        if case is not None:
            if session is None:
                with self._read() as s:
                    target = case_target(s, case)
            else:
                target = case_target(session, case)
        self.identity.require(action, target)

    def _require_some_scope(self, action: str) -> None:
        """For a list over many cases: refuse only a user who may not do ``action`` at all."""
        if not self.identity.may(action):
            self.identity.require(action)  # refused, with the table's reason

    def _uow(self) -> UnitOfWork:
        return UnitOfWork(self.db, self.actor)

    def _read(self) -> Session:
        return self.db.session()


class _Via:
    """A way ``guarded`` finds what an action concerns, other than a case or a record id."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: A list over many cases (a ledger, a board): allowed to whoever holds the action in some
#: scope; which rows a unit-bound user sees is the list's business, not the gate's.
ANY_SCOPE = _Via("ANY_SCOPE")
#: The method checks the table itself (``_require``), because what it needs is known only
#: inside (e.g. which fields an edit changes); the decorator only records the action.
IN_BODY = _Via("IN_BODY")

#: What ``via`` may be: None (a case id), a model with ``case_id``, False (no case), a marker
#: above, or a resolver ``(service, session, argument) -> Case | id | roles.Target``.
Via = type | bool | None | _Via | Callable[..., Any]


def guarded(action: str, via: Via = None, arg: str = "") -> Callable[[F], F]:
    """Check the permission table before the method runs (``NotPermitted`` with the reason).

    The case the action concerns is found from the method's first argument (or the argument
    named ``arg``): a case id when ``via`` is None, else the id of a ``via`` row (a measure, a
    suggestion, a deadline …) whose ``case_id`` names the case, or what a resolver function
    makes of the argument. ``via=False``: the action concerns no case; ``ANY_SCOPE`` and
    ``IN_BODY``: see there. The action is kept on the method (``__action__``, and ``__via__``)
    so a test can hold the wiring to the table."""

    def wrap(method: F) -> F:
        names = list(inspect.signature(method).parameters)[1:]
        position = names.index(arg) if arg else 0

        @functools.wraps(method)
        def checked(self: Service, *args: Any, **kwargs: Any) -> Any:
            if self.identity.user is not None and via is not IN_BODY:
                if via is ANY_SCOPE:
                    self._require_some_scope(action)
                elif via is False:
                    self.identity.require(action)
                else:
                    key = args[position] if len(args) > position else kwargs[names[position]]
                    with self._read() as s:
                        if via is None:
                            case = key
                        elif isinstance(via, type):
                            case = _case_of(s, via, key)
                        else:
                            case = via(self, s, key)  # type: ignore[operator]
                        if not isinstance(case, roles.Target):
                            case = case_target(s, case)
                    self.identity.require(action, case)
            return method(self, *args, **kwargs)

        checked.__action__ = action  # type: ignore[attr-defined]
        checked.__via__ = via  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return wrap


def _case_of(session: Session, model: Any, key: Any) -> Any:
    row = session.get(model, parse_id(key))
    if row is None:
        raise NotFound("找不到该记录")
    return row.case_id


def parse_id(value: str | uuid.UUID, what: str = "记录") -> uuid.UUID:
    """An id from its text form; an unreadable id is reported as not found."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        printable = isinstance(value, str) and len(value) <= 40 and not has_surrogate(value)
        if not (printable and value.isprintable()):  # type: ignore[union-attr]
            raise NotFound(f"找不到该{what}（编号无效）") from exc  # not echoed
        raise NotFound(f"找不到该{what}（编号“{value}”无效）") from exc


def diff(obj: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Fields whose new value differs from the object's current one: {field: (old, new)}."""
    return {k: (getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v}


def apply(obj: Any, changes: dict[str, tuple[Any, Any]]) -> None:
    for key, (_old, new) in changes.items():
        setattr(obj, key, new)


def type_codes(session: Session) -> dict[str, TypeCode]:
    """The editable case-type-code table as the domain validators take it."""
    return {
        r.code: TypeCode(r.code, r.family, r.name, r.confidence)
        for r in session.scalars(select(CaseTypeCode))
    }


def court_codes(session: Session) -> dict[str, str]:
    """Court code → court name from the editable table."""
    return {c: n for c, n in session.execute(select(CourtCode.code, CourtCode.name))}


def handler_account(session: Session, name: str) -> tuple[str, str] | None:
    """The (login, unit) of the account a case's handler names — by display name or login —
    or None when no account carries that name."""
    handler = (name or "").strip()
    if not handler:
        return None
    row = session.execute(
        select(UserAccount.login, UserAccount.unit).where(
            (UserAccount.display_name == handler) | (UserAccount.login == handler.casefold())
        )
    ).first()
    return (row.login, row.unit) if row else None


def case_target(session: Session, case: Any) -> roles.Target:
    """What the permission table needs to know of a case: its 案号, its handler's login and its
    unit (庭/部门) — ``case.unit``, set when the case is registered or assigned (the unit of its
    judge's account). A case of no unit (registered before units were recorded, or by the
    system for a handler without an account) belongs to the unit of its handler's account, if
    any; the lists follow the same rule (casedesk.store.case_scope). A handler written as a name
    that no account carries has no login."""
    if not isinstance(case, Case):
        found = session.get(Case, parse_id(case, "案件"))
        if found is None:
            raise NotFound("找不到该案件")
        case = found
    login, account_unit = handler_account(session, case.handler) or ("", "")
    return roles.Target(unit=case.unit or account_unit, handler_login=login, label=case.case_number)
