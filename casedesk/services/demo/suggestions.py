"""建议书 in the demo data, as :class:`~casedesk.services.suggestions.SuggestionService` records
them: a judicial suggestion after some closed cases, a procuratorial one on supervision cases —
drafted from the case with the default wording, numbered per unit, kind and year, served (the
two-month reply clock linked to the document, no bare timeline entry), and replied to, late, or
not yet. The counters (and the procuratorates' number patterns) are queued once at the end, so
that the next number the app gives follows the demo's last one."""

from __future__ import annotations

import json
import random
from datetime import date

from casedesk.domain import documents as dm
from casedesk.domain.doc_templates import DEFAULT_WORDING, draft_body
from casedesk.services.demo.deadlines import CaseFacts
from casedesk.services.demo.measure_rows import MeasureRows

_WAYS = ("直接送达", "直接送达", "邮寄送达", "宣告送达")
_ADOPTION = (("采纳", 0.7), ("部分采纳", 0.22), ("未采纳", 0.08))
_MEASURES = ("已制定专项整改方案并落实", "已开展专项检查并完善制度", "已对相关人员进行培训")
_ITEMS = {
    dm.JUDICIAL: ("加强对相关领域的日常监管，定期开展专项检查",
                  "完善内部管理制度，明确责任分工，堵塞管理漏洞"),
    dm.PROCURATORIAL: ("依法纠正上述问题，并对相关人员进行教育",
                       "建立健全长效机制，防止类似问题再次发生"),
}  # fmt: skip
_FACTS = {
    dm.JUDICIAL: ("审理中查明，相关单位在合同管理、资金监管等方面存在薄弱环节，导致纠纷多发。",),
    dm.PROCURATORIAL: ("经调阅卷宗、询问相关人员查明，该院在审理中存在程序不规范的情形。",
                       "上述情形违反了法定程序，影响当事人的诉讼权利。"),
}  # fmt: skip


class SuggestionMaker(MeasureRows):
    """Queues the 建议书 of a case and, at the end, the numbering counters."""

    def suggestion(self, case: CaseFacts, kind: str, start: int, recipient: str,
                   subtype: str = "") -> None:  # fmt: skip
        """A suggestion served on ``start`` (an ordinal day) to ``recipient``."""
        if start > self.today:
            return
        # the reply day draws from the shared stream as the demo always has; the rest from the
        # case's own, so that adding documents left the other demo data as it was
        rng, iso = random.Random(f"{case.id}建议书"), self.iso
        organs = self.organs(case.court)
        issuer = organs.court if kind == dm.JUDICIAL else organs.procuratorate
        subtype = subtype or ("个案" if kind == dm.JUDICIAL else "纠正违法检察建议")
        signed = start - rng.randint(1, 5)
        year = date.fromordinal(signed).year
        counters = self.__dict__.setdefault("_suggestion_counters", {})
        seq = counters[issuer, kind, year] = counters.get((issuer, kind, year), 0) + 1
        if kind == dm.JUDICIAL:
            pattern = dm.DEFAULT_PATTERNS[kind].replace("{court}", case.court)
        else:
            pattern = f"{organs.abbr}检民建〔{{year}}〕{{n}}号"
            self.__dict__.setdefault("_suggestion_patterns", {})[issuer, kind] = pattern
        subject = f"{case.cause}案件中发现的问题" if case.cause else "案件中发现的问题"
        values = {"案号": case.number, "案由": case.cause, "当事人": "、".join(
            dict.fromkeys(s[1] for _r, s in case.subjects)), "发文单位": issuer,
            "主送单位": recipient, "事由": subject}  # fmt: skip
        body = draft_body(kind, DEFAULT_WORDING[kind], values).blocks
        blocks = _filled(body, kind)
        deadline_id = self.new_id()
        end = self._reply_day(start)  # the shared stream
        stamp = self.stamp_on(signed)
        self.add(case.id, self.rules["suggestion.reply"], "suggestion_served", start,
                 self.stamp_on(start), end=end, note="已收到书面回复" if end else "",
                 subject=recipient, row_id=deadline_id)  # fmt: skip
        adoption = ""
        if end is not None:
            roll, adoption = rng.random(), "采纳"
            for word, share in _ADOPTION:
                if roll < share:
                    adoption = word
                    break
                roll -= share
        suggestion_id = self.new_id()
        self.rows["suggestion"].append((
            suggestion_id, case.id, kind, subtype, issuer, subject, recipient,
            json.dumps([{"kind": b.kind, "text": b.text} for b in blocks], ensure_ascii=False),
            "[]", "[]", "[]", "", iso(signed),
            "已回复" if end else "已送达", year, seq, dm.format_number(pattern, year, seq),
            rng.choice(_WAYS), iso(start), recipient, deadline_id,
            iso(end) if end else None, "收悉并已按建议整改" if end else "", adoption,
            rng.choice(_MEASURES) if end else "", self.actor, stamp,
            self.updated(stamp, end or start), 1,
        ))  # fmt: skip
        self.audit(case, stamp, "suggestion", suggestion_id, "新建草稿", {
            "kind": kind, "subtype": subtype, "issuer": issuer, "recipient": recipient,
        })  # fmt: skip

    def _reply_day(self, start: int) -> int | None:
        """A reply mostly within the two months, some late, some not yet (recent ones)."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.2 and start >= self.today - 240:
            return None
        end = start + (rng.randint(63, 100) if roll > 0.9 else rng.randint(15, 58))
        return end if end <= self.today else None

    def suggestion_rows_at_end(self, now: str) -> None:
        """The counters (last number per unit, kind and year) and the procuratorates' patterns."""
        counters = self.__dict__.get("_suggestion_counters", {})
        self.rows["suggestion_counter"].extend(
            (unit, kind, year, last) for (unit, kind, year), last in counters.items()
        )
        patterns = self.__dict__.get("_suggestion_patterns", {})
        self.rows["suggestion_pattern"].extend(
            (unit, kind, pattern, now, self.actor) for (unit, kind), pattern in patterns.items()
        )


def _filled(blocks: tuple[dm.Block, ...], kind: str) -> tuple[dm.Block, ...]:
    """The draft's empty paragraphs and items written as a clerk would."""
    items = iter(_ITEMS.get(kind, _ITEMS[dm.JUDICIAL]))
    facts = iter(_FACTS.get(kind, _FACTS[dm.JUDICIAL]))
    out = []
    for b in blocks:
        if b.kind == dm.ITEM and not b.text:
            out.append(dm.Block(dm.ITEM, next(items)))
            out.extend(dm.Block(dm.ITEM, t) for t in items)
        elif b.kind == dm.PARAGRAPH and not b.text:
            out.append(dm.Block(dm.PARAGRAPH, next(facts, "经查，情况属实。")))
        else:
            out.append(b)
    return tuple(out)
