"""Property measures (查封/扣押/冻结/扣留) on a case: recording, 续行, release, the finding that the
property is unrelated to the case (3-day release clock), and the 超标的 check. Every change is
one unit of work with its audit record; clocks are deadlines linked to the measure."""

from __future__ import annotations

import uuid
from datetime import date

from casedesk.domain.amounts import format_amount
from casedesk.domain.deadlines import CANCELLED, MET, OPEN
from casedesk.domain.drafts import clean_text
from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import (
    REVIEW_RULE,
    UNRELATED_RULE,
    PropertyMeasureDraft,
    ReleaseDraft,
    RenewalDraft,
    check_release,
    check_renewal,
    check_term,
    lapses,
)
from casedesk.services.base import ANY_SCOPE, Service, apply, diff, guarded, parse_id
from casedesk.services.cases import load_case
from casedesk.services.deadline_sync import (
    close_deadline,
    create_deadline,
    load_context,
)
from casedesk.services.errors import Conflict, NotFound, ServiceError
from casedesk.services.lists import read_scope
from casedesk.services.measure_dto import (
    PropertyMeasureView,
    SeizedByCase,
    SeizedByEnterprise,
    SeizureCheck,
)
from casedesk.services.measure_settings import read_settings
from casedesk.services.property_records import (
    audited,
    checked_values,
    clocks_of,
    day_until_today,
    recount_term,
    subject_of,
)
from casedesk.services.property_views import (
    load_views,
    measure_label,
    seizure_figures,
    sort_key,
)
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import audit, property_lists
from casedesk.store.measure_models import PropertyRelease, PropertyRenewal
from casedesk.store.models import Case, PropertyMeasure


class PropertyMeasureService(Service):
    # -- reading ----------------------------------------------------------------------------------
    @guarded("case.read")
    def for_case(self, case_id: str, as_of: date | None = None) -> list[PropertyMeasureView]:
        """The case's property measures, in force first, then by start date."""
        with self._read() as s:
            case = load_case(s, case_id)
            views = load_views(s, as_of or date.today(), PropertyMeasure.case_id == case.id)
        return sorted(views, key=sort_key)

    @guarded("case.read", via=PropertyMeasure)
    def get(self, measure_id: str, as_of: date | None = None) -> PropertyMeasureView:
        with self._read() as s:
            mid = parse_id(measure_id, "财产强制措施")
            views = load_views(s, as_of or date.today(), PropertyMeasure.id == mid)
        if not views:
            raise NotFound("找不到该财产强制措施，或其所属案件已删除")
        return views[0]

    @guarded("case.read", via=ANY_SCOPE)
    def for_enterprise(
        self, enterprise_id: str, as_of: date | None = None
    ) -> list[PropertyMeasureView]:
        """Everything seized from the enterprise across its cases (in force first)."""
        with self._read() as s:
            eid = parse_id(enterprise_id, "企业")
            owned = PropertyMeasure.owner_enterprise_id == eid
            views = load_views(s, as_of or date.today(), owned)
        return sorted(views, key=sort_key)

    # -- recording --------------------------------------------------------------------------------
    def _load(self, uow: UnitOfWork, measure_id: str) -> tuple[PropertyMeasure, Case]:
        m = uow.session.get(PropertyMeasure, parse_id(measure_id, "财产强制措施"))
        if m is None:
            raise NotFound("找不到该财产强制措施")
        return m, load_case(uow.session, m.case_id)

    @guarded("measure.record")
    def add(self, case_id: str, draft: PropertyMeasureDraft) -> str:
        """Record a measure; starts its term (or review reminder) clock. Returns its id."""
        with self._uow() as uow:
            s = uow.session
            case = load_case(s, case_id)
            ctx = load_context(uow)
            values, rule = checked_values(s, ctx, case, draft)
            now = audit.utcnow()
            m = PropertyMeasure(
                id=uuid.uuid4(), case_id=case.id, released_fen=0, created_at=now,
                updated_at=now, created_by=self.actor, **values,
            )  # fmt: skip
            s.add(m)
            s.flush()
            clock = create_deadline(
                uow, ctx, case, rule, rule.trigger, m.start_on, period_spec=m.term_spec,
                subject=subject_of(m), property_measure_id=m.id,
            )  # fmt: skip
            m.term_end = clock.due_on if lapses(rule.id) else None
            changes = {k: (None, v) for k, v in audited(values).items() if v not in (None, "")}
            changes["term_rule_id"] = (None, rule.name)
            changes["term_end"] = (None, m.term_end)
            uow.audit("create", "property_measure", m.id, measure_label(m), changes, case.id)
            uow.commit()
            return m.id.hex

    @guarded("measure.record", via=PropertyMeasure)
    def update(self, measure_id: str, version: int, draft: PropertyMeasureDraft) -> None:
        """Correct the measure's particulars (description, value, 活封活扣 …).

        What decides its clock (kind, object, deciding organ's kind, start, term) may change
        only while nothing was done on the measure (no 续行, review, release or finding of
        unrelatedness): the clock is then counted again. After that the record is history and a
        wrong one is released and recorded anew."""
        with self._uow() as uow:
            s = uow.session
            m, case = self._load(uow, measure_id)
            if m.version != version:
                raise Conflict("该措施已被他人修改，请刷新后重新编辑")
            ctx = load_context(uow)
            values, rule = checked_values(s, ctx, case, draft)
            if draft.value_fen is not None and draft.value_fen < m.released_fen:
                released = format_amount(m.released_fen)
                raise FieldErrors({"value_fen": f"价值不能小于已部分解除的价值（{released}元）"})
            changes = diff(m, values)
            if not changes:
                return
            clocks = clocks_of(s, m.id)
            if changes.keys() & {"term_rule_id", "start_on", "term_spec"}:
                term_end = recount_term(uow, ctx, m, rule, values, clocks)
                changes |= diff(m, {"term_end": term_end})
            apply(m, changes)
            m.updated_at = audit.utcnow()
            for row in clocks:  # the board names the measure as it now reads
                if row.status == OPEN and row.subject != subject_of(m):
                    uow.audit("update", "deadline", row.id, row.subject,
                              {"subject": (row.subject, subject_of(m))}, case.id)  # fmt: skip
                    row.subject = subject_of(m)
            if "term_rule_id" in changes:
                old = ctx.rules.get(changes["term_rule_id"][0])
                changes["term_rule_id"] = (old.name if old else changes["term_rule_id"][0],
                                           rule.name)  # fmt: skip
            uow.audit("update", "property_measure", m.id, measure_label(m), audited(changes),
                      case.id)  # fmt: skip
            uow.commit()

    @guarded("measure.record", via=PropertyMeasure)
    def renew(self, measure_id: str, draft: RenewalDraft) -> None:
        """续行: one more term from the current term's last day; refused after it lapsed."""
        with self._uow() as uow:
            s = uow.session
            m, case = self._load(uow, measure_id)
            if m.released_on is not None:
                raise ServiceError(f"该措施已于 {m.released_on} 全部解除，不能续行")
            if m.unrelated_on is not None:
                raise ServiceError(
                    f"该财产已于 {m.unrelated_on} 查明与案件无关，应当解除，不能续行"
                )
            ctx = load_context(uow)
            rule = ctx.rules[m.term_rule_id or ""]
            check_renewal(draft, m.term_end, lapses(rule.id), date.today())
            assert draft.decided_on is not None and m.term_end is not None
            if draft.decided_on < m.start_on:
                raise FieldErrors({"decided_on": f"续行决定日期不能早于措施开始日期 {m.start_on}"})
            term = check_term(draft.term_spec, rule.period, rule.id)
            term_clocks = [c for c in clocks_of(s, m.id)
                           if c.rule_id == rule.id and c.status != CANCELLED]  # fmt: skip
            for row in term_clocks:
                if row.status == OPEN:
                    close_deadline(uow, row, MET, draft.decided_on, "已续行")
            old_end = m.term_end
            clock = create_deadline(
                uow, ctx, case, rule, rule.trigger, old_end, period_spec=term,
                subject=subject_of(m), round_=len(term_clocks) + 1, property_measure_id=m.id,
            )  # fmt: skip
            now = audit.utcnow()
            renewal = PropertyRenewal(
                id=uuid.uuid4(), seq=len(m.renewals) + 1, decided_on=draft.decided_on,
                organ=clean_text(draft.organ), document_no=clean_text(draft.document_no),
                term_spec=term, start_on=old_end, term_end=clock.due_on, created_at=now,
                created_by=self.actor,
            )  # fmt: skip
            m.renewals.append(renewal)
            m.term_end, m.updated_at = clock.due_on, now
            s.flush()
            uow.audit("create", "property_renewal", renewal.id,
                      f"{measure_label(m)} 第{renewal.seq}次续行",
                      {"decided_on": (None, renewal.decided_on), "term_spec": (None, term),
                       "start_on": (None, old_end), "term_end": (None, renewal.term_end),
                       "organ": (None, renewal.organ), "document_no": (None, renewal.document_no)},
                      case.id)  # fmt: skip
            uow.audit("update", "property_measure", m.id, measure_label(m),
                      {"term_end": (old_end, m.term_end)}, case.id)  # fmt: skip
            uow.commit()

    @guarded("measure.release", via=PropertyMeasure)
    def release(self, measure_id: str, draft: ReleaseDraft) -> None:
        """Release in full (ends the measure and its clocks) or in part (of its value)."""
        with self._uow() as uow:
            s = uow.session
            m, case = self._load(uow, measure_id)
            if m.released_on is not None:
                raise ServiceError(f"该措施已于 {m.released_on} 全部解除")
            remaining = None if m.value_fen is None else m.value_fen - m.released_fen
            check_release(draft, m.start_on, remaining, date.today())
            assert draft.released_on is not None
            now = audit.utcnow()
            release = PropertyRelease(
                id=uuid.uuid4(), released_on=draft.released_on, full=draft.full,
                value_fen=remaining if draft.full else draft.value_fen,
                reason=clean_text(draft.reason), document_no=clean_text(draft.document_no),
                created_at=now, created_by=self.actor,
            )  # fmt: skip
            m.releases.append(release)
            if draft.full:
                changes = {"released_on": (None, draft.released_on)}
                m.released_on = draft.released_on
                for row in clocks_of(s, m.id):
                    if row.status == OPEN:
                        close_deadline(uow, row, MET, draft.released_on, "措施已解除")
            else:
                assert draft.value_fen is not None
                changes = {"released_fen": (m.released_fen, m.released_fen + draft.value_fen)}
                m.released_fen += draft.value_fen
            m.updated_at = now
            s.flush()
            label = f"{measure_label(m)} {'全部解除' if draft.full else '部分解除'}"
            uow.audit("create", "property_release", release.id, label,
                      {"released_on": (None, release.released_on), "full": (None, release.full),
                       "value_fen": (None, release.value_fen), "reason": (None, release.reason),
                       "document_no": (None, release.document_no)}, case.id)  # fmt: skip
            uow.audit("update", "property_measure", m.id, measure_label(m), changes, case.id)
            uow.commit()

    @guarded("measure.record", via=PropertyMeasure)
    def mark_unrelated(self, measure_id: str, on: date | None, note: str = "") -> str:
        """经查明与案件无关 on ``on``: starts property.release_unrelated (3 days, 刑诉法 第145条).
        Returns the deadline id."""
        on = day_until_today("on", "查明与案件无关的日期", on)
        with self._uow() as uow:
            m, case = self._load(uow, measure_id)
            if m.released_on is not None:
                raise ServiceError(f"该措施已于 {m.released_on} 全部解除")
            if m.unrelated_on is not None:
                raise ServiceError(f"该财产已于 {m.unrelated_on} 查明与案件无关")
            if on < m.start_on:
                raise FieldErrors({"on": f"查明日期不能早于措施开始日期 {m.start_on}"})
            ctx = load_context(uow)
            rule = ctx.rules[UNRELATED_RULE]
            m.unrelated_on, m.updated_at = on, audit.utcnow()
            clock = create_deadline(uow, ctx, case, rule, rule.trigger, on, subject=subject_of(m),
                                    property_measure_id=m.id)  # fmt: skip
            uow.audit("update", "property_measure", m.id, measure_label(m),
                      {"unrelated_on": (None, on), "note": (None, clean_text(note))},
                      case.id)  # fmt: skip
            uow.commit()
            return clock.id.hex

    @guarded("measure.record", via=PropertyMeasure)
    def record_review(self, measure_id: str, on: date | None, note: str = "") -> None:
        """A periodic review of a criminal seizure without statutory term was done on ``on``:
        the current review reminder is met and the next one starts from ``on``."""
        on = day_until_today("on", "复查日期", on)
        with self._uow() as uow:
            m, case = self._load(uow, measure_id)
            if m.term_rule_id != REVIEW_RULE:
                raise ServiceError("该措施有法定期限，期满前应续行或解除，无需定期复查")
            if m.released_on is not None:
                raise ServiceError(f"该措施已于 {m.released_on} 全部解除，无需复查")
            ctx = load_context(uow)
            rule = ctx.rules[REVIEW_RULE]
            reviews = [c for c in clocks_of(uow.session, m.id)
                       if c.rule_id == REVIEW_RULE and c.status != CANCELLED]  # fmt: skip
            since = max((c.start_on for c in reviews), default=m.start_on)
            if on < since:
                raise FieldErrors({"on": f"复查日期不能早于本轮复查期的起算日 {since}"})
            for row in reviews:
                if row.status == OPEN:
                    close_deadline(uow, row, MET, on, clean_text(note) or "已复查")
            create_deadline(uow, ctx, case, rule, rule.trigger, on, period_spec=m.term_spec,
                            subject=subject_of(m), round_=len(reviews) + 1,
                            property_measure_id=m.id)  # fmt: skip
            m.updated_at = audit.utcnow()
            uow.audit("update", "property_measure", m.id, measure_label(m),
                      {"reviewed_on": (None, on), "note": (None, clean_text(note))},
                      case.id)  # fmt: skip
            uow.commit()

    # -- 超标的 ------------------------------------------------------------------------------------
    @guarded("case.read")
    def seizure_check(self, case_id: str, as_of: date | None = None) -> SeizureCheck:
        """The case's 超标的 figures against the administrator's ratio."""
        as_of = as_of or date.today()
        with self._read() as s:
            case = load_case(s, case_id)
            seized, lapsed = property_lists.case_seizure(s, case.id, as_of)
            ratio = read_settings(s).overseizure_ratio
        return seizure_figures(
            case.id.hex, case.case_number, seized, case.amount_fen, case.costs_fen, ratio, lapsed
        )

    # -- lists ----------------------------------------------------------------------------------
    @guarded("case.read", via=ANY_SCOPE)
    def seized_by_case(self, as_of: date | None = None) -> list[SeizedByCase]:
        """Cases with property under seizure (in force or lapsed but not released), most value
        first."""
        with self._read() as s:
            rows = property_lists.seized_by_case(
                s, as_of or date.today(), read_scope(self.identity)
            )
        split = property_lists.split_names
        return [SeizedByCase(a, b, c, split(d), *rest) for a, b, c, d, *rest in rows]

    @guarded("case.read", via=ANY_SCOPE)
    def seized_by_enterprise(self, as_of: date | None = None) -> list[SeizedByEnterprise]:
        """Enterprises whose property is under seizure, across their cases, most value first."""
        with self._read() as s:
            rows = property_lists.seized_by_enterprise(
                s, as_of or date.today(), read_scope(self.identity)
            )
        return [SeizedByEnterprise(a, b, c or "", *rest) for a, b, c, *rest in rows]

    @guarded("case.read", via=ANY_SCOPE)
    def overseized(self, as_of: date | None = None) -> list[SeizureCheck]:
        """Every case flagged 超标的 (seized value in force above (claim + costs) × ratio), by
        excess, largest first."""
        with self._read() as s:
            ratio = read_settings(s).overseizure_ratio
            rows = property_lists.overseized_candidates(
                s, as_of or date.today(), float(ratio), read_scope(self.identity)
            )
        checks = [
            seizure_figures(
                r.case_id, r.case_number, r.seized_fen, r.claim_fen, r.costs_fen, ratio, r.lapsed
            )
            for r in rows
        ]
        return sorted((c for c in checks if c.over), key=lambda c: (-c.excess_fen, c.case_number))
