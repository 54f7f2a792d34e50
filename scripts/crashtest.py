"""Crash safety, proven (``make crashtest``): SIGKILL a writer at random moments, many times over.

A writer process registers numbered cases (（年）新01刑初N号) through CaseDesk's own write path —
``Services.open`` (so ``open_database`` with WAL and synchronous=FULL) and ``cases.create``, which
writes the case, its first timeline entry, its search row, its deadlines and their audit records
in one transaction — and reports each number on a pipe right after its commit returned. The
driver kills it with SIGKILL after a random delay, then checks the file:

* it opens through ``open_database`` (recovering the WAL left behind), ``PRAGMA integrity_check``
  says ok and ``PRAGMA foreign_key_check`` finds nothing;
* every number whose commit had returned is there, each with its audit record;
* nothing is half-written: no case without its audit record or timeline, no audit record of a
  case that is not there, no number that was never begun (the one in flight at the kill may be
  there or not: its commit may have completed before the kill).

The first kills each hit a brand-new file during its first open (schema creation); the rest run
on one database file, some while it is reopened, most while writing. Spare writers import
CaseDesk while the current one runs, so the kills come quickly.

Usage: ``python scripts/crashtest.py [--kills 200] [--seed N] [--keep]``. Exit status 1 on the
first failure (the files are kept and named); 0 when all kills pass, or when this platform has no
SIGKILL (the test is skipped, with the reason printed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ACTOR = "断电测试"
NUMBER_RE = re.compile(r"^（\d{4}）新01刑初(\d+)号$")
SKIP_REASON = "本平台没有 SIGKILL（如 Windows），无法做强行终止测试，已跳过。"
#: A first open (schema creation) takes about 0.2 s here; kills on a new file fall within this
#: window, widened once a first open has been timed.
FIRST_OPEN_WINDOW = 0.3
#: Writers started ahead, importing CaseDesk while the current one runs.
SPARES = 2


def case_number(n: int, year: int) -> str:
    return f"（{year}）新01刑初{n}号"


# --- the writer (child process) -------------------------------------------------------------


def _say(text: str) -> None:
    """One line on the pipe, unbuffered: once ``os.write`` returns, the kernel holds it, and a
    SIGKILL afterwards cannot take it back."""
    os.write(1, f"{text}\n".encode())


def writer_main() -> None:
    from datetime import date

    from casedesk.domain.drafts import CaseDraft
    from casedesk.services.app import Services

    _say("ready")  # imported; waiting for its job
    line = sys.stdin.readline()
    if not line:
        return  # the driver is done: this spare is not needed
    job = json.loads(line)
    path, n, early = Path(job["path"]), int(job["start"]), bool(job.get("early"))
    _say("opening")
    started = time.perf_counter()
    services = Services.open(path, ACTOR, backup_dir=path.parent / "backups")
    _say(f"opened {time.perf_counter() - started:.4f}")
    today = date.today()
    while True:
        _say(f"begin {n}")
        if early:  # the negative control: a writer that claims a commit before making it
            _say(f"done {n}")
        services.cases.create(CaseDraft(case_number(n, today.year), "刑事", today))
        if not early:
            _say(f"done {n}")  # the commit has returned
        n += 1


# --- the checker ----------------------------------------------------------------------------


@dataclass
class Check:
    """What one look at the database found: the numbers present and any problem, in Chinese."""

    present: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    chain_checked: bool = False  # the audit hash chain was walked (where CaseDesk has one)


def _audit_chain(db: Any) -> str | None:
    """Walk the tamper-evident audit chain, where this CaseDesk has one: a crash must not break
    it. ``""`` when intact, the break in Chinese when not, ``None`` when there is no chain."""
    try:
        from casedesk.store.audit_chain import verify_chain
    except ImportError:
        return None
    raw = db.engine.raw_connection()
    try:
        report = verify_chain(raw.driver_connection)
    finally:
        raw.close()
    return "" if report.ok else f"审计链断开：{report.summary()}"


def _numbers(values: set[int]) -> str:
    shown = "、".join(str(n) for n in sorted(values)[:10])
    return shown + (f" 等 {len(values)} 条" if len(values) > 10 else "")


def check_database(path: Path, committed: set[int], in_flight: int | None) -> Check:
    """Open ``path`` as CaseDesk does and check the invariants against the numbers whose commit
    had returned (``committed``) and the one being written when the writer died (``in_flight``)."""
    from sqlalchemy import select

    from casedesk.store.database import StoreError, open_database
    from casedesk.store.models import AuditRecord, Case, CaseEvent

    result = Check()
    try:
        db = open_database(path, path.parent / "backups")
    except StoreError as exc:
        result.problems.append(f"数据库打不开：{exc}")
        return result
    except Exception as exc:  # anything else a damaged file may raise on the way in
        result.problems.append(f"数据库打不开：{type(exc).__name__}: {exc}")
        return result
    try:
        with db.engine.connect() as conn:
            integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            foreign = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        if integrity != ["ok"]:
            result.problems.append(f"integrity_check 未通过：{'；'.join(integrity[:5])}")
        if foreign:
            result.problems.append(f"foreign_key_check 发现 {len(foreign)} 处外键断裂")
        with db.session() as s:
            cases = {
                row.id: row.case_number for row in s.execute(select(Case.id, Case.case_number))
            }
            audited = set(
                s.scalars(
                    select(AuditRecord.entity_id).where(
                        AuditRecord.entity_type == "case", AuditRecord.action == "create"
                    )
                )
            )
            audit_cases = set(s.scalars(select(AuditRecord.case_id).distinct()))
            with_timeline = set(s.scalars(select(CaseEvent.case_id).distinct()))
        chain = _audit_chain(db)
        if chain:
            result.problems.append(chain)
        result.chain_checked = chain is not None
    except Exception as exc:  # "database disk image is malformed" and the like
        result.problems.append(f"读库出错（文件已损坏）：{type(exc).__name__}: {exc}")
        return result
    finally:
        db.close()

    by_number: dict[int, object] = {}
    for case_id, number in cases.items():
        match = NUMBER_RE.match(number)
        if match is None:
            result.problems.append(f"库中有不认识的案号“{number}”")
            continue
        by_number[int(match.group(1))] = case_id
    result.present = set(by_number)
    lost = committed - result.present
    if lost:
        result.problems.append(f"已提交（提交已返回）的记录丢失：{_numbers(lost)}")
    phantom = result.present - committed - {in_flight}
    if phantom:
        result.problems.append(f"库中出现从未开始写入的记录：{_numbers(phantom)}")
    no_audit = {n for n, cid in by_number.items() if str(cid) not in audited}
    if no_audit:
        result.problems.append(f"半写入：记录缺少其审计记录：{_numbers(no_audit)}")
    no_timeline = {n for n, cid in by_number.items() if cid not in with_timeline}
    if no_timeline:
        result.problems.append(f"半写入：记录缺少其时间线（收案）：{_numbers(no_timeline)}")
    case_ids = {str(cid) for cid in cases}
    orphans = (audited - case_ids) | ({str(c) for c in audit_cases if c is not None} - case_ids)
    if orphans:
        result.problems.append(f"半写入：{len(orphans)} 条审计记录所指的案件不在库中")
    return result


# --- the driver -----------------------------------------------------------------------------


@dataclass
class Tally:
    kills: int = 0
    first_open: int = 0  # landed while a new file was being created (schema, migration)
    reopening: int = 0  # landed while an existing file was being reopened
    in_transaction: int = 0  # landed between "begin N" and "done N"
    landed_after_commit: int = 0  # … of which the commit had taken effect (N in the file)
    between: int = 0  # landed between two transactions
    before_open: int = 0  # landed before the writer began to open the file
    hot_wal: int = 0  # kills after which the check found a WAL to recover
    chain_checks: int = 0  # checks that walked the audit hash chain and found it intact
    records: int = 0  # committed records checked after the last kill (all files)
    failure: str = ""
    workdir: Path | None = None


class _Writer:
    """One writer process: started ahead (it imports CaseDesk, then waits for its job)."""

    def __init__(self, workdir: Path, index: int):
        self.stderr_path = workdir / f"writer-{index}.err"
        self._stderr: IO[bytes] = self.stderr_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--writer"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )

    def start(self, path: Path, start: int, early: bool = False) -> None:
        assert self.proc.stdin and self.proc.stdout
        ready = self.proc.stdout.readline().decode().strip()
        if ready != "ready":
            self._stderr.flush()
            raise RuntimeError(f"写入进程未能启动：{_tail(self.stderr_path)}")
        self.proc.stdin.write(
            json.dumps({"path": str(path), "start": start, "early": early}).encode() + b"\n"
        )
        self.proc.stdin.flush()

    def kill(self) -> tuple[int, list[str]]:
        """SIGKILL, reap, and return the exit status and every line the writer had reported."""
        assert self.proc.stdout
        os.kill(self.proc.pid, signal.SIGKILL)
        status = self.proc.wait()
        lines = self.proc.stdout.read().decode().split("\n")
        self.close()
        return status, [line for line in lines if line]

    def dismiss(self) -> None:
        """A spare that is not needed: end of input makes it exit by itself."""
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait()
        self.close()
        self.stderr_path.unlink(missing_ok=True)

    def close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream and not stream.closed:
                stream.close()
        self._stderr.close()


def run(
    kills: int = 200,
    seed: int | None = None,
    first_open: int | None = None,
    max_delay: float = 0.6,
    workdir: Path | None = None,
    progress: bool = False,
    verbose: bool = False,
    report_before_commit: bool = False,
) -> Tally:
    """Kill a writer ``kills`` times; the first ``first_open`` kills (default a tenth) each on a
    new file during its first open, the rest on one file. Stops at the first failure.

    ``report_before_commit`` makes the writer report each number before its commit instead of
    after: the negative control, which these checks must catch as lost records."""
    rng = random.Random(seed)
    first_open = max(1, kills // 10) if first_open is None else min(first_open, kills)
    tally = Tally(workdir=workdir or Path(tempfile.mkdtemp(prefix="casedesk-crashtest-")))
    window = FIRST_OPEN_WINDOW
    main_db = tally.workdir / "casedesk.sqlite3"
    committed: dict[Path, set[int]] = {}
    opened_once: set[Path] = set()  # files a check has opened: their schema exists
    spares = deque(_Writer(tally.workdir, i) for i in range(SPARES))
    writer: _Writer | None = None
    try:
        for k in range(1, kills + 1):
            fresh = k <= first_open
            path = tally.workdir / f"new-{k}.sqlite3" if fresh else main_db
            done = committed.setdefault(path, set())
            if fresh:
                delay = rng.uniform(0, window)
            elif rng.random() < 0.15:
                delay = rng.uniform(0, 0.015)  # while reopening
            else:
                delay = rng.uniform(0.03, max_delay)
            writer = spares.popleft()
            spares.append(_Writer(tally.workdir, k + SPARES))
            try:
                writer.start(path, max(done, default=0) + 1, report_before_commit)
            except RuntimeError as exc:  # CaseDesk itself did not import: nothing to kill
                tally.failure = f"第 {k} 次之前：{exc}"
                return tally
            time.sleep(delay)
            status, lines = writer.kill()
            stderr_path, writer = writer.stderr_path, None
            where = f"第 {k} 次（延迟 {delay * 1000:.0f} ms，{path.name}）"
            if status != -signal.SIGKILL:
                tally.failure = f"{where}：写入进程在被强行终止前已退出（{status}）：\n"
                tally.failure += _tail(stderr_path)
                return tally
            stderr_path.unlink(missing_ok=True)
            tally.kills += 1
            reported = {int(x.split()[1]) for x in lines if x.startswith("done ")}
            done |= reported
            last = lines[-1] if lines else ""
            in_flight = int(last.split()[1]) if last.startswith("begin ") else None
            opened = [x for x in lines if x.startswith("opened ")]
            if "opening" not in lines:
                tally.before_open += 1
            elif not opened:
                if path in opened_once:
                    tally.reopening += 1
                else:
                    tally.first_open += 1
            elif in_flight is not None:
                tally.in_transaction += 1
            else:
                tally.between += 1
            if opened and path not in opened_once:  # a first open, timed: widen the window
                window = max(window, float(opened[0].split()[1]) * 1.2)
            wal = Path(f"{path}-wal")
            tally.hot_wal += wal.exists() and wal.stat().st_size > 0
            found = check_database(path, done, in_flight)
            opened_once.add(path)
            tally.chain_checks += found.chain_checked
            if found.problems:
                tally.failure = f"{where}，最后报告“{last}”：" + "；".join(found.problems)
                return tally
            if in_flight in found.present:
                tally.landed_after_commit += 1
                done.add(in_flight)
            if verbose:
                took = opened[0].split()[1] if opened else "-"
                print(f"{where}：打开用时 {took} s，报告已提交 {len(reported)} 条，最后“{last}”")
            if progress and k % 20 == 0:
                print(f"… 已强杀 {k}/{kills} 次，主库已提交 {len(committed.get(main_db, ()))} 条")
        tally.records = sum(len(v) for v in committed.values())
        return tally
    finally:
        if writer is not None:  # an error on the way: do not leave it writing
            writer.kill()
        for spare in spares:
            spare.dismiss()


def _tail(path: Path) -> str:
    text = path.read_text(errors="replace").strip() if path.exists() else ""
    return text[-1500:] or "（无错误输出）"


def summary(tally: Tally) -> str:
    if tally.failure:
        return (
            f"失败：SIGKILL {tally.kills} 次后发现问题。{tally.failure}\n文件保留在 {tally.workdir}"
        )
    return (
        f"SIGKILL {tally.kills} 次，全部通过：{tally.records} 条已提交记录均在（各有审计记录、"
        f"无半写入），每次 integrity_check ok"
        + ("、审计哈希链完整" if tally.chain_checks == tally.kills else "")
        + f"；{tally.hot_wal} 次检查时留有待恢复的 WAL。\n"
        f"其中：新建库首次打开/建表中 {tally.first_open} 次，"
        f"重新打开中 {tally.reopening} 次，事务进行中 {tally.in_transaction} 次"
        f"（其中 {tally.landed_after_commit} 次提交在被杀时已生效、未及报告，记录在库），"
        f"两次事务之间 {tally.between} 次"
        + (f"，开始打开之前 {tally.before_open} 次。" if tally.before_open else "。")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CaseDesk 断电（SIGKILL）安全测试")
    parser.add_argument("--kills", type=int, default=200, help="强行终止的次数（默认 200）")
    parser.add_argument("--seed", type=int, default=None, help="随机种子（默认随机）")
    parser.add_argument("--keep", action="store_true", help="通过后也保留测试数据库")
    parser.add_argument("--verbose", action="store_true", help="逐次列出每次强杀的情况")
    parser.add_argument("--writer", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.writer:
        writer_main()
        return 0
    if not hasattr(signal, "SIGKILL"):
        print(SKIP_REASON)
        return 0
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    print(f"断电安全测试：SIGKILL {args.kills} 次，随机种子 {seed}（--seed {seed} 可重现延迟）")
    started = time.perf_counter()
    tally = run(args.kills, seed, progress=not args.verbose, verbose=args.verbose)
    print(summary(tally))
    print(f"用时 {time.perf_counter() - started:.0f} 秒。")
    if tally.failure:
        return 1
    if not args.keep and tally.workdir is not None:
        shutil.rmtree(tally.workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
