"""Enforcement (执行) of a case and the debtor credit list (失信被执行人), each step audited.

One unit of work per action. Clocks are deadlines: ``enforcement.term`` (from acceptance, made by
the case service), the follow-up searches after 终本, and per debtor the grace period, the term of
the listing and the 3-working-day deletion (失信规定 第10条), which the debtor's performance
starts — performance is recorded on the case as the ``performed`` trigger."""

from __future__ import annotations

import uuid
from datetime import date

from casedesk.domain.deadlines import CANCELLED, MET
from casedesk.domain.drafts import clean_text
from casedesk.domain.enforcement import (
    CLOSING_KINDS,
    FAMILY,
    FOLLOWUP_ACTION,
    FOLLOWUP_RULE,
    RESUMED_STAGE,
    TERMINATED,
    TERMINATED_STAGE,
    ActionDraft,
    ClosingDraft,
    EnforcementDraft,
    PaymentDraft,
    check_action,
    check_closing,
    check_enforcement,
    check_payment,
    check_step_day,
    remaining_fen,
)
from casedesk.domain.errors import FieldErrors
from casedesk.services import enforcement_steps as steps
from casedesk.services.base import guarded
from casedesk.services.cases import load_case
from casedesk.services.credit_list import CreditListSteps, load_record
from casedesk.services.deadline_sync import (
    close_deadline,
    create_deadline,
    load_context,
)
from casedesk.services.enforcement_reads import EnforcementReads
from casedesk.services.enforcement_views import record_state
from casedesk.services.errors import ServiceError
from casedesk.store import audit
from casedesk.store.enforcement_models import (
    EnforcementAction,
    EnforcementPayment,
    EnforcementRecord,
)


class EnforcementService(EnforcementReads, CreditListSteps):
    """The enforcement record of 执行 cases, payments, actions and credit listings (reading in
    :mod:`~casedesk.services.enforcement_reads`, the credit list in
    :mod:`~casedesk.services.credit_list`)."""

    # -- the record -------------------------------------------------------------------------------
    @guarded("enforcement.record")
    def open_record(self, case_id: str, draft: EnforcementDraft) -> str:
        """Open the enforcement record of a 执行 case (one per case); returns its id."""
        with self._uow() as uow:
            case = load_case(uow.session, case_id)
            if case.family != FAMILY:
                raise ServiceError(f"只有执行案件才能登记执行信息（本案为{case.family}案件）")
            if steps.record_of(uow, case) is not None:
                raise ServiceError("本案已登记执行信息")
            check_enforcement(draft, case.accepted_on, date.today())
            values = steps.record_values(draft)
            now = audit.utcnow()
            rec = EnforcementRecord(
                id=uuid.uuid4(),
                case_id=case.id,
                recovered_fen=0,
                close_kind="",
                close_document="",
                created_at=now,
                updated_at=now,
                created_by=self.actor,
                **values,
            )
            uow.session.add(rec)
            uow.session.flush()
            uow.audit(
                "create",
                "enforcement_record",
                rec.id,
                case.case_number,
                {k: (None, v) for k, v in values.items() if v not in (None, "")},
                case.id,
            )
            uow.commit()
            return rec.id.hex

    @guarded("enforcement.record")
    def update_record(self, case_id: str, version: int, draft: EnforcementDraft) -> None:
        """Correct the title or the claim (never below what was recovered)."""
        with self._uow() as uow:
            case, rec = load_record(uow, case_id)
            if rec.version != version:
                raise ServiceError("执行信息已被他人修改，请刷新后重新编辑")
            check_enforcement(draft, case.accepted_on, date.today())
            values = steps.record_values(draft)
            claimed = values["claimed_fen"]
            if rec.recovered_fen and (claimed is None or claimed < rec.recovered_fen):
                raise FieldErrors({"claimed_fen": "申请执行标的不能少于已执行到位的金额"})
            changes = {k: (getattr(rec, k), v) for k, v in values.items() if getattr(rec, k) != v}
            if not changes:
                return
            for key, (_old, new) in changes.items():
                setattr(rec, key, new)
            rec.updated_at = audit.utcnow()
            uow.audit("update", "enforcement_record", rec.id, case.case_number, changes, case.id)
            uow.commit()

    # -- payments and performance ----------------------------------------------------------------
    @guarded("enforcement.record")
    def add_payment(self, case_id: str, draft: PaymentDraft) -> str:
        """Money recovered; never more than what remains of the claim. A payment that completes
        the claim records the performance (see :meth:`record_performance`). Returns its id."""
        with self._uow() as uow:
            case, rec = load_record(uow, case_id)
            if rec.closed_on is not None:
                raise ServiceError(f"本案已于 {rec.closed_on} 结案")
            left = remaining_fen(rec.recovered_fen, rec.claimed_fen)
            check_payment(draft, case.accepted_on, left, date.today())
            assert draft.paid_on is not None and draft.amount_fen is not None
            pay = EnforcementPayment(
                id=uuid.uuid4(),
                paid_on=draft.paid_on,
                amount_fen=draft.amount_fen,
                payer=clean_text(draft.payer),
                way=draft.way,
                note=clean_text(draft.note),
                created_at=audit.utcnow(),
                created_by=self.actor,
            )
            rec.payments.append(pay)
            old = rec.recovered_fen
            rec.recovered_fen += draft.amount_fen
            rec.updated_at = audit.utcnow()
            uow.session.flush()
            uow.audit(
                "create",
                "enforcement_payment",
                pay.id,
                f"{case.case_number} 执行到位",
                {
                    "paid_on": (None, pay.paid_on),
                    "amount_fen": (None, pay.amount_fen),
                    "payer": (None, pay.payer),
                    "way": (None, pay.way),
                },
                case.id,
            )
            uow.audit(
                "update",
                "enforcement_record",
                rec.id,
                case.case_number,
                {"recovered_fen": (old, rec.recovered_fen)},
                case.id,
            )
            if rec.claimed_fen and rec.recovered_fen >= rec.claimed_fen:
                steps.perform(uow, load_context(uow), case, rec, draft.paid_on, "执行款全部到位")
            uow.commit()
            return pay.id.hex

    @guarded("enforcement.record")
    def record_performance(self, case_id: str, on: date | None, note: str = "") -> None:
        """The debtor performed in full (e.g. directly to the applicant, or a settlement): the
        ``performed`` trigger on the case meets enforcement.term and starts the 3-working-day
        deletion of every listed debtor of the case."""
        with self._uow() as uow:
            case, rec = load_record(uow, case_id)
            day = check_step_day("on", "履行完毕的日期", on, case.accepted_on, date.today())
            steps.perform(uow, load_context(uow), case, rec, day, clean_text(note) or "履行完毕")
            uow.commit()

    # -- actions, 终本, 恢复执行, closing --------------------------------------------------
    @guarded("enforcement.record")
    def add_action(self, case_id: str, draft: ActionDraft) -> str:
        """An action taken; a 网络查控 after 终本 answers the follow-up reminder and starts the
        next one (for five years after 终本). Returns its id."""
        with self._uow() as uow:
            case, rec = load_record(uow, case_id)
            check_action(draft, case.accepted_on, date.today())
            assert draft.taken_on is not None
            act = EnforcementAction(
                id=uuid.uuid4(),
                kind=draft.kind,
                taken_on=draft.taken_on,
                result=clean_text(draft.result),
                document_no=clean_text(draft.document_no),
                created_at=audit.utcnow(),
                created_by=self.actor,
            )
            rec.actions.append(act)
            uow.session.flush()
            uow.audit(
                "create",
                "enforcement_action",
                act.id,
                f"{case.case_number} {act.kind}",
                {
                    "kind": (None, act.kind),
                    "taken_on": (None, act.taken_on),
                    "result": (None, act.result),
                    "document_no": (None, act.document_no),
                },
                case.id,
            )
            if draft.kind == FOLLOWUP_ACTION:
                steps.followed_up(uow, case, rec, draft.taken_on)
            uow.commit()
            return act.id.hex

    @guarded("enforcement.decide")
    def terminate(self, case_id: str, on: date | None, note: str = "") -> None:
        """终结本次执行程序: the case reaches the stage (and closes); the follow-up search
        reminder starts (every six months, 法〔2016〕373号)."""
        with self._uow() as uow:
            case, rec = load_record(uow, case_id)
            if rec.closed_on is not None:
                raise ServiceError(f"本案已于 {rec.closed_on} 结案")
            if record_state(rec.terminated_on, rec.resumed_on, rec.closed_on) == "终结本次执行":
                raise ServiceError(f"本案已于 {rec.terminated_on} 终结本次执行程序")
            if rec.performed_on is not None:
                raise ServiceError(f"被执行人已于 {rec.performed_on} 履行完毕，应以执行完毕结案")
            since = max(d for d in (case.accepted_on, rec.resumed_on) if d is not None)
            day = check_step_day("on", "终结本次执行的日期", on, since, date.today())
            ctx = load_context(uow)
            event = steps.stage(uow, case, TERMINATED_STAGE, day, note)
            old = rec.terminated_on
            rec.terminated_on, rec.updated_at = day, audit.utcnow()
            uow.audit(
                "update",
                "enforcement_record",
                rec.id,
                case.case_number,
                {"terminated_on": (old, day)},
                case.id,
            )
            create_deadline(
                uow,
                ctx,
                case,
                ctx.rules[FOLLOWUP_RULE],
                TERMINATED,
                day,
                event_id=event.id,
                subject="终本后网络查控",
            )
            uow.commit()

    @guarded("enforcement.decide")
    def resume(self, case_id: str, on: date | None, note: str = "") -> None:
        """恢复执行 after 终本: the case reopens; the follow-up reminders stop."""
        with self._uow() as uow:
            case, rec = load_record(uow, case_id)
            if record_state(rec.terminated_on, rec.resumed_on, rec.closed_on) != "终结本次执行":
                raise ServiceError("只有终结本次执行程序的案件才能恢复执行")
            assert rec.terminated_on is not None
            day = check_step_day("on", "恢复执行的日期", on, rec.terminated_on, date.today())
            steps.stage(uow, case, RESUMED_STAGE, day, note)
            old = rec.resumed_on
            rec.resumed_on, rec.updated_at = day, audit.utcnow()
            uow.audit(
                "update",
                "enforcement_record",
                rec.id,
                case.case_number,
                {"resumed_on": (old, day)},
                case.id,
            )
            for row in steps.open_clocks(uow, case, FOLLOWUP_RULE):
                close_deadline(uow, row, CANCELLED, day, "已恢复执行")
            uow.commit()

    @guarded("enforcement.decide")
    def close(self, case_id: str, draft: ClosingDraft) -> None:
        """结案: 执行完毕 (everything recovered or performed), 和解履行完毕 (records the
        performance if not yet), 终结执行 …; the case reaches the matching stage."""
        with self._uow() as uow:
            case, rec = load_record(uow, case_id)
            if rec.closed_on is not None:
                raise ServiceError(f"本案已于 {rec.closed_on} 结案")
            since = max(d for d in (case.accepted_on, rec.terminated_on, rec.resumed_on) if d)
            check_closing(draft, since, date.today())
            assert draft.closed_on is not None
            left = remaining_fen(rec.recovered_fen, rec.claimed_fen)
            if draft.kind == "执行完毕" and rec.performed_on is None and left:
                raise FieldErrors(
                    {
                        "kind": f"尚有 {left / 100:,.2f} 元未执行到位，不能以执行完毕结案"
                        "（和解履行的，请选“和解履行完毕”）"
                    }
                )
            ctx = load_context(uow)
            if draft.kind in ("执行完毕", "和解履行完毕") and rec.performed_on is None:
                steps.perform(uow, ctx, case, rec, draft.closed_on, draft.kind)
            steps.stage(uow, case, CLOSING_KINDS[draft.kind], draft.closed_on, draft.note)
            for row in steps.open_clocks(uow, case, FOLLOWUP_RULE):
                close_deadline(uow, row, MET, draft.closed_on, f"已结案（{draft.kind}）")
            rec.closed_on, rec.close_kind = draft.closed_on, draft.kind
            rec.close_document, rec.updated_at = clean_text(draft.document_no), audit.utcnow()
            uow.audit(
                "update",
                "enforcement_record",
                rec.id,
                case.case_number,
                {
                    "closed_on": (None, rec.closed_on),
                    "close_kind": (None, rec.close_kind),
                    "close_document": (None, rec.close_document),
                },
                case.id,
            )
            uow.commit()
