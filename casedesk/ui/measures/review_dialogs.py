"""羁押必要性审查 dialogs: a review of a person in custody (start, method, conclusion, service of
a recommendation, which starts the 10-day reply clock) and the case organ's reply."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from casedesk.domain.errors import FieldErrors
from casedesk.domain.measures import (
    RECOMMENDATIONS,
    REVIEW_CONCLUSIONS,
    REVIEW_METHODS,
    REVIEW_TRIGGERS,
    CustodyReviewDraft,
    check_custody_review,
)
from casedesk.services.app import Services
from casedesk.services.measure_dto import CustodyReviewView, PersonalMeasureView
from casedesk.ui.measures.forms import MeasureDialog, choice, read_date, today_field
from casedesk.ui.qt import QLineEdit, QWidget
from casedesk.ui.widgets.inputs import DateField


class ReviewDialog(MeasureDialog):
    """新增审查 on a custody measure, or 修改 one as it goes on (conclusion, service)."""

    def __init__(
        self,
        services: Services,
        measure: PersonalMeasureView,
        custody_from: date,
        review: CustodyReviewView | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__("羁押必要性审查", "reviewDialog", parent)
        self.services, self.measure, self.review = services, measure, review
        self.custody_from = custody_from
        self.set_head(
            f"{measure.person_name}：{measure.kind}，自 {custody_from} 起羁押"
            "（刑诉法第95条：逮捕后仍应对羁押的必要性进行审查）"
        )
        self.trigger = choice(REVIEW_TRIGGERS, current="依职权")
        self.applicant = QLineEdit()
        self.started_on = today_field()
        self.method = choice(REVIEW_METHODS, current="书面审查")
        self.conclusion = choice(REVIEW_CONCLUSIONS, "尚无结论")
        self.concluded_on = DateField()
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("如：某市公安局；某区人民法院")
        self.served_on = DateField()
        self.document_no = QLineEdit()
        self.notes = QLineEdit()
        g = self.grid(columns=2)
        self.add(g, "trigger", "启动方式", self.trigger)
        self.add(g, "applicant", "申请人", self.applicant)
        self.add(g, "started_on", "开始日期", self.started_on)
        self.add(g, "method", "审查方式", self.method)
        self.add(g, "conclusion", "结论", self.conclusion)
        self.add(g, "concluded_on", "结论日期", self.concluded_on)
        self.add(g, "recipient", "建议送达机关", self.recipient)
        self.add(
            g,
            "served_on",
            "送达日期",
            self.served_on,
            hint="送达后，办案机关应在10日以内回复（刑诉法第95条）",
        )
        self.add(g, "document_no", "文书编号", self.document_no)
        self.add(g, "notes", "备注", self.notes)
        if review is not None:
            self._load(review)
        self.finish("保存")
        self.validate()
        self.resize(720, 360)

    def _load(self, r: CustodyReviewView) -> None:
        for box, value in (
            (self.trigger, r.trigger),
            (self.method, r.method),
            (self.conclusion, r.conclusion),
        ):
            box.setCurrentIndex(max(box.findData(value), 0))
        self.applicant.setText(r.applicant)
        self.started_on.set_value(r.started_on)
        self.concluded_on.set_value(r.concluded_on)
        self.recipient.setText(r.recipient)
        self.served_on.set_value(r.served_on)
        self.document_no.setText(r.document_no)
        self.notes.setText(r.notes)

    def refresh(self) -> None:
        self.applicant.setEnabled(self.trigger.currentData() == "申请")
        recommending = self.conclusion.currentData() in RECOMMENDATIONS
        self.recipient.setEnabled(recommending)
        self.served_on.setEnabled(recommending)

    def read(self) -> tuple[CustodyReviewDraft, dict[str, str]]:
        errors: dict[str, str] = {}
        recommending = self.conclusion.currentData() in RECOMMENDATIONS
        draft = CustodyReviewDraft(
            trigger=self.trigger.currentData() or "",
            started_on=read_date(self.started_on, "started_on", errors),
            applicant=self.applicant.text() if self.trigger.currentData() == "申请" else "",
            method=self.method.currentData() or "",
            concluded_on=read_date(self.concluded_on, "concluded_on", errors),
            conclusion=self.conclusion.currentData() or "",
            recipient=self.recipient.text() if recommending else "",
            document_no=self.document_no.text(),
            served_on=read_date(self.served_on, "served_on", errors) if recommending else None,
            notes=self.notes.text(),
        )
        return draft, errors

    def check(self, value: CustodyReviewDraft) -> None:
        check_custody_review(value, self.custody_from, date.today())

    def submit(self, value: CustodyReviewDraft) -> Any:
        reviews = self.services.custody_reviews
        if self.review is not None:
            return reviews.update(self.review.id, self.review.version, value)
        return reviews.add(self.measure.id, value)


class ReplyDialog(MeasureDialog):
    """登记回复: the case organ answered the recommendation (meets the 10-day clock)."""

    aliases: ClassVar[dict[str, str]] = {"replied_on": "on"}

    def __init__(
        self, services: Services, review: CustodyReviewView, parent: QWidget | None = None
    ):
        super().__init__("登记回复", "replyDialog", parent)
        self.services, self.review = services, review
        due = f"，应于 {review.reply_due} 前回复" if review.reply_due else ""
        self.set_head(
            f"{review.person_name}：{review.conclusion}，{review.served_on} 送达"
            f"{review.recipient}{due}"
        )
        self.on = today_field()
        self.reply = QLineEdit()
        self.reply.setPlaceholderText("如：已变更为取保候审；认为有继续羁押必要，理由……")
        g = self.grid()
        self.add(g, "on", "回复日期", self.on)
        self.add(g, "reply", "回复内容", self.reply)
        self.finish("登记")
        self.validate()
        self.resize(540, 220)

    def read(self) -> tuple[tuple[date | None, str], dict[str, str]]:
        errors: dict[str, str] = {}
        return (read_date(self.on, "on", errors), self.reply.text()), errors

    def check(self, value: tuple[date | None, str]) -> None:
        on, reply = value
        errors: dict[str, str] = {}
        if on is None:
            errors["on"] = "请填写回复日期"
        elif on > date.today():
            errors["on"] = "回复日期不能晚于今天"
        elif self.review.served_on and on < self.review.served_on:
            errors["on"] = f"回复日期不能早于建议送达日期 {self.review.served_on}"
        if not reply.strip():
            errors["reply"] = "请填写回复内容"
        if errors:
            raise FieldErrors(errors)

    def submit(self, value: tuple[date | None, str]) -> Any:
        return self.services.custody_reviews.record_reply(self.review.id, *value)
