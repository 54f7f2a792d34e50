"""The audit trail beyond entity changes: events (exports, prints, sign-ins) and the chain checks
the app runs at start and an administrator runs on demand (docs/audit.md)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from casedesk.services.base import Service, parse_id
from casedesk.services.errors import FieldErrors
from casedesk.services.labels import ACTION_LABELS
from casedesk.store import audit_chain

#: Events recorded with :meth:`AuditService.record_event` → their Chinese name. The key is
#: stored as the record's action (at most 10 characters).
EVENT_KINDS = {
    kind: ACTION_LABELS[kind]
    for kind in ("export", "print", "login", "logout", "login_fail", "lockout", "unlock")
}
#: The entity type of event records.
EVENT = "event"


@dataclass(frozen=True)
class AuditCheck:
    """The result of a chain check, for the UI: ``ok``, or ``message`` says what broke where."""

    ok: bool
    message: str  # Chinese, two or three lines
    checked: int
    seconds: float
    record_id: int | None = None  # the first broken record, when one is at fault
    kind: str = ""  # what happened to it: a key of casedesk.store.audit_chain.KINDS
    kind_name: str = ""


class AuditService(Service):
    def record_event(
        self,
        kind: str,
        label: str,
        details: Mapping[str, Any] | None = None,
        *,
        case_id: uuid.UUID | str | None = None,
        subject: str = "",
        actor: str | None = None,
    ) -> None:
        """Audit an event that changes no record, in its own transaction: an export (details:
        the file's path, what was exported, how many rows), a print (copies), a sign-in, a
        failed one (``actor`` the login tried), a lockout. ``subject`` names what the event is
        about (an account, a document id), ``case_id`` the case it belongs to, if any."""
        if kind not in EVENT_KINDS:
            raise FieldErrors({"kind": f"未知的审计事件类型“{kind}”"})
        values = dict(details or {})
        with self._uow() as uow:
            if actor is not None:
                uow.actor = actor
            uow.audit(
                kind,
                EVENT,
                subject[:40],
                label or EVENT_KINDS[kind],
                {k: (None, v) for k, v in values.items()},
                parse_id(case_id, "案件") if case_id is not None else None,
            )
            uow.commit()

    def quick_check(self) -> AuditCheck:
        """The last records of the chain and its head (a few milliseconds): run at start, warn
        with ``message`` when not ``ok``."""
        with self._raw() as conn:
            return _check(audit_chain.quick_check(conn))

    def verify(self, progress: Callable[[int], None] | None = None) -> AuditCheck:
        """The whole chain (about a second per 100,000 records); ``progress(records checked)``."""
        with self._raw() as conn:
            return _check(audit_chain.verify_chain(conn, progress))

    @contextmanager
    def _raw(self) -> Iterator[Any]:
        with self.db.engine.connect() as conn:
            yield conn.connection.driver_connection


def _check(report: audit_chain.ChainReport) -> AuditCheck:
    b = report.broken
    return AuditCheck(
        report.ok,
        report.summary(),
        report.checked,
        report.seconds,
        b.record_id if b else None,
        b.kind if b else "",
        b.kind_name if b else "",
    )
