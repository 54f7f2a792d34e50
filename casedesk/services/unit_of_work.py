"""One unit of work per user action: a session, its audit records, commit or roll back."""

from __future__ import annotations

import uuid
from types import TracebackType
from typing import Any, Self

from sqlalchemy.exc import IntegrityError, OperationalError
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
        # A flush inside the block (not only the commit) can hit the database's own checks,
        # e.g. a unique index when another desk saved the same 案号 first.
        if isinstance(exc, StaleDataError | IntegrityError | OperationalError):
            raise _translate(exc) from exc

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
        except (StaleDataError, IntegrityError, OperationalError) as exc:
            self.session.rollback()
            raise _translate(exc) from exc
        self._committed = True


def _translate(exc: StaleDataError | IntegrityError | OperationalError) -> ServiceError:
    """The user's message for a write the database refused."""
    if isinstance(exc, StaleDataError):
        return Conflict("该记录已被他人修改，请刷新后重新编辑")
    if isinstance(exc, OperationalError):
        text = str(exc.orig)
        if "locked" in text or "busy" in text:
            return ServiceError(
                "数据库正被另一程序写入，暂时无法保存，请稍后重试。未保存任何内容。"
            )
        if "readonly" in text or "read-only" in text:
            return ServiceError("数据库文件是只读的，无法保存。请检查文件权限。未保存任何内容。")
        if "disk" in text and "full" in text:
            return ServiceError("磁盘已满，无法保存。未保存任何内容。")
        return ServiceError(f"保存失败（{text}）。未保存任何内容。")
    return ServiceError(f"保存失败：数据与已有记录冲突（{exc.orig}）")
