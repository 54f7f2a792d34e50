"""挂案 in the demo data: criminal cases against an enterprise that stayed at 立案侦查 or 审查逮捕
past the thresholds of the 2017 规定 第25条 (law.md §9) — no counted measure and two years since
filing, or a year since the last measure ended or ran out — some of them put under supervision
(挂牌督办), and cases that hung for years before they moved on, closed off (销号) on that day.
"""

from __future__ import annotations

from casedesk.domain.measures import STALLED_COUNTED_KINDS
from casedesk.services.demo.deadlines import CaseFacts
from casedesk.services.demo.measure_rows import MeasureRows, Taken
from casedesk.services.demo.measure_words import SUPERVISION_INSTRUCTIONS

#: Stages at which an open case counts as hanging (not yet transferred, dropped or withdrawn).
EARLY_STAGES = frozenset({"立案侦查", "审查逮捕"})
#: Chance that a flagged open case is under supervision.
SUPERVISED_SHARE = 0.5
#: Stage entry that moved a hung case on → (outcome, document, its word, note of the 销号).
_MOVED = {
    "移送审查起诉": (
        "移送审查起诉", "起诉意见书", "诉", "经挂牌督办，已侦查终结移送审查起诉，予以销号",
    ),
    "撤销案件": (
        "撤案", "撤销案件决定书", "撤案", "经挂牌督办，已依法撤销案件并解除强制措施，予以销号",
    ),
}  # fmt: skip
Flag = tuple[int, str]  # (first day flagged, the rule that fired)


class StalledMaker(MeasureRows):
    """Flags 挂案 as the ledger would and queues their supervision records."""

    def stalled(self, case: CaseFacts, chain: list[Taken]) -> None:
        if case.family != "刑事" or not case.enterprise:
            return
        rng, today = self.rng, self.today
        counted = [m for m in chain if m.kind in STALLED_COUNTED_KINDS]
        if case.cleared:
            moved = next(((d, n) for d, _s, n in case.events if n in _MOVED), None)
            flag = self.flag(case, counted, moved[0]) if moved else None
            if moved is None or flag is None or flag[0] > moved[0] - 40:
                return
            start = flag[0] + 5 + int(rng.random() * (moved[0] - 35 - flag[0]))
            self._supervise(case, flag, start, moved)
        elif case.closed is None and case.events[-1][1] in EARLY_STAGES:
            flag = self.flag(case, counted, today)
            if flag is not None and rng.random() < SUPERVISED_SHARE:
                start = min(flag[0] + 10 + int(rng.random() * max(today - flag[0] - 10, 1)), today)
                self._supervise(case, flag, start, None)

    def flag(self, case: CaseFacts, counted: list[Taken], as_of: int) -> Flag | None:
        """Whether the case counts as 挂案 on ``as_of``, from when and by which threshold."""
        taken = [m for m in counted if m.decided <= as_of]
        if not taken:
            due = self.due(self.rules["stalled.no_measure"], case.accepted)[0]
            return (due + 1, "stalled.no_measure") if as_of > due else None
        since = 0
        for m in taken:
            end = m.ended if m.ended is not None and m.ended <= as_of else None
            if end is None and m.term_end is not None and m.term_end < as_of:
                end = m.term_end  # ran out without being lifted
            if end is None:
                return None  # a measure still in force
            since = max(since, end)
        due = self.due(self.rules["stalled.after_measure"], since)[0]
        return (due + 1, "stalled.after_measure") if as_of > due else None

    def _supervise(self, case: CaseFacts, flag: Flag, start: int,
                   moved: tuple[int, str] | None) -> None:  # fmt: skip
        rng, organs, iso = self.rng, self.organs(case.court), self.iso
        roll = rng.random()
        supervising = (
            organs.upper_procuratorate
            if roll < 0.6
            else "新疆维吾尔自治区人民检察院"
            if roll < 0.8
            else organs.procuratorate
        )
        due = start + (60, 90, 180)[int(rng.random() * 3)]
        instructions = SUPERVISION_INSTRUCTIONS[int(rng.random() * len(SUPERVISION_INSTRUCTIONS))]
        closed, outcome, document, note = None, "", "", ""
        if moved is not None:
            closed = moved[0]
            outcome, title, word, note = _MOVED[moved[1]]
            document = f"{title} {self.document(case, '公安机关', word, closed)}"
        supervision_id = self.new_id()
        created = self.stamp_on(start)
        self.rows["stalled_supervision"].append((
            supervision_id, case.id, flag[1], supervising, organs.police, iso(start), iso(due),
            instructions, iso(closed) if closed else None, outcome, document, note, self.actor,
            created, self.updated(created, closed), 1,
        ))  # fmt: skip
        self.audit(case, created, "stalled_supervision", supervision_id, "挂牌督办", {
            "threshold": flag[1], "supervising_unit": supervising,
            "responsible_unit": organs.police, "started_on": iso(start), "due_on": iso(due),
            "instructions": instructions,
        })  # fmt: skip
