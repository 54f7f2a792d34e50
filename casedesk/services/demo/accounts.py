"""Demo accounts beside the demo cases, so each role can be tried: per unit (庭/局) its busiest
handler as 部门负责人 and 承办人, the next two as 承办人, and a 书记员; one 院领导 for the court.
Logins are ASCII (tz01 庭长, fg01 法官, sjy01 书记员, yuanzhang 院长); every demo account has the
same published password and need not change it at the first sign-in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from casedesk.domain import roles
from casedesk.services.accounts import AccountService, UserDraft
from casedesk.store.database import Database
from casedesk.store.models import Case

DEMO_PASSWORD = "Demo#2026"
HANDLERS_PER_UNIT = 3


@dataclass(frozen=True)
class DemoAccount:
    login: str
    display_name: str
    unit: str
    role_text: str


def _handlers_by_unit(db: Database) -> dict[str, list[str]]:
    """Each unit's handlers, the busiest first."""
    with db.session() as s:
        rows = s.execute(
            select(Case.unit, Case.handler, func.count())
            .where(Case.unit != "", Case.handler != "")
            .group_by(Case.unit, Case.handler)
            .order_by(Case.unit, func.count().desc(), Case.handler)
        ).all()
    out: dict[str, list[str]] = {}
    for unit, handler, _count in rows:
        out.setdefault(unit, []).append(handler)
    return out


def create_demo_accounts(db: Database, accounts: AccountService) -> list[DemoAccount]:
    """Create the demo accounts (the acting user must be allowed to manage users)."""
    made: list[DemoAccount] = []
    counters = {"tz": 0, "fg": 0, "sjy": 0}

    def add(prefix: str, name: str, unit: str, codes: set[str]) -> None:
        if prefix == "yz":
            login = "yuanzhang"
        else:
            counters[prefix] += 1
            login = f"{prefix}{counters[prefix]:02d}"
        user = accounts.create_user(
            UserDraft(login, name, unit, frozenset(codes)), DEMO_PASSWORD, must_change=False
        )
        made.append(DemoAccount(user.login, user.display_name, user.unit, user.role_text))

    for unit, handlers in _handlers_by_unit(db).items():
        for i, handler in enumerate(handlers[:HANDLERS_PER_UNIT]):
            if i == 0:
                add("tz", handler, unit, {roles.HEAD, roles.HANDLER})
            else:
                add("fg", handler, unit, {roles.HANDLER})
        add("sjy", f"{unit}书记员", unit, {roles.CLERK})
    add("yz", "院长（演示）", "院领导", {roles.LEADER})
    return made
