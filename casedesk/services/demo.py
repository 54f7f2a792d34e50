"""Realistic synthetic demo data: ten years of enterprise-related cases of Xinjiang courts.

:func:`generate_demo` fills a database that has no cases with cases, the enterprises and persons
taking part in them, stage timelines, tags, the search index and one audit record per case. Rows
go straight into the tables through :mod:`casedesk.store.bulk` (150,000 cases take minutes), built
as the services build them. The same seed on the same day gives the same data; word lists and case
patterns are in :mod:`casedesk.services.demo_names`.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from casedesk.domain.code_tables import DEFAULT_COURT_CODES
from casedesk.domain.identifiers import credit_code_check_char, id_number_check_char
from casedesk.domain.identifiers.credit_code import CHARSET, organization_code_check_char
from casedesk.domain.search_text import free_text_segments, identifier_segment, join_segments
from casedesk.domain.vocabulary import CLOSED_STAGES
from casedesk.services import demo_names as words
from casedesk.services.case_summary import party_summary
from casedesk.services.demo_names import Cause, Pick
from casedesk.services.errors import ServiceError
from casedesk.store.bulk import COLUMNS, BulkLoader, datetime_value
from casedesk.store.database import Database

CHUNK = 2000
#: Tables whose secondary indexes are dropped during the load and rebuilt once at the end.
_DEFERRED_INDEXES = ("case_file", "case_party", "case_event", "case_tag", "audit_record")
_PROSECUTED = frozenset({"提起公诉", "审理中", "已判决", "已结案"})
_SUSPECT_ROLES = {"被告单位": "犯罪嫌疑单位", "被告人": "犯罪嫌疑人"}
_FLAG_CHANCE = {"U": (0.7, 0.03), "V": (0.85, 0.05)}  # chance with / without the cause flag
_REUSE = {"E": 0.8, "F": 0.96, "M": 0.93, "P": 0.15}  # chance a subject is one seen before
_NOTE_KIND = {
    "民事": "civil",
    "商事": "civil",
    "行政": "civil",
    "执行": "enforce",
    "刑事": "criminal",
}
_OWNERSHIP = Pick(words.weighted("民营:78 国有:9 外资:2 个体:11"))
_SIZE = {
    "民营": Pick(words.weighted("大:2 中:10 小:40 微:48")),
    "国有": Pick(words.weighted("大:35 中:35 小:25 微:5")),
    "外资": Pick(words.weighted("大:15 中:35 小:35 微:15")),
    "个体": Pick(words.weighted("微")),
}

#: An enterprise or person as a party: id, name, search segments, ownership, size, is a person.
_Subject = tuple[str, str, list[str], str | None, str | None, bool]


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    enterprises: int
    persons: int
    parties: int
    events: int
    seconds: float


def generate_demo(
    db: Database,
    cases: int,
    seed: int = 1,
    actor: str = "演示数据",
    progress: Callable[[int, int], None] | None = None,
    *,
    today: date | None = None,
) -> DemoSummary:
    """Write ``cases`` demo cases into ``db``, which must not hold any case yet. All or nothing:
    the rows are written in one transaction."""
    if cases < 1:
        raise ServiceError("演示案件数至少为1件")
    started = time.perf_counter()
    try:
        with BulkLoader(db.engine) as load:
            demo = _fill(load, cases, random.Random(seed), today or date.today(), actor, progress)
    except sqlite3.DatabaseError as exc:  # locked by another writer, disk full, …
        raise ServiceError(f"演示数据未能写入，数据库未作任何改动（{exc}）") from exc
    finally:
        db.changed()
    n = demo.counts
    seconds = time.perf_counter() - started
    return DemoSummary(
        cases, n["enterprise"], n["person"], n["case_party"], n["case_event"], seconds
    )


def _fill(
    load: BulkLoader,
    cases: int,
    rng: random.Random,
    today: date,
    actor: str,
    progress: Callable[[int, int], None] | None,
) -> _Demo:
    if load.count("case_file"):
        raise ServiceError("数据库中已有案件，演示数据只能写入空数据库")
    in_table = {row[0] for row in load.rows("SELECT code FROM court_code")}
    courts = [c.code for c in DEFAULT_COURT_CODES if c.code[0] == "新" and c.code in in_table]
    taken = load.rows(
        "SELECT credit_code FROM enterprise WHERE credit_code IS NOT NULL "
        "UNION ALL SELECT id_number FROM person WHERE id_number IS NOT NULL"
    )
    demo = _Demo(
        rng,
        today,
        actor,
        courts,
        types={row[0] for row in load.rows("SELECT code FROM case_type_code")},
        tags=load.rows("SELECT name, id FROM tag ORDER BY position, name"),
        taken={row[0] for row in taken},
        first_list_key=load.next_list_key(),
    )
    load.defer_indexes(_DEFERRED_INDEXES)
    days = _acceptance_days(rng, cases, today)
    for start in range(0, cases, CHUNK):
        for day in days[start : start + CHUNK]:
            demo.case(day)
        demo.flush(load)
        if progress is not None:
            progress(min(start + CHUNK, cases), cases)
    load.commit()
    load.checkpoint()
    return demo


def _level(court: str) -> str:
    return {0: "high", 2: "mid"}.get(len(court) - 1, "basic")


def _acceptance_days(rng: random.Random, count: int, today: date) -> list[int]:
    """Sorted acceptance days (ordinals) over ten years to today: working days, growing load."""
    start = date(today.year - 10 + today.month // 12, today.month % 12 + 1, 1)
    weights = []
    for ordinal in range(start.toordinal(), today.toordinal() + 1):
        d = date.fromordinal(ordinal)
        w = (1.0 if d.weekday() < 5 else 0.04) * 1.05 ** (d.year - start.year)
        if d.month == 2 or (d.month == 10 and d.day <= 7):  # Spring Festival, National Day
            w *= 0.7 if d.month == 2 else 0.15
        weights.append((ordinal, w))
    pick = Pick(weights)
    return sorted(pick(rng) for _ in range(count))


class _Demo:
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
    ):
        self.rng, self.actor, self.taken = rng, actor, taken
        self.today, self.now = today.toordinal(), datetime.now(UTC)
        self.tags, self.tag_order = dict(tags), [name for name, _ in tags]
        self.list_key, self.accepted = first_list_key, 0
        self.rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS}
        self.counts = dict.fromkeys(COLUMNS, 0)
        self.counters: dict[tuple[int, str, str], int] = {}
        self.pools: dict[tuple[str, str], list[_Subject]] = {}
        self.organs: dict[str, _Subject] = {}
        self.names: set[str] = set()
        self._iso: dict[int, str] = {}
        self.surname = Pick(words.HAN_SURNAMES)
        self.han = {True: Pick(words.HAN_MALE), False: Pick(words.HAN_FEMALE)}
        self.prefecture = {c: words.COURT_PREFECTURE.get(c, c[1:3]) for c in courts}
        courts = [c for c in courts if self.prefecture[c] in words.PREFECTURES]
        self.handlers = {}  # 20 to 60 judges, prosecutors and clerks per court
        for c in courts:
            pool_size = rng.randint(20, 60)
            self.handlers[c] = [
                self.name(self.prefecture[c], rng.random() < 0.6) for _ in range(pool_size)
            ]
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
        self.industry = Pick((i[:2], i[2]) for i in words.INDUSTRIES)
        self.other_prefecture = Pick((p, 6 if p == "01" else 1) for p in words.PREFECTURES)
        self.finance, self.organ_kind = Pick(words.FINANCE_NAMES), Pick(words.ORGANS)
        self.manager = Pick(words.MANAGERS)

    def iso(self, ordinal: int) -> str:
        text = self._iso.get(ordinal)
        if text is None:
            text = self._iso[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def _uuid(self) -> str:
        bits = self.rng.getrandbits(128) & ~(0xF000 << 64) & ~(0xC000 << 48)
        return f"{bits | 0x4000 << 64 | 0x8000 << 48:032x}"  # version 4, RFC 4122 variant

    def _unique(self, make: Callable[[], str]) -> str:
        while (value := make()) in self.taken:
            pass
        self.taken.add(value)
        return value

    # -- people and enterprises ---------------------------------------------------------------
    def name(self, prefecture: str, male: bool) -> str:
        rng = self.rng
        han, uyghur, _kazakh = words.ETHNIC_MIX[prefecture]
        roll = rng.random() * 100
        if roll < han:
            return self.surname(rng) + self.han[male](rng)
        if roll < han + uyghur:
            given = rng.choice(words.UYGHUR_MALE if male else words.UYGHUR_FEMALE)
            return f"{given}·{rng.choice(words.UYGHUR_MALE)}"
        given = rng.choice(words.KAZAKH_MALE if male else words.KAZAKH_FEMALE)
        return f"{given}·{rng.choice(words.KAZAKH_MALE)}"

    def subject(self, kind: str, prefecture: str, used: set[str], stamp: str) -> _Subject:
        """A party: mostly someone seen before in the region (the busy ones more often)."""
        rng = self.rng
        home = prefecture if rng.random() < 0.85 else self.other_prefecture(rng)
        if kind == "G":
            return self.public_body(home, stamp)
        company, kind = kind == "C", "E" if kind == "C" else kind
        pool = self.pools.setdefault((kind, home), [])
        if pool and rng.random() < _REUSE[kind]:
            for _ in range(3):
                chosen = pool[int(rng.random() * len(pool))]
                if chosen[0] not in used and not (company and chosen[3] == "个体"):
                    pool.append(chosen)
                    return chosen
        made = (
            self.person(home, stamp) if kind == "P" else self.enterprise(kind, home, stamp, company)
        )
        pool.append(made)
        return made

    def _place(self, prefecture: str) -> tuple[str, str]:
        counties = words.PREFECTURES[prefecture][1]
        return counties[0] if self.rng.random() < 0.45 else self.rng.choice(counties)

    def _brand(self) -> str:
        rng = self.rng
        if rng.random() < 0.15:
            return rng.choice(words.BRANDS)
        first, second = rng.sample(words.BRAND_CHARS, 2)
        return first + second

    def _credit_code(self, head: str, region: str, digits_only: bool = False) -> str:
        rng = self.rng

        def make() -> str:
            if digits_only or rng.random() < 0.4:
                body = f"{rng.randrange(10**8):08d}"
            else:  # codes given since 2015 start with MA
                body = "MA" + "".join(rng.choice(CHARSET) for _ in range(6))
            first17 = head + region + body + organization_code_check_char(body)
            return first17 + credit_code_check_char(first17)

        return self._unique(make)

    def enterprise(self, kind: str, prefecture: str, stamp: str, company: bool) -> _Subject:
        rng = self.rng
        county, place = self._place(prefecture)
        short = words.PREFECTURES[prefecture][0]
        name = ""
        while not name or name in self.names:
            head, roll = "91", rng.random()
            if roll < 0.3:  # registered with the region, the prefecture or the county
                prefix, region = "新疆", "650000"
            elif roll < 0.75:
                prefix, region = short, county[:4] + "00"
            else:
                prefix, region = place, county
            if kind == "F":
                ownership, size = ("国有" if rng.random() < 0.4 else "民营"), rng.choice("大中")
                industry, name = "金融业", prefix + self._brand() + self.finance(rng)
            elif kind == "M":
                ownership, size, industry = "民营", "小", "租赁和商务服务业"
                form = self.manager(rng)
                head = "31" if form == "律师事务所" else "91"  # 31: registered by 司法行政
                name = "新疆" + self._brand() + form
            else:
                ownership = _OWNERSHIP(rng)
                ownership = "民营" if company and ownership == "个体" else ownership
                size = _SIZE[ownership](rng)
                industry, trade = self.industry(rng)
                word = rng.choice(trade)
                if (local := words.LOCAL_TRADES.get(prefecture)) and rng.random() < 0.3:
                    industry, word = local
                if ownership == "个体":
                    head, region, industry = "92", county, "批发和零售业"
                    name = place + self._brand() + rng.choice(words.SHOP_WORDS)
                else:
                    form = (
                        "有限责任公司" if ownership == "国有" or rng.random() < 0.15 else "有限公司"
                    )
                    if size == "大" and rng.random() < 0.5:
                        form = "集团有限公司"
                    name = prefix + self._brand() + word + form
        self.names.add(name)
        code = self._credit_code(head, region)
        return self._add_enterprise(
            name, code, (ownership, size, industry), prefecture, place, stamp
        )

    def public_body(self, prefecture: str, stamp: str) -> _Subject:
        """An administrative organ (defendant of administrative cases), one record per name."""
        county, place = self._place(prefecture)
        organ = self.organ_kind(self.rng)
        name = f"国家税务总局{place}税务局" if organ == "税务局" else place + organ
        if name not in self.organs:
            code = self._credit_code("11", county, digits_only=True)
            profile = (None, None, "公共管理、社会保障和社会组织")
            self.organs[name] = self._add_enterprise(name, code, profile, prefecture, place, stamp)
        return self.organs[name]

    def _add_enterprise(
        self, name: str, code: str, profile: tuple, prefecture: str, place: str, stamp: str
    ) -> _Subject:
        """Queue the enterprise row; ``profile`` is (ownership, size, industry)."""
        rng = self.rng
        address = f"新疆{place}{rng.choice(words.STREETS)}{rng.randint(1, 999)}号"
        phone = f"{words.AREA_CODES[prefecture]}-{rng.randint(2000000, 8999999)}"
        representative = self.name(prefecture, rng.random() < 0.8)
        ownership, size, industry = profile
        row = (self._uuid(), name, code, ownership, size, industry, representative, address,
               phone, stamp, stamp, 1)  # fmt: skip
        self.rows["enterprise"].append(row)
        segments = [*free_text_segments(name), identifier_segment(code)]
        return row[0], name, segments, ownership, size, False

    def person(self, prefecture: str, stamp: str) -> _Subject:
        rng = self.rng
        male = rng.random() < 0.68
        name = self.name(prefecture, male)
        county, place = self._place(prefecture)
        number = None
        if rng.random() < 0.85:  # aged 20–70 when first a party; some ID numbers are unknown
            age_days = int(rng.triangular(20.05, 69.95, 38) * 365.2425)
            birth = f"{date.fromordinal(self.accepted - age_days):%Y%m%d}"
            code = words.BIRTH_CODES.get(county, county)

            def make() -> str:
                first17 = f"{code}{birth}{rng.randrange(1, 500) * 2 - male:03d}"  # odd: male
                return first17 + id_number_check_char(first17)

            number = self._unique(make)
        address = f"新疆{place}{rng.choice(words.STREETS)}{rng.randint(1, 999)}号"
        address = address if rng.random() < 0.6 else ""
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if rng.random() < 0.4 else ""
        row = (self._uuid(), name, number, phone, address, stamp, stamp, 1)
        self.rows["person"].append(row)
        segments = [*free_text_segments(name), identifier_segment(number)]
        return row[0], name, segments, None, None, True

    # -- cases ----------------------------------------------------------------------------------
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
        if len(events) > 2 and rng.random() < words.STALL[family]:  # stays open part way
            first_closed = next(
                i for i, e in enumerate([*events, (0, "已结案")]) if e[1] in CLOSED_STAGES
            )
            events = events[: min(rng.randint(1, len(events) - 1), first_closed)]
        return events

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
        closed = next((self.iso(d) for d, s, _ in events if s in CLOSED_STAGES), None)
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
        handler = rng.choice(self.handlers[court])
        amount = self.amount(family, type_code, cause)
        summary = party_summary([s[1] for _r, s in subjects])
        rows["case_file"].append((
            case_id, self.list_key, number, year, court, type_code, sequence, family, procedure,
            cause.name, handler, self.iso(accepted), closed, stage, amount, notes, summary,
            stamps[0], stamps[-1], 1,
        ))  # fmt: skip
        segments = [identifier_segment(number), *free_text_segments(cause.name)]
        segments += free_text_segments(notes)
        for position, (role, subject) in enumerate(subjects, start=1):
            subject_ids = (None, subject[0]) if subject[5] else (subject[0], None)
            rows["case_party"].append((self._uuid(), case_id, role, position, *subject_ids))
            segments += subject[2]
        for (day, stage_name, note), stamp in zip(events, stamps, strict=True):
            rows["case_event"].append(
                (self._uuid(), case_id, self.iso(day), "stage", stage_name, note, stamp, self.actor)
            )
        rows["case_tag"].extend((case_id, self.tags[t]) for t in tags)
        rows["case_search"].append((self.list_key, join_segments(segments)))
        self.list_key += 1
        # The audit record CaseService.create writes: each field set, as [old, new].
        values = {
            "case_number": number, "family": family, "procedure": procedure,
            "cause": cause.name, "handler": handler, "accepted_on": self.iso(accepted),
            "closed_on": closed, "amount_fen": amount, "notes": notes, "stage": stage,
            "tags": tags,
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
            else:
                load.insert(table, rows)
            self.counts[table] += len(rows)
            rows.clear()
