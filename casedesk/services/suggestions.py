"""Suggestion documents (司法建议书, 检察建议书, 检察意见书, 补正材料一次性告知书; measures 27, 36,
47): drafted from a case, edited, finalised with a number per issuing unit, kind and year (no
gap, no duplicate, even when two desks finalise at once), served — which starts the
``suggestion.reply`` clock on the board — and followed up (reply, 催办, 回访); the ledger and the
annual statistics. Each action one unit of work with its audit record."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

from sqlalchemy import select

from casedesk.domain import documents as dm
from casedesk.domain.deadlines import MET, OPEN
from casedesk.domain.doc_templates import check_complete, draft_body, fill
from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.services.base import ANY_SCOPE, guarded, parse_id
from casedesk.services.cases import load_case
from casedesk.services.deadline_sync import close_deadline, create_deadline, load_context
from casedesk.services.errors import Conflict
from casedesk.services.lists import read_scope
from casedesk.services.suggestions_admin import SuggestionAdmin
from casedesk.services.suggestions_dto import (
    ADOPTIONS,
    DRAFT,
    FINAL,
    REMINDER,
    REPLIED,
    REVISIT,
    SERVED,
    SERVICE_WAYS,
    LedgerRow,
    Statistics,
    SuggestionDraft,
    SuggestionView,
)
from casedesk.services.suggestions_records import (
    audit_row,
    case_values,
    check_day,
    check_draft,
    default_issuer,
    draft_label,
    draft_values,
    draft_year,
    load,
    lock_counter,
    next_seq,
    one_line,
    pattern_for,
    to_document,
    wording_for,
    write,
)
from casedesk.services.suggestions_views import ledger_rows, statistics, suggestion_view
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit
from casedesk.store.models import CaseParty, Deadline, Enterprise
from casedesk.store.recycle_bin import discard
from casedesk.store.suggestion_models import Suggestion, SuggestionEntry

REPLY_RULE = "suggestion.reply"


class SuggestionService(SuggestionAdmin):
    """Suggestion documents of the cases, and the administrator's settings for them."""

    # -- reading ----------------------------------------------------------------------------------
    @guarded("case.read", via=Suggestion)
    def get(self, suggestion_id: str, as_of: date | None = None) -> SuggestionView:
        with self._read() as s:
            return suggestion_view(s, load(s, suggestion_id), as_of or date.today())

    @guarded("case.read")
    def for_case(self, case_id: str, as_of: date | None = None) -> list[SuggestionView]:
        with self._read() as s:
            case = load_case(s, case_id)
            rows = s.scalars(
                select(Suggestion)
                .where(Suggestion.case_id == case.id)
                .order_by(Suggestion.created_at)
            ).all()
            return [suggestion_view(s, r, as_of or date.today()) for r in rows]

    @guarded("case.read", via=Suggestion)
    def document(self, suggestion_id: str, *, preview: bool = False) -> dm.Document:
        """The document the renderers take. Unless ``preview``: refused (FieldErrors naming
        them) while placeholders or empty paragraphs remain — never exported as ``{{…}}``."""
        with self._read() as s:
            doc = to_document(load(s, suggestion_id))
        if not preview:
            check_complete(doc)
        return doc

    @guarded("case.read")
    def recipients(self, case_id: str) -> list[tuple[str, str]]:
        """The case's enterprises as (enterprise id, full name), to choose the recipient from."""
        with self._read() as s:
            case = load_case(s, case_id)
            rows = s.execute(
                select(Enterprise.id, Enterprise.name)
                .join(CaseParty, CaseParty.enterprise_id == Enterprise.id)
                .where(CaseParty.case_id == case.id)
                .order_by(CaseParty.position)
            ).all()
        return list(dict.fromkeys((i.hex, n) for i, n in rows))

    @guarded("case.read", via=ANY_SCOPE)
    def ledger(
        self, year: int | None = None, kind: str = "", as_of: date | None = None
    ) -> list[LedgerRow]:
        """The suggestions ledger (台账): every suggestion with its state (草稿, 已定稿, 已送达,
        逾期未回复, 已回复), of one year and kind when given."""
        with self._read() as s:
            scope = read_scope(self.identity)  # the cases the user may read
            return ledger_rows(s, as_of or date.today(), year, kind, scope=scope)

    @guarded("case.read", via=ANY_SCOPE)
    def statistics(self, year: int, as_of: date | None = None) -> Statistics:
        """The year's figures by issuing unit and kind: issued, served, replied (late),
        overdue, adopted / partly / not (the annual report)."""
        with self._read() as s:
            rows = ledger_rows(s, as_of or date.today(), year, scope=read_scope(self.identity))
            return statistics(rows, year)

    # -- drafting ---------------------------------------------------------------------------------
    @guarded("suggestion.draft")
    def new_draft(self, case_id: str, kind: str, subtype: str = "", *, recipient: str = "",
                  enterprise_id: str = "", subject: str = "") -> str:  # fmt: skip
        """A draft on the case: issuer from the unit, recipient given or one of the case's
        enterprises, the body in the kind's structure with the unit's wording filled from the
        case (placeholders without a value are left and listed in the view's ``unfilled``)."""
        if not isinstance(kind, str) or kind not in dm.KINDS:
            raise FieldErrors({"kind": "请选择文书种类"})
        with self._uow() as uow:
            s = uow.session
            case = load_case(s, case_id)
            if enterprise_id:
                wanted = parse_id(enterprise_id, "企业")
                party = s.scalar(
                    select(CaseParty.id)
                    .where(CaseParty.case_id == case.id, CaseParty.enterprise_id == wanted)
                    .limit(1)
                )
                if party is None:
                    raise FieldErrors({"recipient": "主送单位须为本案当事人中的企业，或直接填写"})
                recipient = s.get(Enterprise, wanted).name  # type: ignore[union-attr]
            issuer = default_issuer(s, case, kind)
            cause = one_line(case.cause)
            subject = clean_text(subject) or (f"{cause}案件中发现的问题" if cause else "")
            wording, _saved = wording_for(s, issuer, kind)
            body = draft_body(kind, wording, case_values(case, issuer, clean_text(recipient),
                                                         subject))  # fmt: skip
            draft = check_draft(kind, SuggestionDraft(
                subtype=subtype, issuer=issuer, subject=subject, recipient=recipient,
                blocks=body.blocks, contact=one_line(case.handler),
            ), case.accepted_on)  # fmt: skip
            now = audit.utcnow()
            row = Suggestion(
                id=uuid.uuid4(), case_id=case.id, kind=kind, state=DRAFT,
                year=draft_year(None), number="", seq=None, served_way="", served_receiver="",
                reply_summary="", adoption="", measures="", created_by=self.actor,
                created_at=now, updated_at=now, **draft_values(draft),
            )  # fmt: skip
            s.add(row)
            s.flush()
            audit_row(uow, row, "create", "新建草稿", {
                "kind": (None, kind), "subtype": (None, draft.subtype),
                "issuer": (None, draft.issuer), "recipient": (None, draft.recipient),
            })  # fmt: skip
            uow.commit()
            return row.id.hex

    @guarded("suggestion.draft", via=Suggestion)
    def save_draft(self, suggestion_id: str, version: int, draft: SuggestionDraft) -> int:
        """Save the clerk's edits of a draft (placeholders still in the body are filled from the
        case where they now can be); a finalised one is locked. Returns the new version."""
        with self._uow() as uow:
            row = load(uow.session, suggestion_id)
            self._check_version(row, version)
            if row.state != DRAFT:
                raise FieldErrors({"state": f"该{row.kind}已定稿（{row.number}），正文已锁定，"
                                            "不能再修改"})  # fmt: skip
            case = load_case(uow.session, row.case_id)
            draft = check_draft(row.kind, draft, case.accepted_on)
            # placeholders left for want of a value are filled once it is there (主送单位 …)
            values = case_values(case, draft.issuer, draft.recipient, draft.subject)
            blocks = tuple(dm.Block(b.kind, fill(b.text, values).text) for b in draft.blocks)
            draft = dataclasses.replace(draft, blocks=blocks)
            values = draft_values(draft) | {"year": draft_year(draft.signed_on)}
            write(uow, row, "保存草稿", values)
            return row.version

    @guarded("suggestion.delete_draft", via=Suggestion)
    def delete_draft(self, suggestion_id: str) -> None:
        """Move a draft to the recycle bin (a finalised one stays: its number must not leave a
        gap); casedesk.services.recycle_bin restores it."""
        with self._uow() as uow:
            row = load(uow.session, suggestion_id)
            if row.state != DRAFT:
                raise FieldErrors({"state": f"已定稿的{row.kind}（{row.number}）不能删除"})
            audit_row(uow, row, "delete", "删除草稿", {"recipient": (row.recipient, None)})
            discard(
                uow.session,
                row,
                case_id=row.case_id,
                label=draft_label(row),
                actor=self.actor,
                at=audit.utcnow(),
                children={"suggestion_entry": list(row.entries)},
            )
            uow.commit()

    # -- output -----------------------------------------------------------------------------------
    @guarded("document.output", via=Suggestion)
    def record_output(self, suggestion_id: str, action: str, label: str) -> None:
        """Audit that the document left the program: ``action`` "export" (label: the format
        and file) or "print" (label: copies and printer). Its text is not changed."""
        if action not in ("export", "print"):
            raise ValueError(f"unknown output action {action!r}")
        with self._uow() as uow:
            row = load(uow.session, suggestion_id)
            shown = f"{row.number or '草稿'} {label}".strip()
            audit_row(uow, row, action, shown, {})
            uow.commit()

    # -- finalising -------------------------------------------------------------------------------
    @guarded("suggestion.finalise", via=Suggestion)
    def finalise(self, suggestion_id: str, version: int | None = None) -> str:
        """Check the draft (recipient, suggestion items, signing date, nothing left to fill),
        allocate its number per issuing unit, kind and year of the signing date, lock the text.
        Returns the number.

        One write transaction whose first statement takes the write lock (the counter row), so
        two desks finalising at once get consecutive numbers, never the same one; a failure
        rolls the counter back with the rest (no gap)."""
        with self._read() as s:
            key = self._finalisable(s, load(s, suggestion_id), version)[:3]
        with self._uow() as uow:
            s = uow.session
            lock_counter(s, *key)  # the first statement: nothing read before it can be stale
            row = load(s, suggestion_id)
            unit, kind, year, pattern = self._finalisable(s, row, version)
            if (unit, kind, year) != key:  # edited meanwhile
                lock_counter(s, unit, kind, year)
            seq = next_seq(s, unit, kind, year)
            number = dm.format_number(pattern, year, seq)
            write(uow, row, f"定稿 {number}", {
                "state": FINAL, "year": year, "seq": seq, "number": number,
            })  # fmt: skip
            return number

    def _finalisable(self, s, row: Suggestion, version: int | None) -> tuple[str, str, int, str]:  # type: ignore[no-untyped-def]
        """(unit, kind, year, pattern) of a draft ready to be finalised, or FieldErrors naming
        everything it lacks."""
        if version is not None:
            self._check_version(row, version)
        if row.state != DRAFT:
            raise FieldErrors({"state": f"该{row.kind}已定稿，编号为 {row.number}"})
        doc = to_document(row)
        errors: dict[str, str] = {}
        for check in (check_complete, dm.check_final):
            try:
                check(doc)
            except FieldErrors as exc:
                errors = exc.errors | errors
        court = load_case(s, row.case_id).court_code
        pattern = pattern_for(s, row.issuer, row.kind, court)[0] if row.issuer else ""
        if row.issuer and not pattern:
            errors["pattern"] = (f"尚未设置{row.issuer}{row.kind}的编号格式，请管理员先设置"
                                 "（如 乌检民建〔{year}〕{n}号）")  # fmt: skip
        if errors:
            raise FieldErrors(errors)
        assert row.signed_on is not None
        return row.issuer, row.kind, row.signed_on.year, pattern

    @staticmethod
    def _check_version(row: Suggestion, version: int) -> None:
        if row.version != version:
            raise Conflict("该建议书已被他人修改，请刷新后重新编辑")

    # -- service and follow-up ------------------------------------------------------------------
    @guarded("suggestion.serve", via=Suggestion)
    def serve(self, suggestion_id: str, way: str, on: date | None, receiver: str) -> str:
        """Record the service (方式, date, receiver): the ``suggestion.reply`` clock (2 months)
        starts on that day and shows on the board. Returns the deadline's id."""
        with self._uow() as uow:
            s = uow.session
            row = load(s, suggestion_id)
            if row.state == DRAFT:
                raise FieldErrors({"state": f"{row.kind}尚未定稿编号，不能送达"})
            if row.state != FINAL:
                raise FieldErrors({"state": f"该{row.kind}已于{row.served_on}送达"})
            errors = {}
            if way not in SERVICE_WAYS:
                errors["way"] = f"请选择送达方式（{'、'.join(SERVICE_WAYS)}）"
            if not clean_text(receiver):
                errors["receiver"] = "请填写签收人（或宣告送达的到场人员）"
            elif len(clean_text(receiver)) > 100:
                errors["receiver"] = "签收人过长（最多100个字）"
            if errors:
                raise FieldErrors(errors)
            day = check_day(on, "送达日期", row.signed_on, "成文日期")
            ctx, case = load_context(uow), load_case(s, row.case_id)
            rule = ctx.rules[REPLY_RULE]
            clock = create_deadline(uow, ctx, case, rule, rule.trigger, day,
                                    subject=row.recipient)  # fmt: skip
            s.flush()  # the deadline row first: the suggestion refers to it
            write(uow, row, f"送达 {row.number}", {
                "state": SERVED, "served_way": way, "served_on": day,
                "served_receiver": clean_text(receiver), "reply_deadline_id": clock.id,
            })  # fmt: skip
            return clock.id.hex

    @guarded("suggestion.reply", via=Suggestion)
    def record_reply(self, suggestion_id: str, on: date | None, summary: str, adoption: str,
                     measures: str = "") -> None:  # fmt: skip
        """The recipient's written reply: its clock is met (late when after its last day)."""
        with self._uow() as uow:
            s = uow.session
            row = load(s, suggestion_id)
            if row.state in (DRAFT, FINAL):
                raise FieldErrors({"state": f"{row.kind}尚未送达，不能登记回复"})
            if row.state == REPLIED:
                raise FieldErrors({"state": f"已登记{row.replied_on}的回复"})
            errors = {}
            if not clean_text(summary):
                errors["summary"] = "请填写回复内容摘要"
            if adoption not in ADOPTIONS:
                errors["adoption"] = f"请选择采纳情况（{'、'.join(ADOPTIONS)}）"
            if errors:
                raise FieldErrors(errors)
            day = check_day(on, "回复日期", row.served_on, "送达日期")
            clock = s.get(Deadline, row.reply_deadline_id) if row.reply_deadline_id else None
            if clock is not None and clock.status == OPEN:
                late = "（逾期）" if day > clock.due_on else ""
                close_deadline(uow, clock, MET, day, f"已收到书面回复{late}")
            write(uow, row, f"回复 {row.number}", {
                "state": REPLIED, "replied_on": day, "reply_summary": clean_text(summary),
                "adoption": adoption, "measures": clean_text(measures),
            })  # fmt: skip

    @guarded("suggestion.reply", via=Suggestion)
    def remind(self, suggestion_id: str, on: date | None, note: str = "") -> str:
        """催办: a reminder sent to a recipient that has not replied."""
        with self._uow() as uow:
            row = load(uow.session, suggestion_id)
            if row.state != SERVED:
                why = "已回复，无需催办" if row.state == REPLIED else "尚未送达，不能催办"
                raise FieldErrors({"state": f"该{row.kind}{why}"})
            day = check_day(on, "催办日期", row.served_on, "送达日期")
            return self._entry(uow, row, REMINDER, day, clean_text(note))

    @guarded("suggestion.reply", via=Suggestion)
    def revisit(self, suggestion_id: str, on: date | None, note: str) -> str:
        """回访: a visit to see how the suggestion is carried out (after service)."""
        with self._uow() as uow:
            row = load(uow.session, suggestion_id)
            if row.state not in (SERVED, REPLIED):
                raise FieldErrors({"state": f"该{row.kind}尚未送达，不能登记回访"})
            if not clean_text(note):
                raise FieldErrors({"note": "请写明回访情况"})
            day = check_day(on, "回访日期", row.served_on, "送达日期")
            return self._entry(uow, row, REVISIT, day, clean_text(note))

    def _entry(self, uow: UnitOfWork, row: Suggestion, kind: str, day: date, note: str) -> str:
        entry = SuggestionEntry(id=uuid.uuid4(), kind=kind, occurred_on=day, note=note,
                                created_at=audit.utcnow(), created_by=self.actor)  # fmt: skip
        row.entries.append(entry)
        row.updated_at = entry.created_at
        uow.session.flush()
        audit_row(uow, row, "update", f"{kind} {row.number}",
                  {kind: (None, f"{day} {note}".strip())})  # fmt: skip
        uow.commit()
        return entry.id.hex
