"""The parties of the demo cases: enterprises, public bodies and persons, with their names,
credit codes and ID numbers.

:class:`SubjectMaker` makes them and queues their rows; most parties are drawn again from the
pools of those seen before in the same prefecture. It is mixed into
:class:`~casedesk.services.demo.cases.CaseMaker`, which makes the cases they take part in.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from casedesk.domain.identifiers import credit_code_check_char, id_number_check_char
from casedesk.domain.identifiers.credit_code import CHARSET, organization_code_check_char
from casedesk.domain.search_text import free_text_segments, identifier_segment
from casedesk.services.demo import names as words
from casedesk.services.demo.names import Pick

_REUSE = {"E": 0.8, "F": 0.96, "M": 0.93, "P": 0.15}  # chance a subject is one seen before
_OWNERSHIP = Pick(words.weighted("民营:78 国有:9 外资:2 个体:11"))
_SIZE = {
    "民营": Pick(words.weighted("大:2 中:10 小:40 微:48")),
    "国有": Pick(words.weighted("大:35 中:35 小:25 微:5")),
    "外资": Pick(words.weighted("大:15 中:35 小:35 微:15")),
    "个体": Pick(words.weighted("微")),
}

#: An enterprise or person as a party: id, name, search segments, ownership, size, is a person.
Subject = tuple[str, str, list[str], str | None, str | None, bool]


class SubjectMaker:
    """Makes enterprises, public bodies and persons and keeps the pools of those made so far.

    The class it is mixed into provides :attr:`rows` (the rows to write, by table) and
    :attr:`accepted` (the acceptance day, as an ordinal, of the case being made).
    """

    rows: dict[str, list[tuple]]
    accepted: int

    def __init__(self, rng: random.Random, taken: set[str]):
        """``taken``: credit codes and ID numbers already in use, never given out again."""
        self.rng, self.taken = rng, taken
        self.pools: dict[tuple[str, str], list[Subject]] = {}
        self.organs: dict[str, Subject] = {}
        self.names: set[str] = set()
        self.surname = Pick(words.HAN_SURNAMES)
        self.han = {True: Pick(words.HAN_MALE), False: Pick(words.HAN_FEMALE)}
        self.industry = Pick((i[:2], i[2]) for i in words.INDUSTRIES)
        self.other_prefecture = Pick((p, 6 if p == "01" else 1) for p in words.PREFECTURES)
        self.finance, self.organ_kind = Pick(words.FINANCE_NAMES), Pick(words.ORGANS)
        self.manager = Pick(words.MANAGERS)

    def _uuid(self) -> str:
        bits = self.rng.getrandbits(128) & ~(0xF000 << 64) & ~(0xC000 << 48)
        return f"{bits | 0x4000 << 64 | 0x8000 << 48:032x}"  # version 4, RFC 4122 variant

    def _unique(self, make: Callable[[], str]) -> str:
        while (value := make()) in self.taken:
            pass
        self.taken.add(value)
        return value

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

    def subject(self, kind: str, prefecture: str, used: set[str], stamp: str) -> Subject:
        """A party: mostly someone seen before in the region (the busy ones more often)."""
        rng = self.rng
        home = prefecture if rng.random() < 0.85 else self.other_prefecture(rng)
        if kind == "G":  # an organ not already in this case (another county's if need be)
            for attempt in range(8):
                where = home if attempt < 4 else self.other_prefecture(rng)
                organ = self.public_body(where, stamp)
                if organ[0] not in used:
                    return organ
            return self.enterprise("E", home, stamp, True)
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

    def enterprise(self, kind: str, prefecture: str, stamp: str, company: bool) -> Subject:
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

    def public_body(self, prefecture: str, stamp: str) -> Subject:
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
    ) -> Subject:
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

    def person(self, prefecture: str, stamp: str) -> Subject:
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
