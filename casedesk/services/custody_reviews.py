"""羁押必要性审查 (刑诉法 第95条; 刑诉规则 第574–579条): reviews of a person in custody, the
10-day reply clock of a recommendation served on the case organ, and who has gone without a
review for longer than the administrator's interval."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casedesk.domain.deadlines import CANCELLED, MET, OPEN
from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import CUSTODY_KINDS, CustodyReviewDraft, check_custody_review
from casedesk.services.base import ANY_SCOPE, Service, diff, guarded, parse_id
from casedesk.services.cases import load_case
from casedesk.services.deadline_sync import (
    close_deadline,
    create_deadline,
    load_context,
    recompute,
    rule_name,
)
from casedesk.services.errors import Conflict, NotFound
from casedesk.services.lists import read_scope
from casedesk.services.measure_dto import CustodyReviewView, CustodyRow
from casedesk.services.measure_settings import read_settings
from casedesk.services.personal_measures import custody_from, load_measure
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.custody_list import in_custody
from casedesk.store.models import Case, CustodyReview, Deadline, PersonalMeasure

REPLY_RULE, REPLY_TRIGGER = "custody_review.reply", "custody_review_served"
#: The fields a review keeps from its draft (audited by these names).
FIELDS = ("trigger", "applicant", "started_on", "method", "concluded_on", "conclusion",
          "recipient", "document_no", "served_on", "notes")  # fmt: skip
TEXTS = frozenset({"applicant", "recipient", "document_no", "notes"})


def _values(draft: CustodyReviewDraft) -> dict:
    return {f: clean_text(getattr(draft, f)) if f in TEXTS else getattr(draft, f) for f in FIELDS}


def _reply_clock(session: Session, review: CustodyReview) -> Deadline | None:
    return session.scalars(
        select(Deadline)
        .where(Deadline.custody_review_id == review.id, Deadline.status != CANCELLED)
        .order_by(Deadline.created_at.desc())
    ).first()


def _load_review(session: Session, review_id: str) -> CustodyReview:
    review = session.get(CustodyReview, parse_id(review_id, "羁押必要性审查"))
    if review is None:
        raise NotFound("找不到该羁押必要性审查记录")
    case = session.get(Case, review.case_id)
    if case is None or case.deleted_at is not None:
        raise NotFound("该审查记录所属的案件已删除")
    return review


class CustodyReviewService(Service):
    @guarded("case.read")
    def for_case(self, case_id: str) -> list[CustodyReviewView]:
        """The case's reviews, the latest begun first, each with the last day of its reply."""
        with self._read() as s:
            case = load_case(s, case_id)
            rows = s.execute(
                select(CustodyReview, PersonalMeasure.person_name)
                .join(PersonalMeasure, PersonalMeasure.id == CustodyReview.measure_id)
                .where(CustodyReview.case_id == case.id)
                .order_by(CustodyReview.started_on.desc(), CustodyReview.created_at.desc())
            ).all()
            due = {
                review_id: due_on
                for review_id, due_on in s.execute(
                    select(Deadline.custody_review_id, Deadline.due_on).where(
                        Deadline.case_id == case.id,
                        Deadline.custody_review_id.is_not(None),
                        Deadline.status != CANCELLED,
                    )
                )
            }
            return [self._view(r, name, due.get(r.id)) for r, name in rows]

    @staticmethod
    def _view(r: CustodyReview, person_name: str, reply_due: date | None) -> CustodyReviewView:
        return CustodyReviewView(
            id=r.id.hex, version=r.version, case_id=r.case_id.hex, measure_id=r.measure_id.hex,
            person_name=person_name, trigger=r.trigger, applicant=r.applicant,
            started_on=r.started_on, method=r.method, concluded_on=r.concluded_on,
            conclusion=r.conclusion, recipient=r.recipient, document_no=r.document_no,
            served_on=r.served_on, replied_on=r.replied_on, reply=r.reply, reply_due=reply_due,
            notes=r.notes,
        )  # fmt: skip

    @guarded("measure.record", via=PersonalMeasure)
    def add(self, measure_id: str, draft: CustodyReviewDraft) -> str:
        """A review of the custody measure ``measure_id`` (an active 拘留 or 逮捕). Serving a
        recommendation starts custody_review.reply. Returns its id."""
        with self._uow() as uow:
            s = uow.session
            m = load_measure(s, measure_id)
            if m.kind not in CUSTODY_KINDS:
                raise FieldErrors({"measure": f"羁押必要性审查只适用于被拘留、逮捕（在押）的人；"
                                              f"该措施为{m.kind}"})  # fmt: skip
            self._check(s, m, draft)
            values = _values(draft)
            now = audit.utcnow()
            review = CustodyReview(
                id=uuid.uuid4(), case_id=m.case_id, measure_id=m.id, person_id=m.person_id,
                replied_on=None, reply="", created_by=self.actor, created_at=now,
                updated_at=now, **values,
            )  # fmt: skip
            s.add(review)
            s.flush()
            uow.audit("create", "custody_review", review.id, f"羁押必要性审查 {m.person_name}",
                      {k: (None, v) for k, v in values.items() if v not in (None, "")},
                      m.case_id)  # fmt: skip
            self._follow_service(uow, review, m)
            uow.commit()
            return review.id.hex

    def _check(self, s: Session, m: PersonalMeasure, draft: CustodyReviewDraft) -> None:
        check_custody_review(draft, custody_from(s, m), date.today())
        if m.ended_on is not None and draft.started_on and draft.started_on > m.ended_on:
            raise FieldErrors({"started_on": f"该{m.kind}已于 {m.ended_on} {m.end_reason}，"
                                             "审查开始日期不能晚于羁押结束之日"})  # fmt: skip

    def _follow_service(self, uow: UnitOfWork, review: CustodyReview, m: PersonalMeasure) -> None:
        """The reply clock follows the day the recommendation was served: started when it is
        first recorded, counted again when it is corrected, withdrawn when it is removed."""
        s = uow.session
        clock = _reply_clock(s, review)
        if review.served_on is None:
            if clock is not None and clock.status == OPEN:
                close_deadline(uow, clock, CANCELLED, date.today(), "建议送达记录已撤回")
            return
        ctx = load_context(uow)
        if clock is None:
            case = load_case(s, review.case_id)
            create_deadline(uow, ctx, case, ctx.rules[REPLY_RULE], REPLY_TRIGGER,
                            review.served_on, subject=m.person_name,
                            custody_review_id=review.id)  # fmt: skip
        elif clock.start_on != review.served_on:
            old, clock.start_on = clock.start_on, review.served_on
            uow.audit("update", "deadline", clock.id, rule_name(clock.rule_id),
                      {"start_on": (old, review.served_on)}, clock.case_id)  # fmt: skip
            recompute(uow, ctx, clock, "建议送达日期已更正")

    @guarded("measure.record", via=CustodyReview)
    def update(self, review_id: str, version: int, draft: CustodyReviewDraft) -> None:
        """Record the conclusion, service … as they happen (starts the reply clock once served)."""
        with self._uow() as uow:
            s = uow.session
            review = _load_review(s, review_id)
            if review.version != version:
                raise Conflict("该审查记录已被他人修改，请刷新后重新编辑")
            m = s.get(PersonalMeasure, review.measure_id)
            assert m is not None
            self._check(s, m, draft)
            if review.replied_on and draft.served_on and review.replied_on < draft.served_on:
                raise FieldErrors({"served_on": f"办案机关已于 {review.replied_on} 回复，"
                                                "送达日期不能晚于回复日期"})  # fmt: skip
            if review.replied_on and draft.served_on is None:
                raise FieldErrors({"served_on": "办案机关已回复，不能撤回送达记录"})
            changes = diff(review, _values(draft))
            if not changes:
                return
            for key, (_old, new) in changes.items():
                setattr(review, key, new)
            review.updated_at = audit.utcnow()
            uow.audit("update", "custody_review", review.id, f"羁押必要性审查 {m.person_name}",
                      changes, review.case_id)  # fmt: skip
            self._follow_service(uow, review, m)
            uow.commit()

    @guarded("measure.record", via=CustodyReview)
    def record_reply(self, review_id: str, on: date | None, reply: str) -> None:
        """The case organ replied (meets the 10-day clock)."""
        with self._uow() as uow:
            s = uow.session
            review = _load_review(s, review_id)
            errors: dict[str, str] = {}
            if review.served_on is None:
                raise FieldErrors({"served_on": "建议尚未送达，无需等待回复"})
            if on is None:
                errors["on"] = "请填写回复日期"
            elif on > date.today():
                errors["on"] = "回复日期不能晚于今天"
            elif on < review.served_on:
                errors["on"] = f"回复日期不能早于建议送达日期 {review.served_on}"
            if not clean_text(reply):
                errors["reply"] = "请填写办案机关的回复（处理情况）"
            if errors:
                raise FieldErrors(errors)
            changes = diff(review, {"replied_on": on, "reply": clean_text(reply)})
            for key, (_old, new) in changes.items():
                setattr(review, key, new)
            review.updated_at = audit.utcnow()
            uow.audit("update", "custody_review", review.id, "羁押必要性审查 回复", changes,
                      review.case_id)  # fmt: skip
            clock = _reply_clock(s, review)
            if clock is not None and clock.status == OPEN:
                close_deadline(uow, clock, MET, on, "办案机关已回复")
            uow.commit()

    @guarded("case.read", via=ANY_SCOPE)
    def in_custody(
        self, as_of: date | None = None, unreviewed_only: bool = False
    ) -> list[CustodyRow]:
        """Persons in custody now, longest without review first; ``unreviewed_only``: only those
        with no review within the administrator's interval."""
        as_of = as_of or date.today()
        with self._read() as s:
            interval = read_settings(s).review_interval_days
            rows = in_custody(s, as_of, read_scope(self.identity))
        out = []
        for r in rows:
            since = (as_of - (r.last_review_on or r.custody_from)).days
            if unreviewed_only and since <= interval:
                continue
            out.append(CustodyRow(
                measure_id=r.measure_id, case_id=r.case_id, case_number=r.case_number,
                person_id=r.person_id, person_name=r.person_name, kind=r.kind,
                custody_from=r.custody_from, days_in_custody=(as_of - r.custody_from).days,
                last_review_on=r.last_review_on, days_since_review=since,
                review_overdue=since > interval,
                clock_name=rule_name(r.clock_rule_id) if r.clock_rule_id else "",
                clock_due=r.clock_due,
            ))  # fmt: skip
        return sorted(out, key=lambda row: (-row.days_since_review, row.case_number))
