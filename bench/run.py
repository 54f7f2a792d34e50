"""CaseDesk benchmark (``make bench``): builds or reuses the 150,000-case reference dataset and
prints median timings, as JSON, next to the targets of DESIGN.md.

Environment: CASEDESK_BENCH_CASES (default 150000), CASEDESK_BENCH_DIR (default .bench),
CASEDESK_BENCH_RUNS (repetitions per measurement, default 7).
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("CASEDESK_BENCH_CASES", "150000"))
BENCH_DIR = Path(os.environ.get("CASEDESK_BENCH_DIR", ROOT / ".bench"))
RUNS = int(os.environ.get("CASEDESK_BENCH_RUNS", "7"))
SEED = 1
TARGETS_MS = {
    "startup_to_window": 1500,
    "search": 50,
    "sort": 100,
    "open_case": 50,
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
    path = BENCH_DIR / f"ref-{CASES}.sqlite3"
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
        proc = subprocess.Popen(
            [sys.executable, "-m", "casedesk", "--db", str(path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("CASEDESK_SHOWN"):
                times.append((time.perf_counter() - started) * 1000)
                inner.append(float(line.split()[1]) * 1000)
                rss.append(int(line.split()[2]) / 1024)
                break
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


def main() -> int:
    path = dataset()
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
    text = json.dumps(report, ensure_ascii=False, indent=2)
    (BENCH_DIR / "results.json").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
