"""合规考察 in the demo data: a share of recent criminal cases of enterprises, each walked along
the state machine of :mod:`casedesk.domain.compliance` as far as its dates reach today — so the
list holds compliance cases in every state: under review, not applied, organisation formed,
plan under review, under examination (reports received, some late, some overdue), evaluated,
heard, decided (检察意见 awaiting its reply), closed, terminated. Their clocks are deadline rows
linked through ``compliance_clock``, computed with the real engine."""

from __future__ import annotations

import json

from casedesk.domain import compliance as cp
from casedesk.services.demo.deadlines import CaseFacts
from casedesk.services.demo.measure_rows import MeasureRows

#: Share of the criminal cases of enterprises filed in the last three years that have one (a
#: demo's share, high enough that even the first start's 2,000 cases show every state).
SHARE = 0.5
#: How far the compliance cases go, in turn, when their dates allow.
_STOPS = (
    cp.EXAMINING, cp.CLOSED, cp.REVIEWING, cp.DECIDED, cp.EVALUATED, cp.NOT_APPLIED,
    cp.PLAN_SUBMITTED, cp.HEARD, cp.ORG_FORMED, cp.TERMINATED, cp.APPLIED, cp.EXAMINING,
    cp.CLOSED,
)  # fmt: skip
#: States still on the way: such a compliance case began in the last months.
_UNDERWAY = frozenset({cp.REVIEWING, cp.APPLIED, cp.ORG_FORMED, cp.PLAN_SUBMITTED, cp.EXAMINING})
_ORDER = (cp.REVIEWING, cp.APPLIED, cp.ORG_FORMED, cp.PLAN_SUBMITTED, cp.EXAMINING,
          cp.EVALUATED, cp.HEARD, cp.DECIDED, cp.CLOSED)  # fmt: skip
_MEMBERS = (
    ("律师", "新疆天阳律师事务所"), ("注册会计师", "新疆华信会计师事务所"),
    ("税务师", "新疆正和税务师事务所"), ("行业专家", "自治区工商业联合会"),
    ("环保专家", "新疆环境保护科学研究院"),
)  # fmt: skip
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
_GIVEN = ("建国", "志强", "海燕", "文静", "晓东", "丽娜", "明", "伟", "芳", "军", "娟", "涛")
_REVISIONS = ("补充发票管理和资金审批制度", "明确合规负责人及其职责", "增加员工合规培训计划",
              "细化整改时间表")  # fmt: skip
_INSPECTIONS = ("现场检查财务制度执行情况", "抽查合同审批记录", "访谈合规负责人和财务人员")
_TERMINATIONS = ("企业撤回合规考察申请", "企业未按计划整改，经第三方组织评估终止考察")


class ComplianceMaker(MeasureRows):
    """Queues the compliance case of a criminal case of an enterprise."""

    def compliance(self, case: CaseFacts) -> None:
        rng, today = self.rng, self.today
        enterprises = [s for _r, s in case.subjects if not s[5]]
        # a first-instance case (审查起诉 and trial): compliance is decided before judgment
        if (case.type_code != "刑初" or not enterprises or case.accepted < today - 1100
                or rng.random() >= SHARE):  # fmt: skip
            return
        self._compliance_n = getattr(self, "_compliance_n", -1) + 1
        stop = _STOPS[self._compliance_n % len(_STOPS)]
        if stop in _UNDERWAY and case.closed is not None:  # the case is over: so is this
            stop = cp.CLOSED
        enterprise = enterprises[0]
        if stop in _UNDERWAY:  # begun in the last months, however old the case
            day = max(case.accepted + 20, today - 30 - int(rng.random() * 150))
        else:
            day = case.accepted + 20 + int(rng.random() * 60)
        if day > today - 5:
            return
        kind = rng.choice(cp.START_KINDS)
        applicant = {"企业申请": "企业法定代表人", "辩护人申请": "辩护律师",
                     "其他人员申请": "涉案企业员工"}.get(kind, "")  # fmt: skip
        c: dict[str, object] = {"state": cp.REVIEWING, "started_on": day, "start_kind": kind,
                                "applicant": applicant}  # fmt: skip
        entries: list[tuple[str, int, int | None, int | None, str]] = []
        members: list[tuple[str, str, str, int]] = []
        clocks: list[str] = []
        case_id, name = case.id, enterprise[1]

        def step(low: int, high: int) -> int | None:
            """The next step's day, or None when it would come after today."""
            nonlocal day
            nxt = day + low + int(rng.random() * (high - low))
            if nxt > today:
                return None
            day = nxt
            return day

        def clock(rule_id: str, start: int, spec: str, end: int | None, note: str = "") -> tuple:
            deadline_id = self.new_id()
            rule = self.rules[rule_id]
            due = self.add(case_id, rule, rule.trigger, start, self.stamp_on(start),
                           end=end, note=note, subject=name, period_spec=spec,
                           row_id=deadline_id)  # fmt: skip
            clocks.append(deadline_id)
            return deadline_id, due

        stop_at = _ORDER.index(stop) if stop in _ORDER else _ORDER.index(cp.EXAMINING)
        if stop == cp.NOT_APPLIED:
            if (on := step(10, 30)) is not None:
                c.update(state=cp.NOT_APPLIED, applied_on=on, ended_on=on,
                         end_reason="企业不能正常生产经营，不符合适用条件")  # fmt: skip
        elif stop_at >= 1 and (on := step(5, 20)) is not None:
            c.update(state=cp.APPLIED, applied_on=on, conditions=sorted(cp.CONDITIONS),
                     apply_document=self.document(case, "人民检察院", "合规", on))  # fmt: skip
            if stop_at >= 2 and (on := step(7, 20)) is not None:
                c.update(state=cp.ORG_FORMED, org_name=f"{self.organs(case.court).abbr}"
                         "涉案企业合规第三方监督评估组织", org_formed_on=on)  # fmt: skip
                for profession, unit in rng.sample(_MEMBERS, 3):
                    person = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
                    members.append((person, profession, unit, on))
                if stop_at >= 3 and (on := step(10, 30)) is not None:
                    c.update(state=cp.PLAN_SUBMITTED, plan_submitted_on=on,
                             plan_committed_on=on + 120 + int(rng.random() * 90))  # fmt: skip
                    if rng.random() < 0.5 and (rev := step(5, 15)) is not None:
                        entries.append(("修改意见", rev, None, None, rng.choice(_REVISIONS)))
                    if stop_at >= 4 and (on := step(5, 20)) is not None:
                        self._examine(case, c, entries, clocks, clock, on, stop, stop_at)
        if stop == cp.TERMINATED and c["state"] != cp.NOT_APPLIED:
            last = max([day, *(e[1] for e in entries)])
            if (on := last + 10 + int(rng.random() * 30)) <= today:
                c.update(state=cp.TERMINATED, ended_on=on, end_reason=rng.choice(_TERMINATIONS))
                self._cancel_open(clocks, on, "合规考察已终止")
                c.pop("report_deadline_id", None)
        self._rows(case, enterprise, c, members, entries, clocks)

    def _examine(self, case: CaseFacts, c: dict, entries: list, clocks: list[str],  # type: ignore[no-untyped-def]
                 clock, on: int, stop: str, stop_at: int) -> None:  # fmt: skip
        """Plan accepted on ``on``: the 考察期 with its reports, then the end of the case."""
        rng, today = self.rng, self.today
        months = rng.choice((3, 4, 6, 6, 6))
        interval = rng.choice(("1m", "1m", "2m"))
        c.update(state=cp.EXAMINING, plan_accepted_on=on, exam_start=on, exam_months=months,
                 report_interval=interval)  # fmt: skip
        going = stop_at > _ORDER.index(cp.EXAMINING) and stop != cp.TERMINATED
        exam_due = self.due(self.term(self.rules["compliance.exam"], f"{months}m"), on)[0]
        evaluated = exam_due + int(rng.random() * 10) if going else None
        if evaluated is not None and evaluated > today:
            evaluated = None
        exam_id, _due = clock(
            "compliance.exam",
            on,
            f"{months}m",
            evaluated,
            "第三方组织已出具合规考察书面报告" if evaluated else "",
        )
        c["exam_deadline_id"] = exam_id
        start, reports = on, 0
        while True:  # the reports, as the service chains them
            report_id, due = clock("compliance.report", start, interval, None)
            if due > exam_due:  # the last one is due on the last day of the 考察期 (re-queued)
                self.rows["deadline"].pop()
                clocks.pop()
                report_id, due = clock("compliance.report", start, f"{exam_due - start}d", None)
            received = due - 5 + int(rng.random() * 12)
            if received > today or (evaluated is not None and received > evaluated):
                row = self.rows["deadline"][-1]
                if evaluated is not None:  # no more reports once evaluated: cancelled
                    self.rows["deadline"][-1] = (
                        *row[:18],
                        "cancelled",
                        self.iso(evaluated),
                        "第三方组织已出具合规考察书面报告",
                        *row[21:],
                    )
                else:
                    c["report_deadline_id"] = report_id
                break
            row = self.rows["deadline"][-1]
            self.rows["deadline"][-1] = (*row[:18], "met", self.iso(received), "已收到定期书面报告",
                                         *row[21:])  # fmt: skip
            reports += 1
            entries.append(("定期报告", received, due, None, f"第{reports}期整改报告"))
            if rng.random() < 0.4:
                entries.append(("检查", min(received + 7, today), None, None,
                                rng.choice(_INSPECTIONS)))  # fmt: skip
            if due >= exam_due:
                break
            start = due
        if evaluated is None:
            return
        c.update(state=cp.EVALUATED, evaluated_on=evaluated,
                 result="合格" if rng.random() < 0.9 else "不合格")  # fmt: skip
        heard = evaluated + 5 + int(rng.random() * 15)
        if (stop_at >= _ORDER.index(cp.HEARD) and c["result"] == "合格" and rng.random() < 0.7
                and heard <= today):  # fmt: skip
            c.update(state=cp.HEARD, hearing_on=heard,
                     hearing_participants="第三方组织成员、人民监督员、企业代表")  # fmt: skip
        last = c.get("hearing_on") or evaluated
        if stop_at < _ORDER.index(cp.DECIDED) or (on := last + 5 + int(rng.random() * 10)) > today:
            return
        decision = "不起诉" if c["result"] == "合格" else "起诉"
        word = "刑不诉" if decision == "不起诉" else "刑诉"
        c.update(state=cp.DECIDED, decided_on=on, decision=decision,
                 decision_document=self.document(case, "人民检察院", word, on))  # fmt: skip
        if decision == "不起诉" and (served := on + 3 + int(rng.random() * 10)) <= today:
            replied = served + 20 + int(rng.random() * 60)
            done = stop == cp.CLOSED and replied <= today
            opinion_id, _due = clock(
                "procuratorial_opinion.reply",
                served,
                "",
                replied if done else None,
                "主管机关已回复" if done else "",
            )
            c.update(opinion_authority="市场监督管理局", opinion_served_on=served,
                     opinion_deadline_id=opinion_id)  # fmt: skip
            if done:
                c.update(opinion_replied_on=replied, opinion_reply="已依法给予行政处罚",
                         state=cp.CLOSED, ended_on=min(replied + 3, today))  # fmt: skip
        elif stop == cp.CLOSED and decision != "不起诉":
            c.update(state=cp.CLOSED, ended_on=min(on + 5, today))

    def _cancel_open(self, clocks: list[str], day: int, note: str) -> None:
        """Cancel the open clocks among ``clocks`` (queued last, so looked for from the end)."""
        wanted, rows = set(clocks), self.rows["deadline"]
        for n in range(len(rows) - 1, -1, -1):
            if not wanted:
                break
            row = rows[n]
            if row[0] in wanted:
                wanted.discard(row[0])
                if row[18] == "open":
                    rows[n] = (*row[:18], "cancelled", self.iso(day), note, *row[21:])

    def _rows(self, case: CaseFacts, enterprise: tuple, c: dict, members: list, entries: list,
              clocks: list[str]) -> None:  # fmt: skip
        iso = self.iso
        cid = self.new_id()
        created = self.stamp_on(c["started_on"])
        last = max(v for k, v in c.items() if k.endswith("_on") and isinstance(v, int))
        member_ids = []
        for n, (name, profession, unit, joined) in enumerate(members, 1):
            member_ids.append(self.new_id())
            self.rows["compliance_member"].append(
                (member_ids[-1], cid, n, name, profession, unit, iso(joined), "", None, None, None)
            )
        for n, (kind, on, due, months, note) in enumerate(sorted(entries, key=lambda e: e[1]), 1):
            self.rows["compliance_entry"].append(
                (self.new_id(), cid, kind, n, iso(on), iso(due) if due else None, months, note,
                 self.actor)
            )  # fmt: skip
        day = {k: (iso(v) if isinstance(v, int) else v) for k, v in c.items()}
        self.rows["compliance_case"].append((
            cid, case.id, enterprise[0], c["state"], c["start_kind"], c["applicant"],
            day["started_on"], json.dumps(c.get("conditions", [])), day.get("applied_on"),
            c.get("apply_document", ""), c.get("org_name", ""), day.get("org_formed_on"),
            day.get("plan_submitted_on"), day.get("plan_committed_on"),
            day.get("plan_accepted_on"), day.get("exam_start"), c.get("exam_months"),
            c.get("report_interval", ""), c.get("report_deadline_id"), c.get("exam_deadline_id"),
            day.get("evaluated_on"), c.get("result", ""), day.get("hearing_on"),
            c.get("hearing_participants", ""), day.get("decided_on"), c.get("decision", ""),
            c.get("decision_document", ""), c.get("opinion_authority", ""),
            day.get("opinion_served_on"), c.get("opinion_deadline_id"),
            day.get("opinion_replied_on"), c.get("opinion_reply", ""), day.get("ended_on"),
            c.get("end_reason", ""), "", self.actor, created, self.updated(created, last), 1,
        ))  # fmt: skip
        self.rows["compliance_clock"].extend((cid, deadline_id) for deadline_id in clocks)
        self.audit(case, created, "compliance_case", cid, f"启动合规考察 {enterprise[1]}",
                   {"start_kind": c["start_kind"], "started_on": day["started_on"],
                    "state": cp.REVIEWING})  # fmt: skip
