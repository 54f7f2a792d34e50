"""What the demo compulsory measures share (see :mod:`casedesk.services.demo.measures`): the
measures while they are built (:class:`Held`, :class:`Taken`), the organs of the case's area,
document numbers, and the rows and audit record of each measure once built."""

from __future__ import annotations

import json
from datetime import date

from casedesk.services.demo.deadlines import CaseFacts, DeadlineMaker
from casedesk.services.demo.measure_words import Organs, organs_of
from casedesk.services.demo.subjects import Subject

_NUMERALS = (
    "",
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
    "十六",
    "十七",
    "十八",
    "十九",
    "二十",
)


class Held:
    """A property measure while it is built (values are settled once the case's are known)."""

    __slots__ = (
        "account",
        "case_id",
        "changed",
        "created",
        "description",
        "document",
        "id",
        "kind",
        "live_use",
        "notes",
        "object_kind",
        "organ",
        "organ_kind",
        "owner",
        "partial",
        "release_document",
        "release_reason",
        "released_on",
        "renewals",
        "rule_id",
        "start",
        "subject",
        "term_end",
        "term_spec",
        "unrelated_on",
        "value",
    )  # fmt: skip

    def __init__(self, **values: object):
        for name in self.__slots__:
            setattr(self, name, values.get(name))
        self.renewals = []
        self.live_use = self.live_use or ""
        self.notes = self.notes or ""

    def in_force(self, today: int) -> bool:
        """Not released and, where it has a term, not lapsed (as of ``today``)."""
        return self.released_on is None and (self.term_end is None or self.term_end >= today)


class Taken:
    """A personal measure while it is built."""

    __slots__ = (
        "case_id", "changed", "changed_to", "created", "decided", "deposit", "designated",
        "document", "end_document", "end_reason", "ended", "event", "executed_at", "guarantor",
        "id", "kind", "notes", "organ", "organ_kind", "person", "residence", "term_end",
    )  # fmt: skip

    def __init__(self, **values: object):
        for name in self.__slots__:
            setattr(self, name, values.get(name))
        for name in ("end_document", "end_reason", "guarantor", "notes", "residence"):
            setattr(self, name, getattr(self, name) or "")


class MeasureRows(DeadlineMaker):
    """Organs, document numbers and the rows of finished measures."""

    _organs: dict[str, Organs]

    def organs(self, court: str) -> Organs:
        cache = self.__dict__.setdefault("_organs", {})
        found = cache.get(court)
        if found is None:
            found = cache[court] = organs_of(court)
        return found

    def ruling_suffix(self) -> str:
        """之一, 之二 …: the next ruling of the case being made (see :meth:`start_case`)."""
        self._rulings = getattr(self, "_rulings", 0) + 1
        n = self._rulings
        return _NUMERALS[n] if n < len(_NUMERALS) else str(n)

    def start_case(self) -> None:
        self._rulings = 0

    def document(self, case: CaseFacts, organ_kind: str, word: str, day: int) -> str:
        """A document number in the organ's form: 乌天公（刑）拘字〔2024〕317号, 乌天检刑批〔2024〕
        41号; a court's ruling is numbered after the case (（2024）新0102执1234号之一)."""
        year, n = date.fromordinal(day).year, int(self.rng.random() * 1800) + 1
        abbr = self.organs(case.court).abbr
        if organ_kind == "公安机关":
            return f"{abbr}公（刑）{word}字〔{year}〕{n}号"
        if organ_kind == "人民检察院":
            return f"{abbr}检{word}〔{year}〕{n}号"
        return f"{case.number}之{word}"

    def audit(self, case: CaseFacts, stamp: str, entity: str, entity_id: str, label: str,
              values: dict[str, object]) -> None:  # fmt: skip
        """The create record the measure service writes: each field set, as [old, new]."""
        changes = {k: [None, v] for k, v in values.items() if v is not None and v != ""}
        dashed = (f"{entity_id[:8]}-{entity_id[8:12]}-{entity_id[12:16]}-{entity_id[16:20]}-"
                  f"{entity_id[20:]}")  # fmt: skip
        self.rows["audit_record"].append(
            (stamp, self.actor, "create", entity, dashed, case.id, label,
             json.dumps(changes, ensure_ascii=False))
        )  # fmt: skip

    def release_document(self, case: CaseFacts, m: Held, day: int) -> str:
        if m.organ_kind == "人民法院":
            return self.document(case, m.organ_kind, self.ruling_suffix(), day)
        word = {"冻结": "解冻", "查封": "解封"}.get(m.kind, "发还")
        return self.document(case, m.organ_kind, word, day)

    def updated(self, created: str, changed: int | None) -> str:
        return max(created, self.stamp_on(changed)) if changed else created

    # -- rows -------------------------------------------------------------------------------------
    def property_rows(self, case: CaseFacts, m: Held) -> None:
        """Queue a property measure with its renewals and releases (values now settled)."""
        iso, rows = self.iso, self.rows
        owner: Subject = m.owner
        person = owner[5]
        released = 0
        if m.partial is not None and m.value and m.value >= 10_000:
            day, fraction, reason = m.partial
            released = max(int(m.value * fraction) // 100 * 100, 100)
            rows["property_release"].append((
                self.new_id(), m.id, iso(day), 0, released, reason,
                self.release_document(case, m, day), self.stamp_on(day), self.actor,
            ))  # fmt: skip
        if m.released_on is not None:
            rows["property_release"].append((
                self.new_id(), m.id, iso(m.released_on), 1,
                m.value - released if m.value else None, m.release_reason, m.release_document,
                self.stamp_on(m.released_on), self.actor,
            ))  # fmt: skip
        for seq, (decided, document, start, end) in enumerate(m.renewals, start=1):
            rows["property_renewal"].append((
                self.new_id(), m.id, seq, iso(decided), m.organ, document, m.term_spec,
                iso(start), iso(end), self.stamp_on(decided), self.actor,
            ))  # fmt: skip
        term_end = iso(m.term_end) if m.term_end is not None else None
        rows["property_measure"].append((
            m.id, case.id, m.kind, m.object_kind, m.description, None if person else owner[0],
            owner[0] if person else None, owner[1], m.value, m.account, m.organ, m.organ_kind,
            m.document, iso(m.start), m.rule_id, m.term_spec, term_end, int(bool(m.live_use)),
            m.live_use, iso(m.unrelated_on) if m.unrelated_on else None, released,
            iso(m.released_on) if m.released_on else None, m.notes, self.actor, m.created,
            self.updated(m.created, m.changed), 1,
        ))  # fmt: skip
        self.audit(case, m.created, "property_measure", m.id, f"{m.kind}：{m.description}"[:200], {
            "kind": m.kind, "object_kind": m.object_kind, "description": m.description,
            "owner_name": owner[1], "value_fen": m.value, "organ": m.organ,
            "document_no": m.document, "start_on": iso(m.start), "term_end": term_end,
        })  # fmt: skip

    def personal_rows(self, case: CaseFacts, chain: list[Taken]) -> None:
        """Queue personal measures, each after the one it was changed into (foreign keys)."""
        iso = self.iso
        for m in reversed(chain):
            self.rows["personal_measure"].append((
                m.id, case.id, m.person[0], m.person[1], m.kind, m.organ, m.organ_kind,
                m.document, iso(m.decided), iso(m.decided) if m.executed_at else None,
                m.executed_at, m.guarantor, m.deposit,
                int(bool(m.designated)), m.residence,
                iso(m.term_end) if m.term_end is not None else None,
                iso(m.ended) if m.ended is not None else None, m.end_reason, m.end_document,
                m.changed_to, m.notes, self.actor, m.created, self.updated(m.created, m.changed),
                1,
            ))  # fmt: skip
            self.audit(case, m.created, "personal_measure", m.id, f"{m.kind}：{m.person[1]}", {
                "kind": m.kind, "person_name": m.person[1], "organ": m.organ,
                "document_no": m.document, "decided_on": iso(m.decided),
                "guarantor": m.guarantor, "deposit_fen": m.deposit,
            })  # fmt: skip
