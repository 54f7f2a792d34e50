""".xlsx export (export/xlsx.py): read back with openpyxl — title, bold frozen header, widths fit
to Chinese text, real dates and numbers, a CJK font, formula-looking text kept as text, atomic
writes; and the 挂案 ledger's export (law.md §9) through the service."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casedesk.domain.drafts import CaseDraft, EnterpriseDraft
from casedesk.domain.stalled import CloseOffDraft, SupervisionDraft
from casedesk.export.output import ExportError
from casedesk.export.xlsx import Column, Table, display_width, write_xlsx

COLUMNS = (
    Column("案号"),
    Column("立案日", "date"),
    Column("标的额（元）", "amount"),
    Column("天数", "int"),
    Column("备注", max_width=20),
)
ROWS = [
    ("（2023）新01刑初1号", date(2023, 3, 1), 123456, 731, '=HYPERLINK("x")'),
    ("（2023）新01刑初2号", None, None, 0, "这是一段很长很长很长很长很长很长的备注文字"),
]


def write(tmp_path: Path, *tables: Table) -> Path:
    out = tmp_path / "list.xlsx"
    assert write_xlsx(out, *tables) == sum(len(t.rows) for t in tables)
    return out


def test_layout_values_and_types(tmp_path: Path) -> None:
    out = write(tmp_path, Table("挂案台账", COLUMNS, ROWS, subtitle="截至 2026-06-01，共 2 件"))
    ws = load_workbook(out).active
    assert ws.title == "挂案台账"
    assert ws["A1"].value == "挂案台账" and ws["A1"].font.b
    assert ws["A2"].value == "截至 2026-06-01，共 2 件"
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    header = [c.value for c in ws[3]]
    assert header == ["案号", "立案日", "标的额（元）", "天数", "备注"]
    assert all(c.font.b for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:E5"
    first = ws[4]
    assert first[0].value == "（2023）新01刑初1号"
    assert first[1].is_date and first[1].value == datetime(2023, 3, 1)
    assert first[1].number_format == "yyyy-mm-dd"
    assert first[2].value == Decimal("1234.56") or first[2].value == pytest.approx(1234.56)
    assert first[2].number_format == "#,##0.00"
    assert first[3].value == 731 and first[3].data_type == "n"
    # text that looks like a formula stays text
    assert first[4].value == '=HYPERLINK("x")' and first[4].data_type == "s"
    second = ws[5]
    assert second[1].value is None and second[2].value is None and second[3].value == 0
    assert {c.font.name for row in ws.iter_rows(min_row=1) for c in row if c.value} == {"宋体"}


def test_column_widths_fit_chinese_text(tmp_path: Path) -> None:
    ws = load_workbook(write(tmp_path, Table("清单", COLUMNS, ROWS))).active
    widths = {c: ws.column_dimensions[c].width for c in "ABCDE"}
    # 案号: 6 wide characters (2 each) and 7 narrow ones → display width 19, + 2
    assert widths["A"] == display_width("（2023）新01刑初1号") + 2 == 21
    assert widths["B"] == 12  # 立案日 (6) < yyyy-mm-dd (10), + 2
    assert widths["E"] == 20  # capped at the column's max_width
    assert ws.freeze_panes == "A3"  # no subtitle: the header is row 2


def test_display_width() -> None:
    assert display_width("abc") == 3
    assert display_width("案号") == 4
    assert display_width("（１）") == 6  # full-width forms count twice


def test_several_sheets_and_names(tmp_path: Path) -> None:
    first = Table("挂案台账", COLUMNS[:1], [("a",)])
    second = Table("挂案台账", COLUMNS[:1], [("b",), ("c",)], sheet_name="待督办/督办中")
    tables = (first, second)
    wb = load_workbook(write(tmp_path, *tables))
    assert wb.sheetnames == ["挂案台账", "待督办_督办中"]
    assert [r[0] for r in wb["待督办_督办中"].iter_rows(min_row=3, values_only=True)] == ["b", "c"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("a", "2023-03-01", 1, 1, "")], "应为日期"),
        ([("a", None, "12.5", 1, "")], "金额应为整数"),
        ([("a", None, 1, "多", "")], "应为数字"),
        ([("a", None)], "应为 5 项"),
    ],
)
def test_bad_values_write_nothing(tmp_path: Path, rows: list, message: str) -> None:
    out = tmp_path / "list.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(ExportError, match=message):
        write_xlsx(out, Table("清单", COLUMNS, rows))
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["list.xlsx"]


def test_missing_folder_is_a_chinese_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="保存位置不存在"):
        write_xlsx(tmp_path / "no" / "list.xlsx", Table("清单", COLUMNS, ROWS))


def test_control_characters_are_dropped(tmp_path: Path) -> None:
    ws = load_workbook(write(tmp_path, Table("清单", COLUMNS[:1], [("甲\x07乙",)]))).active
    assert ws["A3"].value == "甲乙"


# -- the 挂案 ledger ----------------------------------------------------------------------------

LEDGER_HEADER = ["案号", "案由", "承办人", "当事人", "阶段", "立案日", "挂案情形", "起算日",
                 "挂案天数", "状态", "督办单位", "责任单位", "督办期限", "督办要求", "销号日期",
                 "办结方式", "证明文书"]  # fmt: skip


def test_ledger_export(services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    today = date.today()
    ids = []
    for n, accepted in ((1, date(2022, 5, 10)), (2, date(2023, 2, 1))):
        case_id = services.cases.create(
            CaseDraft(
                f"（2022）新01刑初{n}号",
                "刑事",
                accepted,
                cause="虚开增值税专用发票罪",
                handler="王芳",
            )
        ).id
        services.parties.add(case_id, "犯罪嫌疑单位", new_enterprise=EnterpriseDraft(f"甲{n}公司"))
        ids.append(case_id)
    sup = services.stalled.supervise(
        ids[1], SupervisionDraft("自治区人民检察院", "某公安分局", today, today, "限期清理")
    )
    services.stalled.close_off(sup, CloseOffDraft(today, "撤案", "撤销案件决定书"))

    out = tmp_path / "挂案.xlsx"
    assert services.stalled.export_xlsx(out, today) == 2
    ws = load_workbook(out).active
    assert ws["A1"].value == "挂案台账"
    assert ws["A2"].value == f"截至 {today.isoformat()}，共 2 件"
    assert [c.value for c in ws[3]] == LEDGER_HEADER
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    first = rows["（2022）新01刑初1号"]
    assert first[1:6] == (
        "虚开增值税专用发票罪",
        "王芳",
        "甲1公司",
        "立案侦查",
        datetime(2022, 5, 10),
    )
    assert first[6].startswith("立案已满二年未采取强制措施")
    assert first[7] == datetime(2022, 5, 10) and first[8] == (today - date(2022, 5, 10)).days
    assert first[9] == "待督办" and first[10:] == (None,) * 7
    closed = rows["（2022）新01刑初2号"]
    midnight = datetime.combine(today, datetime.min.time())
    assert closed[9:] == ("已销号", "自治区人民检察院", "某公安分局", midnight, "限期清理",
                          midnight, "撤案", "撤销案件决定书")  # fmt: skip
    assert ws.cell(4, 6).is_date and ws.cell(4, 9).data_type == "n"
    # most days stalled first
    assert [r[0] for r in ws.iter_rows(min_row=4, values_only=True)] == [
        "（2022）新01刑初1号", "（2022）新01刑初2号",
    ]  # fmt: skip

    only = tmp_path / "待督办.xlsx"
    assert services.stalled.export_xlsx(only, today, "待督办") == 1
    wb = load_workbook(only)
    assert wb.sheetnames == ["待督办"] and wb.active["A1"].value == "挂案台账（待督办）"
    assert uuid.UUID(ids[0])  # ids are real
