"""The demo cases themselves: court, type and cause, stage timeline, amount, parties, tags,
search text, deadlines (by :mod:`~casedesk.services.demo.triggers`) and the audit record of each,
queued as table rows in acceptance order.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta

from casedesk.domain.deadline_rules import DeadlineRule
from casedesk.domain.search_text import free_text_segments, identifier_segment, join_segments
from casedesk.domain.vocabulary import CLOSED_STAGES
from casedesk.domain.work_calendar import WorkCalendar
from casedesk.services.case_summary import party_summary
from casedesk.services.demo import names as words
from casedesk.services.demo.deadlines import CaseFacts
from casedesk.services.demo.names import Cause, Pick
from casedesk.services.demo.subjects import SubjectMaker
from casedesk.services.demo.triggers import TriggerMaker
from casedesk.services.errors import ServiceError
from casedesk.store.audit_hash import RawChain
from casedesk.store.bulk import COLUMNS, BulkLoader, datetime_value

#: Share of criminal cases that hung for years before they moved on (see CaseMaker._hung).
CLEARED_SHARE = 0.03
#: Of the criminal cases that stay open part way, the share that never got past 立案侦查 or
#: 审查逮捕: the 挂案 the ledger flags once their thresholds pass.
EARLY_STALL = 0.7
_MOVED_ON = ("移送审查起诉", "撤销案件")
_PROSECUTED = frozenset({"提起公诉", "审理中", "已判决", "已结案"})
_SUSPECT_ROLES = {"被告单位": "犯罪嫌疑单位", "被告人": "犯罪嫌疑人"}
_FLAG_CHANCE = {"U": (0.7, 0.03), "V": (0.85, 0.05)}  # chance with / without the cause flag
_NOTE_KIND = {
    "民事": "civil",
    "商事": "civil",
    "行政": "civil",
    "执行": "enforce",
    "刑事": "criminal",
}


def _level(court: str) -> str:
    return {0: "high", 2: "mid"}.get(len(court) - 1, "basic")


def _share_out(names: list[str]) -> dict[str, list[str]]:
    """A court's judges shared out among its units (庭/局) as the families of cases are, each
    unit at least one."""
    total = sum(w for _f, w in words.FAMILIES)
    shares: dict[str, float] = {}
    for family, weight in words.FAMILIES:
        unit = words.FAMILY_UNITS[family]
        shares[unit] = shares.get(unit, 0.0) + weight / total
    if len(names) < len(shares):
        raise ServiceError("演示数据的承办人不足以分配到各庭")
    out, start, reach = {}, 0, 0.0
    for i, (unit, share) in enumerate(shares.items()):
        reach += share
        left = len(shares) - i - 1  # units still to come get one name at least
        end = len(names) if not left else min(max(start + 1, round(reach * len(names))),
                                              len(names) - left)  # fmt: skip
        out[unit], start = names[start:end], end
    return out


class CaseMaker(SubjectMaker):
    """Builds cases one by one in acceptance order, keeping the pools of reused subjects."""

    def __init__(
        self,
        rng: random.Random,
        today: date,
        actor: str,
        courts: list[str],
        types: set[str],
        tags: list[tuple[str, str]],
        taken: set[str],
        first_list_key: int,
        calendar: WorkCalendar,
        rules: dict[str, DeadlineRule],
    ):
        super().__init__(rng, taken)
        self.actor = actor
        self.today, self.now = today.toordinal(), datetime.now(UTC)
        self.tags, self.tag_order = dict(tags), [name for name, _ in tags]
        self.list_key, self.accepted, self.cleared = first_list_key, 0, False
        self.rows = {table: [] for table in COLUMNS}
        self.deadlines = TriggerMaker(rng, self.today, self.now, actor, calendar, rules,
                                      self.rows, self._uuid, self.iso)  # fmt: skip
        self.counts = dict.fromkeys(COLUMNS, 0)
        self.counters: dict[tuple[int, str, str], int] = {}
        self._iso: dict[int, str] = {}
        self.prefecture = {c: words.COURT_PREFECTURE.get(c, c[1:3]) for c in courts}
        courts = [c for c in courts if self.prefecture[c] in words.PREFECTURES]
        #: court → unit (庭/局) → its judges, 20 to 60 per court shared out as the families of
        #: cases are; a name is one handler, in one unit of one court. (Drawn as they were
        #: before cases had units, so that the rest of the data stays as it was for a seed.)
        self.handlers: dict[str, dict[str, list[str]]] = {}
        self.pool_sizes: dict[str, int] = {}
        taken: set[str] = set()
        for c in courts:
            pool_size = self.pool_sizes[c] = rng.randint(20, 60)
            drawn = [self.name(self.prefecture[c], rng.random() < 0.6) for _ in range(pool_size)]
            names = [n for n in dict.fromkeys(drawn) if n not in taken]
            taken.update(names)
            self.handlers[c] = _share_out(names)
        kinds: dict[tuple[str, str], list] = {}
        for line in words.KINDS:
            family, code, weights, track, causes, parties, *procedures = line.split()
            procedure = Pick(words.weighted(" ".join(procedures)))
            kind = (code, procedure, track, words.causes(causes), parties)
            for level, w in zip(("basic", "mid", "high"), weights.split("/"), strict=True):
                if int(w) and code in types:
                    kinds.setdefault((family, level), []).append((kind, int(w)))
        self.kinds = {key: Pick(pairs) for key, pairs in kinds.items()}
        self.court_pick = {}
        for family, _w in words.FAMILIES:
            pairs = [
                (c, words.COURT_WEIGHTS.get(c, words.LEVEL_WEIGHT[_level(c)]))
                for c in courts
                if (family, _level(c)) in self.kinds
            ]
            if pairs:
                self.court_pick[family] = Pick(pairs)
        if not self.court_pick:
            raise ServiceError("代字表中没有演示数据所需的新疆法院代字或案件类型代字")
        self.family = Pick((f, w) for f, w in words.FAMILIES if f in self.court_pick)
        self.tracks, self.parties = words.tracks(), words.party_patterns()

    def iso(self, ordinal: int) -> str:
        text = self._iso.get(ordinal)
        if text is None:
            text = self._iso[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def timeline(self, track: str, pace: float, accepted: int, family: str) -> list[tuple]:
        """(day, stage, note) entries walking the track's stages, none after today."""
        rng, events, day = self.rng, [], accepted
        for stage, notes, chance, low, high in self.tracks[track](rng):
            if chance < 1.0 and rng.random() >= chance:
                continue
            if events:
                day += int((low + (high - low) * rng.random()) * pace + 0.5)
            if day > self.today:
                break
            events.append((day, stage, notes[int(rng.random() * len(notes))]))
        self.cleared = False
        if len(events) > 2 and rng.random() < words.STALL[family]:  # stays open part way
            first_closed = next(
                i for i, e in enumerate([*events, (0, "已结案")]) if e[1] in CLOSED_STAGES
            )
            cut = rng.randint(1, len(events) - 1)
            if track == "criminal" and rng.random() < EARLY_STALL:  # 挂案: never moved on
                cut = 1 + (rng.random() < 0.3)
            events = events[: min(cut, first_closed)]
        elif track == "criminal" and rng.random() < CLEARED_SHARE:
            events = self._hung(events)
        return events

    def _hung(self, events: list[tuple]) -> list[tuple]:
        """A criminal case that hung for years (挂案) before it was transferred for prosecution
        or withdrawn: that step and the ones after it come 2 to 3 years after filing."""
        moved = next((i for i, e in enumerate(events) if e[2] in _MOVED_ON), None)
        if not moved:
            return events
        shift = events[0][0] + 760 + int(self.rng.random() * 400) - events[moved][0]
        later = [(day + shift, stage, note) for day, stage, note in events[moved:]]
        if shift <= 0 or later[0][0] > self.today:
            return events
        self.cleared = True
        return events[:moved] + [e for e in later if e[0] <= self.today]

    def stamps(self, events: list[tuple]) -> list[str]:
        """Creation times (UTC) of the entries: office hours, increasing, never in the future."""
        rng, out, last_day, second = self.rng, [], None, 0
        for day, _stage, _note in events:
            if day == last_day:
                second += 300 + int(rng.random() * 3300)
            else:  # from 01:00 to 05:00 UTC, that is 9 to 13 o'clock in Xinjiang offices
                second = 3600 + int(rng.random() * 14400)
            last_day, micro = day, int(rng.random() * 1e6)
            out.append(
                f"{self.iso(day)} {second // 3600:02d}:{second // 60 % 60:02d}:"
                f"{second % 60:02d}.{micro:06d}"
            )
        on_today = sum(1 for e in events if e[0] == self.today)
        for j in range(on_today):
            out[len(out) - on_today + j] = datetime_value(
                self.now - timedelta(minutes=on_today - j)
            )
        return out

    def amount(self, family: str, code: str, cause: Cause) -> int | None:
        """The amount in dispute in fen: log-normal around a family's median, scaled by cause."""
        rng = self.rng
        median, low, high, chance = 150_000, 10_000, 50_000_000, 1.0
        if family == "刑事":
            median, chance = 500_000, 0.35
        elif family == "行政":
            low, high, chance = 2_000, 5_000_000, 0.5
        elif family == "破产":
            median, high, chance = 5_000_000, 200_000_000, 0.6 if code != "破申" else 0.0
        elif family == "检察监督" or code in ("执异", "执复", "执监"):
            chance = 0.3
        if rng.random() >= chance:
            return None
        yuan = min(max(rng.lognormvariate(0, 1.2) * median * cause.scale, low), high)
        roll = rng.random()
        if roll < 0.25:  # a round sum
            step = 10_000 if yuan >= 100_000 else 1_000
            return max(round(yuan / step), 1) * step * 100
        return round(yuan) * 100 if roll < 0.8 else int(yuan * 100)

    def case(self, accepted: int) -> None:
        rng, rows = self.rng, self.rows
        family = self.family(rng)
        court = self.court_pick[family](rng)
        type_code, procedures, track, causes, parties_key = self.kinds[family, _level(court)](rng)
        procedure, cause = procedures(rng), causes(rng)
        track = words.PROCEDURE_TRACKS.get(procedure, track)
        events = self.timeline(track, words.PROCEDURE_PACE.get(procedure, 1.0), accepted, family)
        stamps = self.stamps(events)
        year = date.fromordinal(accepted).year
        sequence = self.counters[year, court, type_code] = (
            self.counters.get((year, court, type_code), 0) + 1
        )
        number = f"（{year}）{court}{type_code}{sequence}号"
        case_id, stage = self._uuid(), events[-1][1]
        closed_day = next((d for d, s, _ in events if s in CLOSED_STAGES), None)
        closed = None if closed_day is None else self.iso(closed_day)
        self.accepted, subjects, used = accepted, [], set()
        for role, kind in self._roles(parties_key, cause, stage, family != "刑事"):
            subject = self.subject(kind, self.prefecture[court], used, stamps[0])
            used.add(subject[0])
            subjects.append((role, subject))
        tags = self._tags(family, cause, subjects, closed)
        notes = ""
        if rng.random() < 0.2:
            kind = "other" if rng.random() < 0.25 else _NOTE_KIND.get(family, "other")
            notes = rng.choice(words.NOTES[kind])
        unit = words.FAMILY_UNITS[family]
        pool = self.handlers[court][unit]
        handler = pool[rng.choice(range(self.pool_sizes[court])) % len(pool)]
        amount = self.amount(family, type_code, cause)
        costs = court_costs(type_code, procedure, cause, amount) if family in _COSTED else None
        summary = party_summary([s[1] for _r, s in subjects])
        rows["case_file"].append((
            case_id, self.list_key, number, year, court, type_code, sequence, family, procedure,
            cause.name, handler, unit, self.iso(accepted), closed, stage, amount, costs, notes,
            summary, stamps[0], stamps[-1], 1,
        ))  # fmt: skip
        segments = [identifier_segment(number), *free_text_segments(cause.name)]
        segments += free_text_segments(notes)
        for position, (role, subject) in enumerate(subjects, start=1):
            subject_ids = (None, subject[0]) if subject[5] else (subject[0], None)
            rows["case_party"].append((self._uuid(), case_id, role, position, *subject_ids))
            segments += subject[2]
        for (day, stage_name, note), stamp in zip(events, stamps, strict=True):
            rows["case_event"].append((self._uuid(), case_id, self.iso(day), "stage", None, None,
                                       stage_name, note, stamp, self.actor))  # fmt: skip
        enterprise = "涉企" in tags or any(not s[5] and s[3] is not None for _r, s in subjects)
        self.deadlines.for_case(CaseFacts(
            case_id, family, procedure, accepted, closed_day, events, stamps, subjects, number,
            cause.name, court, type_code, amount, costs, enterprise, self.cleared,
        ))  # fmt: skip
        rows["case_tag"].extend((case_id, self.tags[t]) for t in tags)
        rows["case_search"].append((self.list_key, join_segments(segments)))
        self.list_key += 1
        # The audit record CaseService.create writes: each field set, as [old, new].
        values = {
            "case_number": number, "family": family, "procedure": procedure,
            "cause": cause.name, "handler": handler, "unit": unit,
            "accepted_on": self.iso(accepted), "closed_on": closed, "amount_fen": amount,
            "costs_fen": costs, "notes": notes, "stage": stage, "tags": tags,
        }  # fmt: skip
        changes = {k: [None, v] for k, v in values.items() if v is not None and v != "" and v != []}
        dashed = f"{case_id[:8]}-{case_id[8:12]}-{case_id[12:16]}-{case_id[16:20]}-{case_id[20:]}"
        label, payload = number, json.dumps(changes, ensure_ascii=False)
        rows["audit_record"].append(
            (stamps[0], self.actor, "create", "case", dashed, case_id, label, payload)
        )

    def _roles(self, key: str, cause: Cause, stage: str, needs_enterprise: bool) -> list:
        """(role, subject kind) of the parties: the pattern's roles drawn, X resolved."""
        rng = self.rng
        labour = f"{key}+L"
        pattern = self.parties[labour if "L" in cause.flags and labour in self.parties else key]
        roles = []
        for role, kind, chance in pattern(rng):
            if chance in _FLAG_CHANCE:
                with_flag, without = _FLAG_CHANCE[chance]
                odds = with_flag if chance in cause.flags else without
            else:
                odds = float(chance)
            if rng.random() >= odds:
                continue
            if role.endswith("*"):
                role = role[:-1] if stage in _PROSECUTED else _SUSPECT_ROLES[role[:-1]]
            if kind in "EX" and "F" in cause.flags and not roles:
                kind = "F"  # the creditor of a loan is a bank or lender
            if kind == "X":
                kind = "E" if rng.random() < 0.55 else "P"
            roles.append([role, kind])
        if needs_enterprise and not any(kind in "CEFM" for _role, kind in roles):
            roles[-1][1] = "E"  # 涉企: at least one enterprise
        return roles

    def _tags(self, family: str, cause: Cause, subjects: list, closed: str | None) -> list[str]:
        rng = self.rng
        enterprises = [s for _r, s in subjects if not s[5] and s[3] is not None]
        chosen = set()
        if rng.random() < (0.96 if enterprises else 0.3):
            chosen.add("涉企")
        if "I" in cause.flags:
            chosen.add("知识产权")
        if family == "破产" or "B" in cause.flags:
            chosen.add("破产")
        small_creditor = subjects[0][1][4] in ("小", "微")
        if "A" in cause.flags and small_creditor and rng.random() < 0.35:
            chosen.add("拖欠中小微企业账款")
        if rng.random() < (0.6 if any(s[3] == "外资" for s in enterprises) else 0.004):
            chosen.add("涉外")
        if rng.random() < (0.01 if cause.name in ("民间借贷纠纷", "劳动争议") else 0.002):
            chosen.add("虚假诉讼风险")
        if closed and rng.random() < 0.003:
            chosen.add("典型案例候选")
        return [t for t in self.tag_order if t in chosen]

    def flush(self, load: BulkLoader) -> None:
        """Write the rows built so far (parents before children) and forget them."""
        for table, rows in self.rows.items():
            if table == "case_search":
                load.insert_search(rows)
            elif table == "audit_record":  # chained on to the records before, under the lock
                chain = self.__dict__.get("_chain")
                if chain is None:
                    chain = self._chain = RawChain(load.conn)
                load.insert(table, chain.extend(rows))
                chain.save()
            else:
                load.insert(table, rows)
            self.counts[table] += len(rows)
            rows.clear()


#: Families whose cases pay court costs that the 超标的 check adds to the claim.
_COSTED = frozenset({"民事", "商事", "执行"})
#: 诉讼费用交纳办法 第13条第1项: the fee on each band of the amount (yuan, cumulative).
_LITIGATION_BANDS = ((10_000, 0.0), (100_000, 0.025), (200_000, 0.02), (500_000, 0.015),
                     (1_000_000, 0.01), (2_000_000, 0.009), (5_000_000, 0.008),
                     (10_000_000, 0.007), (20_000_000, 0.006), (float("inf"), 0.005))  # fmt: skip
#: 诉讼费用交纳办法 第14条第1项: 申请执行费.
_ENFORCEMENT_BANDS = ((10_000, 0.0), (500_000, 0.015), (5_000_000, 0.01), (10_000_000, 0.005),
                      (float("inf"), 0.001))  # fmt: skip


def _banded(yuan: float, bands: tuple[tuple[float, float], ...]) -> float:
    fee, low = 50.0, 0.0  # the first band is a flat 50 yuan
    for high, rate in bands:
        if yuan > low:
            fee += (min(yuan, high) - low) * rate
        low = high
    return fee


def court_costs(type_code: str, procedure: str, cause: Cause, amount: int | None) -> int | None:
    """诉讼费 or 执行费 in fen by 诉讼费用交纳办法 (国务院令第481号): the banded fee on the
    amount (第13、14条), halved in 简易程序 and 小额诉讼 (第16条), 10 yuan in labour disputes
    (第13条第5项); 财产保全申请费 1 % to 0.5 %, at most 5000 yuan (第14条第2项)."""
    if not amount:
        return None
    yuan = amount / 100
    if type_code in ("民初", "民终"):
        if "L" in cause.flags:
            return 1_000
        fee = _banded(yuan, _LITIGATION_BANDS)
        if procedure in ("一审简易程序", "小额诉讼程序"):
            fee /= 2
    elif type_code == "执":
        fee = _banded(yuan, _ENFORCEMENT_BANDS)
    elif type_code == "财保":
        fee = min(30 + max(yuan - 1_000, 0) * 0.01 if yuan <= 100_000 else
                  1_020 + (yuan - 100_000) * 0.005, 5_000)  # fmt: skip
    else:
        return None
    return round(fee * 100)
