"""The case list's columns over the lazy id model."""

from __future__ import annotations

from datetime import UTC, datetime

from casedesk.domain.amounts import format_amount
from casedesk.domain.dates import format_date
from casedesk.services.lists import CaseListReader, CaseRow
from casedesk.ui.lazy_model import Column, LazyTableModel
from casedesk.ui.qt import QObject


def _local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M")


CASE_COLUMNS: list[Column[CaseRow]] = [
    Column("case_number", "案号", lambda r: r.case_number, width=190),
    Column("family", "类别", lambda r: r.family, width=60),
    Column("procedure", "程序", lambda r: r.procedure, width=110),
    Column("cause", "案由/罪名", lambda r: r.cause, width=150),
    Column("parties_summary", "当事人", lambda r: r.parties_summary, width=260),
    Column("handler", "承办人", lambda r: r.handler, width=96),
    Column("accepted_on", "收案日期", lambda r: format_date(r.accepted_on), width=90),
    Column("closed_on", "结案日期", lambda r: format_date(r.closed_on), width=90),
    Column("stage", "阶段", lambda r: r.stage, width=90),
    Column("amount_fen", "标的额（元）", lambda r: format_amount(r.amount_fen), True, width=120),
    Column("tags", "标签", lambda r: r.tags, sortable=False, width=120),
    Column("updated_at", "最近修改", lambda r: _local_time(r.updated_at), width=130),
]
#: Columns hidden until the user shows them.
HIDDEN_BY_DEFAULT = ("updated_at",)


class CaseTableModel(LazyTableModel[CaseRow]):
    """Rows are case list keys; a case page opens with the case's id."""

    def __init__(self, reader: CaseListReader, parent: QObject | None = None):
        super().__init__(CASE_COLUMNS, reader.rows, parent)

    def open_id_at(self, row: int) -> str:
        data = self.row_data(row)
        return data.id if data is not None else ""
