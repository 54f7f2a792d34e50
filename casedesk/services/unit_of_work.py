"""One unit of work per user action: a session, its audit records, commit or roll back."""

from __future__ import annotations

import uuid
from types import TracebackType
from typing import Any, Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from casedesk.services.errors import Conflict, ServiceError
from casedesk.store.audit import add_audit
from casedesk.store.database import Database


class UnitOfWork:
    """``with UnitOfWork(db, actor) as uow: …; uow.commit()`` — anything not committed rolls back,
    the change and its audit records together."""

    def __init__(self, db: Database, actor: str):
        self._db = db
        self.actor = actor
        self._committed = False

    def __enter__(self) -> Self:
        self.session: Session = self._db.session()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._committed:
            self.session.rollback()
        self.session.close()

    def audit(
        self,
        action: str,
        entity_type: str,
        entity_id: uuid.UUID | str,
        label: str = "",
        changes: dict[str, tuple[Any, Any]] | None = None,
        case_id: uuid.UUID | None = None,
    ) -> None:
        add_audit(
            self.session,
            actor=self.actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            label=label,
            changes=changes,
            case_id=case_id,
        )

    def commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError as exc:
            self.session.rollback()
            raise Conflict("该记录已被他人修改，请刷新后重新编辑") from exc
        except IntegrityError as exc:
            self.session.rollback()
            raise ServiceError(f"保存失败：数据与已有记录冲突（{exc.orig}）") from exc
        self._committed = True
