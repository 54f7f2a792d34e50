"""References from a compliance case, a credit listing or a suggestion document to its clocks:
positions in the line's ``deadlines`` (docs/interchange.md §3.8–3.10), read with the record and
resolved once the line's deadlines are read."""

from __future__ import annotations

from dataclasses import dataclass

from casedesk.services.interchange.checks import FieldReader, is_int, join
from casedesk.services.interchange.format import DeadlineRecord
from casedesk.services.interchange.measure_format import Row


@dataclass(slots=True)
class _Ref:
    clocks: dict[str, DeadlineRecord]  # the record's clocks: column → deadline
    where: str
    position: int
    column: str
    rule_id: str
    owner: Row | None  # the compliance case the deadline must be linked to


class ClockRefs:
    """The clock references of one line."""

    def __init__(self, r: FieldReader):
        self.r = r
        self.pending: list[_Ref] = []

    def read(
        self,
        obj: dict,
        path: str,
        clocks: dict[str, tuple[str, str]],
        owner: Row | None = None,
    ) -> dict[str, DeadlineRecord]:
        """Read the references ``clocks`` names (file key → (column, rule)); returns the dict
        the record keeps, filled by :meth:`resolve`."""
        found: dict[str, DeadlineRecord] = {}
        for key, (column, rule_id) in clocks.items():
            value, where = obj.get(key), join(path, key)
            if value is None:
                continue
            if not is_int(value) or value < 0:
                self.r.problem(where, "应为期限在 deadlines 中的序号（从 0 起）或 null")
                continue
            self.pending.append(_Ref(found, where, value, column, rule_id, owner))
        return found

    def drop(self, clocks: dict[str, DeadlineRecord]) -> None:
        """Forget the references of a record refused for problems of its own."""
        self.pending = [ref for ref in self.pending if ref.clocks is not clocks]

    def resolve(self, positions: dict[int, DeadlineRecord], count: int | None) -> None:
        """Point each reference at its deadline record (``count``: the number of entries of the
        line's ``deadlines``, None when it has none)."""
        rules = self.r.ctx.rule_context.rules
        used: dict[int, str] = {}
        for ref in self.pending:
            where, at = ref.where, ref.position
            if count is None or at >= count:
                self.r.problem(where, f"deadlines 中没有序号为 {at} 的期限")
                continue
            deadline = positions.get(at)
            if deadline is None:
                continue  # that deadline has problems of its own
            wanted = rules[ref.rule_id].name if ref.rule_id in rules else ref.rule_id
            if deadline.rule.id != ref.rule_id:
                self.r.problem(where, f"deadlines[{at}] 是“{deadline.rule.name}”，应为“{wanted}”")
            elif ref.owner is not None and (
                deadline.link is None or deadline.link[1] is not ref.owner
            ):
                self.r.problem(where, f"deadlines[{at}] 不是本合规考察的期限（其 compliance_case "
                                      f"应为 {ref.owner.id.hex}）")  # fmt: skip
            elif at in used:
                self.r.problem(where, f"deadlines[{at}] 已是 {used[at]} 所指的期限")
            else:
                used[at] = where
                ref.clocks[ref.column] = deadline
