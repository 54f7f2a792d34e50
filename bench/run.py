"""CaseDesk benchmark (``make bench``): builds or reuses the 150,000-case reference dataset and
prints median timings, as JSON, next to the targets of DESIGN.md: start, search, sort, open a
case, the deadline board, and recomputing the open deadlines after a holiday is recorded (on a
copy of the dataset; the reference file itself is never changed).

Environment: CASEDESK_BENCH_CASES (default 150000), CASEDESK_BENCH_DIR (default .bench),
CASEDESK_BENCH_RUNS (repetitions per measurement, default 7). ``--only encryption`` runs only the
cost of encryption at rest (bench/encryption.py), into ``results-encryption.json``.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("CASEDESK_BENCH_CASES", "150000"))
BENCH_DIR = Path(os.environ.get("CASEDESK_BENCH_DIR", ROOT / ".bench"))
RUNS = int(os.environ.get("CASEDESK_BENCH_RUNS", "7"))
SEED = 1
#: Part of the dataset's file name: raised whenever the demo data changes (v2: deadlines and
#: trigger events; v3: compulsory measures, reviews, 挂案 supervision; v4: schema 0004, several
#: accounts frozen per enforcement case; v5: compliance cases, enforcement and the credit list;
#: v6: schema 0007, suggestion documents; v7: schema 0008, chained audit records; v8: schema
#: 0010, each case in its handler's unit), so that an older dataset is not reused.
DATA_VERSION = 8
TARGETS_MS = {
    "startup_to_window": 1500,
    "search": 50,
    "sort": 100,
    "open_case": 50,
    "deadline_board": 100,
    "measure_list": 100,  # a list screen: like the board, all in SQL (DESIGN.md: lists ≤ 100 ms)
    "document_docx": 100,
    "document_pdf": 200,
}
TARGET_RSS_MB = 300
QUERIES = {
    "1_char": ["王", "公", "艾"],
    "2_chars": ["王伟", "公司", "天山"],
    "3_chars": ["买卖合", "有限公", "阿依古"],
    "4_chars": ["借款合同", "有限公司", "建设工程"],
    "credit_code_prefix": ["91650", "9165010"],
}


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def dataset() -> Path:
    """The reference database, generated once and reused while it has the expected size."""
    path = BENCH_DIR / f"ref-{CASES}-v{DATA_VERSION}.sqlite3"
    if path.exists():
        with sqlite3.connect(path) as conn:
            try:
                count = conn.execute("SELECT count(*) FROM case_file").fetchone()[0]
            except sqlite3.DatabaseError:
                count = -1
        if count == CASES:
            return path
        path.unlink()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    log(f"生成 {CASES:,} 件案件的基准数据集（只需一次）…")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "casedesk", "demo", "--cases", str(CASES), "--seed", str(SEED),
         "--db", str(path)],
        check=True,
    )  # fmt: skip
    log(f"数据集已生成：{time.perf_counter() - started:.0f} 秒")
    return path


def startup(path: Path) -> dict:
    """Seconds from process start to the main window shown (offscreen), median of RUNS."""
    env = os.environ | {"CASEDESK_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"}
    times, inner, rss = [], [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
            proc = subprocess.Popen(
                [sys.executable, "-m", "casedesk", "--db", str(path)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("CASEDESK_SHOWN"):
                    times.append((time.perf_counter() - started) * 1000)
                    inner.append(float(line.split()[1]) * 1000)
                    rss.append(int(line.split()[2]) / 1024)
                    break
            else:  # the window never showed: say why instead of timing nothing
                proc.wait(timeout=60)
                errors.seek(0)
                tail = "".join(errors.readlines()[:12])
                raise RuntimeError(f"应用未能显示主窗口（退出码 {proc.returncode}）：\n{tail}")
            proc.wait(timeout=60)
    return {
        "median_ms": round(statistics.median(times), 1),
        "in_app_median_ms": round(statistics.median(inner), 1),
        "target_ms": TARGETS_MS["startup_to_window"],
        "app_peak_rss_mb": round(max(rss), 1),
        "target_rss_mb": TARGET_RSS_MB,
    }


def in_process(path: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from casedesk.services.app import Services
    from casedesk.services.lists import CaseFilter
    from casedesk.ui.bus import Bus
    from casedesk.ui.cases.case_page import CasePage
    from casedesk.ui.cases.list_page import CaseListPage
    from casedesk.ui.qt import QApplication, QSettings

    app = QApplication.instance() or QApplication([])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(BENCH_DIR))
    services = Services.open(path, "bench")
    bus = Bus()
    page = CaseListPage(services, bus, QSettings())
    page.resize(1280, 800)
    page.show()
    app.processEvents()
    visible = 40

    def show_first_rows() -> None:
        for row in range(min(visible, page.model.rowCount())):
            page.model.index(row, 0).data()

    def search(query: str, cold: bool = False) -> Callable[[], None]:
        def run() -> None:
            if cold:  # as right after a save: the ordered keys must be read again
                services.db.changed()
            page.search.blockSignals(True)
            page.search.setText(query)
            page.search.blockSignals(False)
            page.reload()
            show_first_rows()

        return run

    results: dict = {"search": {}, "sort": {}}
    for kind, queries in QUERIES.items():
        per_query = {}
        for query in queries:
            per_query[query] = {
                "median_ms": median_ms(search(query)),
                "after_a_save_median_ms": median_ms(search(query, cold=True)),
                "matches": page.model.rowCount(),
            }
        results["search"][kind] = {
            "queries": per_query,
            "worst_median_ms": max(v["median_ms"] for v in per_query.values()),
            "worst_after_a_save_median_ms": max(
                v["after_a_save_median_ms"] for v in per_query.values()
            ),
            "target_ms": TARGETS_MS["search"],
        }
    search("")()
    for key in services.case_list.SORT_KEYS:
        timings = {}
        for descending in (False, True):

            def sort(key: str = key, descending: bool = descending) -> None:
                services.db.changed()  # no cached order: each sort is a fresh query
                page._sort(key, descending)
                show_first_rows()

            timings["desc" if descending else "asc"] = median_ms(sort)
        results["sort"][key] = timings | {"target_ms": TARGETS_MS["sort"]}
    results["list_rows"] = page.model.rowCount()
    results["sort_worst_median_ms"] = max(
        max(v["asc"], v["desc"]) for v in results["sort"].values()
    )

    ids = services.case_list.ids(CaseFilter(search="有限公司"), "accepted_on", True)
    sample = ids[:: max(1, len(ids) // RUNS)][:RUNS]
    it = iter(sample * 3)
    results["open_case"] = {
        "service_get_median_ms": median_ms(lambda: services.cases.get(next(it))),
        "page_median_ms": median_ms(lambda: CasePage(services, bus, next(it)).deleteLater()),
        "target_ms": TARGETS_MS["open_case"],
    }
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results["bench_process_peak_rss_mb"] = round(peak_kb / 1024, 1)
    services.close()
    return results


def deadline_board(path: Path) -> dict:
    """The deadline board: the default one (overdue and due within seven days, with the count
    of every band) and the one over all open deadlines."""
    from casedesk.services.app import Services

    services = Services.open(path, "bench")
    try:
        board = services.deadlines.board()
        everything = services.deadlines.board(everything=True)
        return {
            "default_7_days": {
                "median_ms": median_ms(services.deadlines.board),
                "items": len(board.items),
                "counts": board.counts,
                "target_ms": TARGETS_MS["deadline_board"],
            },
            "all_open": {
                "median_ms": median_ms(lambda: services.deadlines.board(everything=True)),
                "open_deadlines": len(everything.items),
                "target_ms": TARGETS_MS["deadline_board"],
            },
        }
    finally:
        services.close()


def measure_lists(path: Path) -> dict:
    """The lists of issues 4 and 5 over the whole dataset: 超标的 cases, the 挂案 ledger, persons
    in custody, property under seizure by case and by enterprise, compliance cases, enforcement
    cases by 到位率, the credit list, pending deletions, and one case's measure tab."""
    from casedesk.services.app import Services

    services = Services.open(path, "bench")
    try:
        lists: dict[str, Callable[[], list]] = {
            "overseized": services.property_measures.overseized,
            "stalled_ledger": services.stalled.ledger,
            "in_custody": services.custody_reviews.in_custody,
            "seized_by_case": services.property_measures.seized_by_case,
            "seized_by_enterprise": services.property_measures.seized_by_enterprise,
            "compliance_cases": services.compliance.rows,
            "enforcement_by_recovery": services.enforcement.by_recovery,
            "credit_list": services.enforcement.listed_debtors,
            "pending_deletions": services.enforcement.pending_deletions,
        }
        report = {}
        for name, fn in lists.items():
            rows = len(fn())
            report[name] = {
                "median_ms": median_ms(fn),
                "rows": rows,
                "target_ms": TARGETS_MS["measure_list"],
            }
        with services.db.session() as s:
            from sqlalchemy import func, select

            from casedesk.store.models import PropertyMeasure

            busiest = s.execute(
                select(PropertyMeasure.case_id)
                .group_by(PropertyMeasure.case_id)
                .order_by(func.count().desc())
                .limit(1)
            ).scalar()
        if busiest is not None:
            case_id = busiest.hex

            def open_tab() -> None:
                services.property_measures.for_case(case_id)
                services.personal_measures.for_case(case_id)
                services.property_measures.seizure_check(case_id)

            report["case_measures_tab"] = {
                "median_ms": median_ms(open_tab),
                "target_ms": TARGETS_MS["open_case"],
            }
        return report
    finally:
        services.close()


def recompute_after_holiday(path: Path) -> dict:
    """On a copy of the dataset: record New Year's Day of the first year without packaged holiday
    data as a holiday and that year's notice as entered (as an administrator does when the State
    Council publishes it), then time ``DeadlineService.recompute_open()`` — once with the change,
    and once more with nothing left to change."""
    from sqlalchemy import func, select

    from casedesk.domain.holidays import packaged_years
    from casedesk.domain.work_calendar import HOLIDAY, NATIONAL
    from casedesk.services.app import Services
    from casedesk.store.backup import backup_sqlite
    from casedesk.store.models import Deadline, HolidayDay, HolidayYear

    copy = backup_sqlite(path, BENCH_DIR / "recompute-copy.sqlite3")
    year = max(max(packaged_years()) + 1, date.today().year + 1)
    services = Services.open(copy, "bench")
    try:
        open_deadlines = select(func.count()).select_from(Deadline)
        open_deadlines = open_deadlines.where(Deadline.status == "open")
        unverified = open_deadlines.where(Deadline.warnings != "[]")
        with services.db.session() as s:
            s.add(HolidayDay(day=date(year, 1, 1), scope=NATIONAL, kind=HOLIDAY, name="元旦"))
            s.add(HolidayYear(year=year, scope=NATIONAL, source="基准测试"))
            s.commit()
            checked, unverified_before = s.scalar(open_deadlines), s.scalar(unverified)
        started = time.perf_counter()
        moved = services.deadlines.recompute_open()
        first_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        moved_again = services.deadlines.recompute_open()
        again_ms = (time.perf_counter() - started) * 1000
        with services.db.session() as s:
            unverified_after = s.scalar(unverified)
    finally:
        services.close()
        for leftover in (
            copy,
            copy.with_name(copy.name + "-wal"),
            copy.with_name(copy.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
    return {
        "change": f"{year}-01-01 recorded as 元旦 and {year} marked as entered",
        "open_deadlines_recomputed": checked,
        "moved": moved,
        "verified_by_the_change": unverified_before - unverified_after,
        "ms": round(first_ms, 1),
        "again_nothing_to_change_ms": round(again_ms, 1),
        "moved_again": moved_again,
    }


def documents() -> dict:
    """One suggestion document (the long sample 司法建议书) to DOCX and to PDF, fonts already
    registered as in a running app; then a batch of 100 PDFs."""
    from casedesk.export.document_docx import render_document_docx
    from casedesk.export.document_fonts import document_fonts
    from casedesk.export.document_pdf import render_document_pdf
    from casedesk.export.document_samples import sample

    doc = sample("judicial")
    started = time.perf_counter()
    document_fonts()  # found and registered once per process
    fonts_ms = (time.perf_counter() - started) * 1000
    with tempfile.TemporaryDirectory(prefix="casedesk-bench-") as folder:
        out = Path(folder)
        report = render_document_pdf(doc, out / "warm.pdf")
        render_document_docx(doc, out / "warm.docx")
        docx_ms = median_ms(lambda: render_document_docx(doc, out / "one.docx"))
        pdf_ms = median_ms(lambda: render_document_pdf(doc, out / "one.pdf"))
        started = time.perf_counter()
        for i in range(100):
            render_document_pdf(doc, out / f"batch-{i}.pdf")
        batch_s = time.perf_counter() - started
    return {
        "document": f"{doc.kind}样例，PDF {report.pages} 页",
        "font_registration_once_ms": round(fonts_ms, 1),
        "docx": {"median_ms": docx_ms, "target_ms": TARGETS_MS["document_docx"]},
        "pdf": {"median_ms": pdf_ms, "target_ms": TARGETS_MS["document_pdf"]},
        "batch_100_pdfs_s": round(batch_s, 2),
        "font_substitutions": list(report.substitutions),
    }


def encryption(path: Path) -> dict:
    """Plain vs encrypted (SQLCipher) on copies of the dataset: bench/encryption.py."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from encryption import encryption_cost

    return encryption_cost(path, BENCH_DIR, RUNS, log, startup)


def main() -> int:
    path = dataset()
    if sys.argv[1:] == ["--only", "encryption"]:
        log("在数据集副本上测量加密（SQLCipher）的开销…")
        text = json.dumps({"encryption": encryption(path)}, ensure_ascii=False, indent=2)
        (BENCH_DIR / "results-encryption.json").write_text(text, encoding="utf-8")
        print(text)
        return 0
    report: dict = {
        "dataset": {
            "cases": CASES,
            "file": str(path),
            "size_mb": round(path.stat().st_size / 2**20),
        },
        "runs_per_measure": RUNS,
        "sqlite": sqlite3.sqlite_version,
    }
    log("测量启动时间…")
    report["startup_to_window"] = startup(path)
    log("测量搜索、排序、打开案件…")
    report.update(in_process(path))
    log("测量期限看板…")
    report["deadline_board"] = deadline_board(path)
    log("测量强制措施与挂案清单…")
    report["measure_lists"] = measure_lists(path)
    log("在数据集副本上测量录入节假日后重新计算期限…")
    report["recompute_open_after_holiday"] = recompute_after_holiday(path)
    log("测量建议书导出 DOCX / PDF…")
    report["documents"] = documents()
    log("在数据集副本上测量加密（SQLCipher）的开销…")
    report["encryption"] = encryption(path)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    (BENCH_DIR / "results.json").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
