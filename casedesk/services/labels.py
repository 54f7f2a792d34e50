"""Chinese names of entities, actions and fields, for history views and reports."""

from __future__ import annotations

ENTITY_LABELS = {
    "case": "案件",
    "case_party": "当事人",
    "case_event": "时间线",
    "enterprise": "企业",
    "person": "个人",
    "court_code": "法院代字",
    "case_type_code": "类型代字",
    "tag": "标签",
}
ACTION_LABELS = {"create": "新建", "update": "修改", "delete": "删除", "restore": "恢复"}
FIELD_LABELS = {
    "case_number": "案号",
    "family": "案件类别",
    "procedure": "程序",
    "cause": "案由/罪名",
    "handler": "承办人",
    "accepted_on": "收案日期",
    "closed_on": "结案日期",
    "stage": "阶段",
    "amount_fen": "标的额",
    "notes": "备注",
    "tags": "标签",
    "deleted_at": "删除时间",
    "role": "诉讼地位",
    "subject": "当事人",
    "occurred_on": "日期",
    "note": "说明",
    "name": "名称",
    "credit_code": "统一社会信用代码",
    "ownership": "所有制",
    "size": "企业规模",
    "industry": "所属行业",
    "legal_representative": "法定代表人",
    "address": "住所地",
    "contact": "联系方式",
    "id_number": "身份证号码",
    "code": "代字",
    "confidence": "可信度",
    "position": "顺序",
}
