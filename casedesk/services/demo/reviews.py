"""羁押必要性审查 in the demo data (see :mod:`casedesk.services.demo.personal`): a review of a
person under arrest, as :class:`~casedesk.services.custody_reviews.CustodyReviewService` records
it — by whom it was started, how, its conclusion, and for a recommendation to release or change
the measure, the service on the case organ and the 10-day reply clock (刑诉法 第95条)."""

from __future__ import annotations

from casedesk.services.demo.deadlines import CaseFacts
from casedesk.services.demo.measure_rows import MeasureRows, Taken
from casedesk.services.demo.measure_words import APPLICANTS, REPLIES
from casedesk.services.demo.names import Pick
from casedesk.services.demo.subjects import Subject

_REVIEW_TRIGGERS = Pick((("依职权", 0.55), ("申请", 0.35), ("看守所建议", 0.1)))
#: Chance that a person under arrest gets a 羁押必要性审查: custody over, or still running.
REVIEW_SHARE, REVIEW_SHARE_IN_CUSTODY = 0.3, 0.55
_OVERTAKEN = "收到建议前已依法变更强制措施或释放"


class ReviewMaker(MeasureRows):
    """Queues the custody reviews of a case's arrests."""

    def _review(
        self,
        case: CaseFacts,
        m: Taken,
        person: Subject,
        custody_from: int,
        custody_end: int | None,
        days: dict[str, int],
    ) -> tuple[int, str] | None:
        """Maybe a review while in custody; returns (day, 变更 or 释放) when its recommendation
        was taken up."""
        rng, today = self.rng, self.today
        share = REVIEW_SHARE if custody_end is not None else REVIEW_SHARE_IN_CUSTODY
        low, high = custody_from + 15, (custody_end or today) - 3
        if high < low or rng.random() >= share:
            return None
        started = low + int(rng.random() * (high - low + 1))
        organs = self.organs(case.court)
        transfer, charged = days.get("移送审查起诉"), days.get("提起公诉")
        if transfer is None or started < transfer:
            recipient = organs.police
        elif charged is not None and started >= charged:
            recipient = organs.court
        else:  # 审查起诉: the procuratorate decides itself
            recipient = ""
        trigger = _REVIEW_TRIGGERS(rng)
        applicant = rng.choice(APPLICANTS) if trigger == "申请" else ""
        method = "公开审查" if rng.random() < 0.2 else "书面审查"
        concluded: int | None = started + 3 + int(rng.random() * 13)
        conclusion, served, replied, reply, document = "", None, None, "", ""
        if concluded is not None and concluded > today:
            concluded = None
        elif recipient:
            roll = rng.random()
            conclusion = (
                "继续羁押" if roll < 0.6 else "建议释放" if roll < 0.72 else "建议变更强制措施"
            )
        else:
            conclusion = "继续羁押"
        review_id = self.new_id()
        created = self.stamp_on(started)
        taken_up: tuple[int, str] | None = None
        if conclusion in ("建议释放", "建议变更强制措施"):
            assert concluded is not None
            served = min(concluded + int(rng.random() * 4), today)
            document = self.document(case, "人民检察院", "羁审", concluded)
            roll = rng.random()
            if roll < 0.82:  # in time
                replied = served + 2 + int(rng.random() * 9)
            elif roll < 0.94 or served < today - 60:  # late
                replied = served + 11 + int(rng.random() * 20)
            if replied is not None and replied > today:
                replied = None
            if replied is not None and custody_end is not None and replied >= custody_end:
                reply = _OVERTAKEN  # custody had ended meanwhile
            elif replied is not None and rng.random() < 0.65:  # taken up
                taken_up = (replied, "释放" if conclusion == "建议释放" else "变更")
                reply = REPLIES[True][conclusion == "建议释放"]
            elif replied is not None:
                reply = REPLIES[False][0]
            self.add(case.id, self.rules["custody_review.reply"], "custody_review_served", served,
                     self.stamp_on(served), end=replied, note="已书面回复" if replied else "",
                     subject=person[1], links=(None, None, review_id))  # fmt: skip
        last = replied or served or concluded
        iso = self.iso
        self.rows["custody_review"].append((
            review_id, case.id, m.id, person[0], trigger, applicant, iso(started), method,
            iso(concluded) if concluded else None, conclusion, recipient if served else "",
            document, iso(served) if served else None, iso(replied) if replied else None, reply,
            "", self.actor, created, self.updated(created, last), 1,
        ))  # fmt: skip
        self.audit(case, created, "custody_review", review_id, f"羁押必要性审查：{person[1]}", {
            "trigger": trigger, "applicant": applicant, "started_on": iso(started),
            "method": method,
        })  # fmt: skip
        return taken_up
