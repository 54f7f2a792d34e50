"""Case use cases: register, edit, delete and restore a case; read it and its history."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casedesk.domain import roles
from casedesk.domain.deadline_rules import TRIGGERS
from casedesk.domain.drafts import CaseDraft, check_case
from casedesk.domain.errors import FieldErrors
from casedesk.domain.vocabulary import CLOSED_STAGES, stages_for
from casedesk.services.base import (
    IN_BODY,
    Service,
    apply,
    case_target,
    court_codes,
    diff,
    guarded,
    handler_account,
    parse_id,
    type_codes,
)
from casedesk.services.deadline_sync import sync_case_deadlines
from casedesk.services.dto import CaseDetail, EventView, HistoryEntry, PartyView, SaveResult
from casedesk.services.errors import Conflict, NotFound, ServiceError
from casedesk.services.labels import ENTITY_LABELS, FIELD_LABELS
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.models import Case, CaseEvent, CaseParty, Tag
from casedesk.store.search import next_list_key, reindex_cases

ACCEPTANCE_NOTE = "收案"
#: Case fields a draft sets directly (tags and stage are handled apart).
_DRAFT_FIELDS = (
    "case_number", "family", "procedure", "cause", "handler", "accepted_on", "closed_on",
    "amount_fen", "costs_fen", "notes",
)  # fmt: skip


#: Prefixes of the table's actions that concern no single case (administration, whole-ledger
#: data, the audit chain, lists, the shared register of enterprises and persons).
NOT_CASE_ACTIONS = ("admin.", "data.", "audit.", "list.", "subject.")


def case_actions() -> tuple[str, ...]:
    """The actions of the permission table that concern one case, in table order."""
    return tuple(a for a in roles.PERMISSIONS if not a.startswith(NOT_CASE_ACTIONS))


def load_case(session: Session, case_id: str | uuid.UUID, *, live: bool = True) -> Case:
    case = session.get(Case, parse_id(case_id, "案件"))
    if case is None or (live and case.deleted_at is not None):
        raise NotFound("找不到该案件，可能已被删除")
    return case


def _ensure_unique_number(session: Session, number: str, own_id: uuid.UUID | None) -> None:
    row = session.execute(
        select(Case.id, Case.deleted_at).where(Case.case_number == number)
    ).first()
    if row is not None and row.id != own_id:
        hint = "（该案件已删除，可在回收站中恢复）" if row.deleted_at else ""
        raise FieldErrors({"case_number": f"案号 {number} 已存在{hint}"})


def _tags(session: Session, names: tuple[str, ...]) -> list[Tag]:
    found = {t.name: t for t in session.scalars(select(Tag).where(Tag.name.in_(names)))}
    missing = [n for n in names if n not in found]
    if missing:
        raise FieldErrors({"tags": f"标签“{'、'.join(missing)}”不在标签表中"})
    return [found[n] for n in names]


def account_unit(session: Session, handler: str) -> str:
    """The unit of the account a handler's name names ("" when no account, or one of no
    unit)."""
    found = handler_account(session, handler)
    return found[1] if found else ""


def registration_unit(session: Session, handler: str, user: roles.Actor | None) -> str:
    """The unit a new case is registered into: its handler's account's (a case belongs to the 庭
    of its judge); for a case registered before 分案 — no handler, or one without an account —
    the registering user's own unit, or none ("") when the system registers it."""
    return account_unit(session, handler) or (user.unit if user else "")


def _registration_target(service: Service, session: Session, draft: CaseDraft) -> roles.Target:
    """The case a registration makes, as the permission table sees it, in the unit it will be
    registered into (registering with a handler is allowed by ``case.create``; changing the
    handler later needs ``case.assign``)."""
    user = service.identity.user
    name = draft.handler if isinstance(getattr(draft, "handler", None), str) else ""
    number = draft.case_number if isinstance(getattr(draft, "case_number", None), str) else ""
    login = (handler_account(session, name) or ("", ""))[0]
    unit = registration_unit(session, name, user)
    return roles.Target(unit=unit, handler_login=login, label=number.strip())


class CaseService(Service):
    @guarded("case.create", via=_registration_target)
    def create(self, draft: CaseDraft) -> SaveResult:
        """Register a new case; its first stage becomes the first entry of its timeline."""
        with self._uow() as uow:
            s = uow.session
            courts = court_codes(s)
            checked = check_case(draft, type_codes(s), courts)
            d, parts = checked.draft, checked.parts
            _ensure_unique_number(s, d.case_number, None)
            tags = _tags(s, d.tags)
            now = audit.utcnow()
            first = stages_for(d.family)[0]
            stage = d.stage or first
            unit = registration_unit(s, d.handler, self.identity.user)
            case = Case(
                id=uuid.uuid4(),
                list_key=next_list_key(s),
                year=parts["year"],
                court_code=parts["court_code"],
                type_code=parts["type_code"],
                sequence=parts["sequence"],
                stage=stage,
                unit=unit,
                parties_summary="",
                created_at=now,
                updated_at=now,
                **{k: getattr(d, k) for k in _DRAFT_FIELDS},
            )
            case.tags = tags
            s.add(case)
            # The timeline starts with acceptance; a case registered at a later stage (e.g. from a
            # paper ledger) gets that stage as a second entry, on its closing date when closed.
            entries = [(d.accepted_on, first, ACCEPTANCE_NOTE)]
            if stage != first:
                day = d.closed_on if stage in CLOSED_STAGES and d.closed_on else d.accepted_on
                entries.append((day, stage, "登记时的阶段"))
            for day, entry_stage, note in entries:
                s.add(
                    CaseEvent(
                        case=case,
                        occurred_on=day,
                        kind="stage",
                        stage=entry_stage,
                        note=note,
                        created_at=now,
                        created_by=self.actor,
                    )
                )
            s.flush()
            reindex_cases(s, [case.id])
            values = {k: getattr(d, k) for k in _DRAFT_FIELDS}
            values |= {"unit": unit, "stage": stage, "tags": d.tags}
            uow.audit(
                "create",
                "case",
                case.id,
                d.case_number,
                {k: (None, v) for k, v in values.items() if v not in (None, "", ())},
                case.id,
            )
            sync_case_deadlines(uow, case)  # the periods that run from acceptance
            uow.commit()
            return SaveResult(case.id.hex, tuple(checked.warnings))

    @guarded("case.edit", via=IN_BODY)
    def update(self, case_id: str, draft: CaseDraft, expected_version: int) -> SaveResult:
        """Save edits to a case's basic information (stages change through the timeline)."""
        with self._uow() as uow:
            s = uow.session
            case = load_case(s, case_id)
            self._may_edit_or_assign(s, case)
            if case.version != expected_version:
                raise Conflict("该案件已被他人修改，请关闭后重新打开再编辑")
            checked = check_case(draft, type_codes(s), court_codes(s))
            d, parts = checked.draft, checked.parts
            if d.case_number != case.case_number:
                _ensure_unique_number(s, d.case_number, case.id)
            changes = diff(case, {k: getattr(d, k) for k in _DRAFT_FIELDS})
            old_tags = tuple(t.name for t in case.tags)
            if set(old_tags) != set(d.tags):  # kept in tag-table order: order is no change
                case.tags = _tags(s, d.tags)
                changes["tags"] = (old_tags, d.tags)
            self._require_changes(s, case, changes)
            if "handler" in changes:  # the case moves with its new handler to their unit
                moved = account_unit(s, changes["handler"][1])
                if moved and moved != case.unit:
                    changes["unit"] = (case.unit, moved)
            if not changes:
                return SaveResult(case.id.hex, tuple(checked.warnings))
            _follow_basic_changes(uow, case, changes)
            apply(case, {k: v for k, v in changes.items() if k != "tags"})
            case.year, case.court_code = parts["year"], parts["court_code"]
            case.type_code, case.sequence = parts["type_code"], parts["sequence"]
            case.updated_at = audit.utcnow()
            s.flush()
            if changes.keys() & {"case_number", "cause", "notes"}:
                reindex_cases(s, [case.id])
            if changes.keys() & {"accepted_on", "family", "procedure", "closed_on"}:
                sync_case_deadlines(uow, case)
            uow.audit("update", "case", case.id, d.case_number, changes, case.id)
            uow.commit()
            return SaveResult(case.id.hex, tuple(checked.warnings))

    def _may_edit_or_assign(self, s: Session, case: Case) -> None:
        """The gate of ``update``: the user must be able to edit or to assign this case (a case
        without a handler's account is in no unit yet: whoever assigns may take it up)."""
        user = self.identity.user
        if user is None:
            return
        current = case_target(s, case)
        if self.identity.decide("case.edit", current):
            return
        if roles.scope_of(user, "case.assign") is not None:
            if not current.handler_login:
                return
            self.identity.require("case.assign", current)
            return
        self.identity.require("case.edit", current)

    def _require_changes(self, s: Session, case: Case, changes: dict) -> None:
        """``case.edit`` for the case's information, ``case.assign`` for a new handler (roles.py:
        an edit does not move a case to another handler or unit) — on the case as it is and on
        the case as it would be, when the handler in question has an account."""
        if self.identity.user is None or not changes:
            return
        current = case_target(s, case)
        if "handler" in changes:
            login, unit = handler_account(s, changes["handler"][1]) or ("", "")
            after = roles.Target(unit, login, current.label)
            for target in [t for t in (current, after) if t.handler_login] or [current]:
                self.identity.require("case.assign", target)
        if changes.keys() - {"handler"}:
            self.identity.require("case.edit", current)

    @guarded("case.delete")
    def delete(self, case_id: str) -> None:
        """Move a case to the recycle bin (restorable; its record and history stay)."""
        self._set_deleted(case_id, deleted=True)

    @guarded("case.restore")
    def restore(self, case_id: str) -> None:
        self._set_deleted(case_id, deleted=False)

    def _set_deleted(self, case_id: str, deleted: bool) -> None:
        with self._uow() as uow:
            case = load_case(uow.session, case_id, live=False)
            if (case.deleted_at is not None) == deleted:
                raise ServiceError("该案件已删除" if deleted else "该案件未被删除，无需恢复")
            old, case.deleted_at = case.deleted_at, audit.utcnow() if deleted else None
            case.updated_at = audit.utcnow()
            uow.audit(
                "delete" if deleted else "restore",
                "case",
                case.id,
                case.case_number,
                {"deleted_at": (old, case.deleted_at)},
                case.id,
            )
            uow.commit()

    @guarded("case.read")
    def get(self, case_id: str) -> CaseDetail:
        """Everything the case page shows, in one read."""
        with self._read() as s:
            case = s.execute(
                select(Case)
                .where(Case.id == parse_id(case_id, "案件"))
                .options(
                    selectinload(Case.parties).selectinload(CaseParty.enterprise),
                    selectinload(Case.parties).selectinload(CaseParty.person),
                    selectinload(Case.events),
                    selectinload(Case.tags),
                )
            ).scalar_one_or_none()
            if case is None:
                raise NotFound("找不到该案件，可能已被删除")
            courts = court_codes(s)
            types = type_codes(s)
            return CaseDetail(
                id=case.id.hex,
                version=case.version,
                case_number=case.case_number,
                family=case.family,
                procedure=case.procedure,
                cause=case.cause,
                handler=case.handler,
                unit=case.unit,
                accepted_on=case.accepted_on,
                closed_on=case.closed_on,
                stage=case.stage,
                amount_fen=case.amount_fen,
                notes=case.notes,
                court_name=courts.get(case.court_code, ""),
                type_name=types[case.type_code].name if case.type_code in types else "",
                tags=tuple(t.name for t in case.tags),
                parties=tuple(_party_view(p) for p in case.parties),
                events=tuple(
                    EventView(
                        e.id.hex,
                        e.occurred_on,
                        e.kind,
                        TRIGGERS.get(e.trigger or "", "") if e.kind == "trigger" else e.stage,
                        e.note,
                        e.created_by,
                        e.created_at,
                    )
                    for e in case.events
                ),
                deleted=case.deleted_at is not None,
                costs_fen=case.costs_fen,
                refusals=self._refusals(s, case),
            )

    def _refusals(self, session: Session, case: Case) -> Mapping[str, str]:
        """Action → the table's reason, for each case action the acting user may not do on
        ``case`` (the page disables those up front; the services still check each call)."""
        if self.identity.user is None:
            return MappingProxyType({})
        target = case_target(session, case)
        decisions = [self.identity.decide(action, target) for action in case_actions()]
        return MappingProxyType({d.action: d.reason for d in decisions if not d.allowed})

    @guarded("case.read")
    def history(self, case_id: str) -> list[HistoryEntry]:
        """The case's audit trail, newest first, with Chinese field names."""
        with self._read() as s:
            rows = audit.history(s, case_id=parse_id(case_id, "案件"))
        return [history_entry(r) for r in rows]


def _follow_basic_changes(uow: UnitOfWork, case: Case, changes: dict) -> None:
    """Keep the timeline consistent with a new acceptance date or case family.

    The acceptance entry moves with the acceptance date; no other entry may fall before it. A new
    family re-labels the acceptance entry with the family's first stage; other entries must
    already be stages of the new family (else the user is told which).
    """
    events = sorted(case.events, key=lambda e: (e.occurred_on, e.created_at))
    stage_events = [e for e in events if e.kind == "stage"]
    acceptance = stage_events[0] if stage_events else None
    if "accepted_on" in changes:
        old, new = changes["accepted_on"]
        if acceptance is not None and acceptance.occurred_on == old:
            uow.audit("update", "case_event", acceptance.id, f"{acceptance.stage} {new}",
                      {"occurred_on": (old, new)}, case.id)  # fmt: skip
            acceptance.occurred_on = new
        early = [e for e in events if e is not acceptance and e.occurred_on < new]
        if early:
            raise FieldErrors(
                {"accepted_on": f"时间线中有早于新收案日期的记录（{early[0].occurred_on}"
                 f" {early[0].stage}），请先修改时间线"}
            )  # fmt: skip
    if "family" in changes:
        family = changes["family"][1]
        stages = stages_for(family)
        foreign = [e for e in stage_events[1:] if e.stage not in stages]
        if foreign:
            raise FieldErrors(
                {"family": f"时间线中的阶段“{foreign[0].stage}”不属于{family}案件，"
                 "请先删除该时间线记录"}
            )  # fmt: skip
        if acceptance is not None and acceptance.stage not in stages:
            label = f"{stages[0]} {acceptance.occurred_on}"
            uow.audit("update", "case_event", acceptance.id, label,
                      {"stage": (acceptance.stage, stages[0])}, case.id)  # fmt: skip
            acceptance.stage = stages[0]
        latest = stage_events[-1].stage if stage_events else stages[0]
        if case.stage != latest:
            changes["stage"] = (case.stage, latest)


def history_entry(row: audit.AuditRow) -> HistoryEntry:
    return HistoryEntry(
        at=row.at,
        actor=row.actor,
        action=row.action,
        entity=ENTITY_LABELS.get(row.entity_type, row.entity_type),
        label=row.label,
        changes=[(k, FIELD_LABELS.get(k, k), old, new) for k, (old, new) in row.changes.items()],
    )


def _party_view(p: CaseParty) -> PartyView:
    if p.enterprise is not None:
        e = p.enterprise
        return PartyView(p.id.hex, p.role, "enterprise", e.id.hex, e.name, e.credit_code or "")
    person = p.person
    assert person is not None
    return PartyView(p.id.hex, p.role, "person", person.id.hex, person.name, person.id_number or "")
