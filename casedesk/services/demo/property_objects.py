"""The objects of the demo property measures (see :mod:`casedesk.services.demo.property`):
deposits in a bank account, real estate with its registration number, vehicles with their plate,
equipment, shares, and the things the police seize in a criminal case — described as a clerk
writes them, valued in fen, each under the rule that sets its clock
(:func:`casedesk.domain.measures.property_term_rule`)."""

from __future__ import annotations

from casedesk.domain.measures import REVIEW_RULE, property_term_rule
from casedesk.services.demo import measure_words as mw
from casedesk.services.demo import names as words
from casedesk.services.demo.deadlines import CaseFacts
from casedesk.services.demo.measure_rows import Held, MeasureRows
from casedesk.services.demo.subjects import Subject


class ObjectMaker(MeasureRows):
    """Makes the property measure of one object, its clocks still to come."""

    def _civil_object(self, case: CaseFacts, owner: Subject, start: int, first: bool) -> Held:
        rng = self.rng
        claim = (case.amount or 0) + (case.costs or 0)
        person = owner[5]
        roll = rng.random() if not first or rng.random() < 0.4 else 0.0
        if roll < 0.55:
            value = claim if rng.random() < 0.4 else int(claim * (0.05 + 0.85 * rng.random()))
            return self._deposit(case, owner, start, "冻结", value)
        if roll < 0.75:
            return self._realty(case, owner, start, "查封")
        if roll < 0.9 or person:
            return self._vehicle(case, owner, start, "扣押")
        if rng.random() < 0.5:
            m = self._held(case, owner, start, "查封", "动产", rng.choice(mw.EQUIPMENT), "",
                           self._yuan(50_000, 2_000_000))  # fmt: skip
            if rng.random() < 0.6:
                m.live_use = mw.LIVE_USE["动产"]
            return m
        brand = "".join(rng.sample(words.BRAND_CHARS, 2))
        return self._held(
            case, owner, start, "冻结", "股权",
            f"所持{self._short(case)}{brand}投资有限公司{5 + int(rng.random() * 60)}%的股权", "",
            int(claim * (0.3 + rng.random())),
        )  # fmt: skip

    def _criminal_object(self, case: CaseFacts, owner: Subject, start: int, kind: str,
                         object_kind: str) -> Held:  # fmt: skip
        rng = self.rng
        claim = case.amount or 50_000_000
        if object_kind == "存款":
            return self._deposit(case, owner, start, kind, int(claim * (0.05 + 0.7 * rng.random())))
        if object_kind == "不动产":
            m = self._realty(case, owner, start, kind)
            if not owner[5] and rng.random() < 0.4:
                m.live_use = mw.LIVE_USE["不动产"]
            return m
        if object_kind == "股权":
            return self._held(case, owner, start, kind, "股权", f"所持{owner[1]}关联公司的股权", "",
                              int(claim * (0.2 + 0.6 * rng.random())))  # fmt: skip
        if rng.random() < 0.3:
            return self._vehicle(case, owner, start, kind)
        n, m_ = 1 + int(rng.random() * 8), 1 + int(rng.random() * 3)
        if "商标" in case.cause and rng.random() < 0.7:
            text, low, high = mw.COUNTERFEIT, 5_000, 300_000
        else:
            text, low, high = mw.SEIZED_ITEMS[int(rng.random() * len(mw.SEIZED_ITEMS))]
        cash = self._yuan(10_000, 500_000)
        value = cash if "现金" in text else (self._yuan(low, high) if high else None)
        description = text.format(n=n * 10 if "件" in text else n, m=m_, cash=(cash or 0) // 100)
        return self._held(case, owner, start, kind, "动产" if "现金" not in text else "其他",
                          description, "", value)  # fmt: skip

    def _held(self, case: CaseFacts, owner: Subject, start: int, kind: str, object_kind: str,
              description: str, account: str, value: int | None) -> Held:  # fmt: skip
        rule_id = property_term_rule(
            case.family, kind, object_kind, "公安机关" if case.family == "刑事" else "人民法院"
        )
        rule = self.rules[rule_id]
        spec = "" if rule_id == REVIEW_RULE else rule.period.spec
        if rule_id == "property.police.freeze_deposit" and self.rng.random() < 0.1:
            spec = "1y"  # 重大、复杂: approved by the city police head (公安规定 第243条)
        elif spec and case.family != "刑事" and self.rng.random() < 0.08:
            spec = {"1y": "6m", "2y": "1y", "3y": "2y"}.get(spec, spec)
        m = Held(id=self.new_id(), case_id=case.id, kind=kind, object_kind=object_kind,
                 description=description, owner=owner, account=account, value=value,
                 start=start, rule_id=rule_id, term_spec=spec)  # fmt: skip
        m.created = self.stamp_on(start)
        # what its clocks concern, as the service words it (property_records.subject_of)
        short = description if len(description) <= 40 else description[:39] + "…"
        m.subject = f"{kind}{object_kind}：{short}"[:200]
        return m

    def _deposit(self, case: CaseFacts, owner: Subject, start: int, kind: str, value: int) -> Held:
        rng = self.rng
        bank = mw.BANKS[int(rng.random() * len(mw.BANKS))][0]
        account = mw.account_number(rng)
        branch = f"{bank}{self._short(case)}{'支行' if rng.random() < 0.7 else '分行营业部'}"
        m = self._held(
            case,
            owner,
            start,
            kind,
            "存款",
            f"{branch}账户（尾号{account[-4:]}）内存款",
            account,
            max(value // 100 * 100, 100),
        )
        if not owner[5] and rng.random() < 0.15:
            m.live_use = mw.LIVE_USE["存款"]
        return m

    def _realty(self, case: CaseFacts, owner: Subject, start: int, kind: str) -> Held:
        rng = self.rng
        options = mw.REALTY[:2] if owner[5] else mw.REALTY
        what, low, high = options[int(rng.random() * len(options))]
        counties = words.PREFECTURES[self._prefecture(case)][1]
        county = counties[int(rng.random() * len(counties))][1]
        street = words.STREETS[int(rng.random() * len(words.STREETS))]
        year = 2012 + int(rng.random() * 10)
        number = f"新（{year}）{self._short(case)}不动产权第{int(rng.random() * 9_999_999):07d}号"
        m = self._held(case, owner, start, kind, "不动产",
                       f"位于{county}{street}{1 + int(rng.random() * 300)}号的{what}", number,
                       self._yuan(low, high))  # fmt: skip
        if not owner[5] and kind == "查封" and rng.random() < 0.3:
            m.live_use = mw.LIVE_USE["不动产"]
        return m

    def _vehicle(self, case: CaseFacts, owner: Subject, start: int, kind: str) -> Held:
        rng = self.rng
        what, low, high = mw.VEHICLES[int(rng.random() * len(mw.VEHICLES))]
        plate = mw.plate(rng, self._prefecture(case))
        return self._held(case, owner, start, kind, "动产", f"{what}（号牌{plate}）", plate,
                          self._yuan(low, high))  # fmt: skip

    def _yuan(self, low: int, high: int) -> int:
        """A value in fen between ``low`` and ``high`` yuan, rounded to hundreds of yuan."""
        return int(low + (high - low) * self.rng.random()) // 100 * 10_000

    @staticmethod
    def _prefecture(case: CaseFacts) -> str:
        key = words.COURT_PREFECTURE.get(case.court, case.court[1:3])
        return key if key in words.PREFECTURES else "01"

    def _short(self, case: CaseFacts) -> str:
        return words.PREFECTURES[self._prefecture(case)][0]
