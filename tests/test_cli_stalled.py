"""``casedesk stalled``: the 挂案 ledger on the command line (law.md §9; 最高检·公安部
《关于公安机关办理经济犯罪案件的若干规定》第25条) — JSON with the threshold that fired, the
Chinese table, filters, the .xlsx export, and errors as Chinese messages with exit code 2."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casedesk.cli.main import main
from casedesk.domain.drafts import CaseDraft, EnterpriseDraft, PersonDraft
from casedesk.domain.stalled import CloseOffDraft, SupervisionDraft

CJK = re.compile(r"[\u4e00-\u9fff]")
TODAY = date.today()
KEYS = {"case_number", "cause", "handler", "parties", "stage", "filed_on", "threshold",
        "threshold_label", "since", "flagged_from", "days_stalled", "status", "supervision_id",
        "supervising_unit", "responsible_unit", "supervision_due", "instructions", "closed_on",
        "outcome", "close_document"}  # fmt: skip


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def case(services, n: int, accepted: date, filed: date | None = None) -> str:  # type: ignore[no-untyped-def]
    case_id = services.cases.create(
        CaseDraft(f"（2022）新01刑初{n}号", "刑事", accepted, cause="非法吸收公众存款罪")
    ).id
    services.parties.add(case_id, "犯罪嫌疑单位", new_enterprise=EnterpriseDraft(f"乙{n}公司"))
    services.parties.add(case_id, "犯罪嫌疑人", new_person=PersonDraft(f"赵{n}"))
    if filed:
        services.deadlines.record_trigger(case_id, "case_filed_criminal", filed)
    return case_id


@pytest.fixture
def ledger_db(services, db_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Three flagged cases: one waiting, one supervised, one closed off; and one not yet."""
    case(services, 1, date(2022, 1, 10), filed=date(2022, 2, 15))
    supervised = case(services, 2, date(2023, 5, 1))
    closed = case(services, 3, date(2023, 8, 1))
    case(services, 4, TODAY - timedelta(days=200))
    draft = SupervisionDraft("市人民检察院", "经侦支队", TODAY, TODAY + timedelta(60), "限期报告")
    services.stalled.supervise(supervised, draft)
    sup = services.stalled.supervise(closed, draft)
    services.stalled.close_off(sup, CloseOffDraft(TODAY, "不起诉", "不起诉决定书"))
    return db_path


def test_json(capsys: pytest.CaptureFixture[str], ledger_db: Path) -> None:
    code, out, err = cli(capsys, "stalled", "--db", str(ledger_db), "--json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert isinstance(rows, list) and all(set(r) == KEYS for r in rows)
    by_number = {r["case_number"]: r for r in rows}
    assert set(by_number) == {"（2022）新01刑初1号", "（2022）新01刑初2号", "（2022）新01刑初3号"}
    first = by_number["（2022）新01刑初1号"]
    # 第25条: no measure, two years from the 刑事立案 of 2022-02-15 → flagged from 2024-02-16
    assert first["threshold"] == "stalled.no_measure"
    assert first["threshold_label"] == "立案已满二年未采取强制措施，未移送起诉、不起诉或撤案"
    assert (first["filed_on"], first["since"], first["flagged_from"]) == (
        "2022-02-15", "2022-02-15", "2024-02-16",
    )  # fmt: skip
    assert first["days_stalled"] == (TODAY - date(2022, 2, 15)).days
    assert (first["status"], first["supervision_id"], first["closed_on"]) == ("待督办", "", None)
    second = by_number["（2022）新01刑初2号"]
    assert second["status"] == "督办中" and second["supervising_unit"] == "市人民检察院"
    assert second["supervision_due"] == (TODAY + timedelta(60)).isoformat()
    assert second["instructions"] == "限期报告" and len(second["supervision_id"]) == 32
    third = by_number["（2022）新01刑初3号"]
    assert (third["status"], third["outcome"], third["close_document"], third["closed_on"]) == (
        "已销号", "不起诉", "不起诉决定书", TODAY.isoformat(),
    )  # fmt: skip
    assert [r["days_stalled"] for r in rows] == sorted(
        (r["days_stalled"] for r in rows), reverse=True
    )


def test_as_of_and_status(capsys: pytest.CaptureFixture[str], ledger_db: Path) -> None:
    # on 2024-02-15, the last day of case 1's two years, nothing is flagged yet; the next day
    # case 1 is, and the supervisions begun today are not on the ledger of that day
    code, out, _ = cli(capsys, "stalled", "--db", str(ledger_db), "--json", "--as-of", "2024-02-15",
                       "--status", "待督办")  # fmt: skip
    assert code == 0 and json.loads(out) == []
    code, out, _ = cli(capsys, "stalled", "--db", str(ledger_db), "--json", "--as-of", "2024-02-16",
                       "--status", "待督办")  # fmt: skip
    assert [r["case_number"] for r in json.loads(out)] == ["（2022）新01刑初1号"]
    code, out, _ = cli(capsys, "stalled", "--db", str(ledger_db), "--json", "--as-of", "2024-02-16")
    assert [r["status"] for r in json.loads(out)] == ["待督办"]
    code, out, _ = cli(capsys, "stalled", "--db", str(ledger_db), "--json", "--status", "已销号")
    assert [r["status"] for r in json.loads(out)] == ["已销号"]


def test_text_table(capsys: pytest.CaptureFixture[str], ledger_db: Path) -> None:
    code, out, err = cli(capsys, "stalled", "--db", str(ledger_db))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"{TODAY.isoformat()} 挂案台账：共 3 件（待督办 1，督办中 1，已销号 1）"
    header = ["状态", "挂案天数", "案号", "阶段", "立案日", "挂案情形", "督办期限", "销号日期"]
    assert lines[1].split() == header
    assert len(lines) == 5
    assert lines[2].startswith("待督办") and "（2022）新01刑初1号" in lines[2]
    assert "立案已满二年未采取强制措施" in lines[2]


def test_xlsx_option(capsys: pytest.CaptureFixture[str], ledger_db: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "挂案.xlsx"
    code, out, _ = cli(capsys, "stalled", "--db", str(ledger_db), "--xlsx", str(out_file))
    assert code == 0 and out.splitlines()[-1] == f"已导出：{out_file}"
    ws = load_workbook(out_file).active
    assert ws["A3"].value == "案号" and ws.max_row == 3 + 3


def test_empty_ledger(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, out, _ = cli(capsys, "stalled", "--db", str(db_path))
    assert code == 0
    assert out == f"{TODAY.isoformat()} 挂案台账：共 0 件（待督办 0，督办中 0，已销号 0）\n"
    code, out, _ = cli(capsys, "stalled", "--db", str(db_path), "--json")
    assert (code, json.loads(out)) == (0, [])


def test_db_from_environment(
    capsys: pytest.CaptureFixture[str], ledger_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEDESK_DB", str(ledger_db))
    code, out, _ = cli(capsys, "stalled", "--json", "--status", "督办中")
    assert code == 0 and [r["case_number"] for r in json.loads(out)] == ["（2022）新01刑初2号"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--as-of", "2026-02-30"], "--as-of"),
        (["--status", "全部"], "--status 应为 待督办、督办中、已销号 之一"),
        (["--xlsx", "/no/such/folder/x.xlsx"], "保存位置不存在"),
    ],
)
def test_errors(
    capsys: pytest.CaptureFixture[str], db_path: Path, argv: list[str], message: str
) -> None:
    code, out, err = cli(capsys, "stalled", "--db", str(db_path), *argv)
    assert code == 2 and out == ""
    assert err.startswith("错误：") and message in err and CJK.search(err)


def test_missing_and_corrupt_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    code, out, err = cli(capsys, "stalled", "--db", str(missing))
    assert (code, out) == (2, "") and err == f"错误：数据库文件“{missing}”不存在\n"
    assert not missing.exists()
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not a database" * 100)
    code, out, err = cli(capsys, "stalled", "--db", str(corrupt), "--json")
    assert code != 0 and out == ""
    assert err.startswith("错误：") and CJK.search(err) and "Traceback" not in err
