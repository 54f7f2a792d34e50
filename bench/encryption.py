"""The cost of encryption at rest (the "encryption" section of ``make bench``).

On two copies of the reference dataset, made for the run and deleted after it (the reference
file itself is only read): an encrypted one written by ``casedesk.store.encrypt`` (SQLCipher's
``sqlcipher_export``: the SQLite backup API cannot copy a plain database into an encrypted one),
and a plain one written the same way into a plain file, so that both have the same page layout
(an exported file is compact, a backup-API copy keeps the original's layout: comparing those
would measure the layout, not the encryption). Both are fresh, so both sit in the OS cache alike.

Three ways of reading them: "plain" is CaseDesk today (Python's own SQLite on the plain copy);
"plain_sqlcipher_sqlite" reads the same plain copy through the SQLite inside sqlcipher3 (a newer
SQLite) with no key; "encrypted" is the encrypted copy. encrypted vs plain_sqlcipher_sqlite is the
cost of the cipher alone; encrypted vs plain is what a user sees. Each: open the database (the
first open also derives the key), the case list's first page, three searches, open a case, save
(register) a case; median of RUNS. A copy at an older schema is upgraded before timing. The
app's start on each copy (``startup``) gets the key through ``CASEDESK_KEY``, as a script would:
``casedesk`` then derives it while it loads (store/cipher.py, ``derive_ahead``), whereas
"first_open_ms" is an open that derives the key itself (a key typed in the app).

Run alone: ``python bench/run.py --only encryption``.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

KEY = "bench-加密基准-密钥-2026"
PAGE = 40  # rows of the case list's first screen
SEARCHES = ("有限公司", "王伟", "借款合同")
_NUMBERS = itertools.count(900_001)  # the cases saved: new numbers on every copy


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def _remove(path: Path) -> None:
    for side in ("", "-wal", "-shm", ".partial"):
        Path(f"{path}{side}").unlink(missing_ok=True)


def _plain_export(source: Path, out: Path) -> None:
    """A plain copy laid out as ``sqlcipher_export`` lays out the encrypted one."""
    from casedesk.store import cipher

    conn = cipher.module().connect(str(source), isolation_level=None)
    try:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(out),))
        conn.execute("BEGIN")
        app_id = int(conn.execute("PRAGMA main.application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute(f"PRAGMA plain.application_id = {app_id}")
        conn.execute(f"PRAGMA plain.user_version = {version}")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()


def _on_sqlcipher_sqlite(path: Path):  # type: ignore[no-untyped-def]
    """Services over the plain file through sqlcipher3's SQLite, no key (bench only)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.orm import sessionmaker

    from casedesk.services.app import Services
    from casedesk.store import cipher
    from casedesk.store.database import Database, _configure

    dbapi = cipher.module()
    engine = create_engine(
        f"sqlite:///{path}",
        module=dbapi,
        creator=lambda: dbapi.connect(str(path), check_same_thread=False),
    )
    _configure(engine)
    factory = sessionmaker(engine, expire_on_commit=False)
    database = Database(path, engine, factory)
    event.listen(factory, "after_commit", lambda _session: database.changed())
    return Services(database, "bench")


def _measure(path: Path, key: str | None, runs: int, sqlcipher_sqlite: bool = False) -> dict:
    """The medians on one copy (upgraded first if older; the upgrade backup is deleted)."""
    from casedesk.domain.drafts import CaseDraft
    from casedesk.services.app import Services
    from casedesk.services.lists import CaseFilter
    from casedesk.store import cipher

    def opened() -> Services:
        if sqlcipher_sqlite:
            return _on_sqlcipher_sqlite(path)
        return Services.open(path, "bench", key=key)

    upgrade_backups = path.parent / f"{path.stem}-upgrade-backups"
    Services.open(path, "bench", backup_dir=upgrade_backups, key=key).close()  # if older
    cipher.forget(path)
    cipher._derived.clear()  # the first open derives the key from the passphrase, as at start
    result: dict = {"first_open_ms": None, "open_ms": None}
    if not sqlcipher_sqlite:  # that one skips open_database's checks: its open is no match
        started = time.perf_counter()
        opened().close()
        result["first_open_ms"] = round((time.perf_counter() - started) * 1000, 1)
        result["open_ms"] = _median_ms(lambda: opened().close(), runs)
    services = opened()
    try:
        reader = services.case_list

        def first_page(search: str = "") -> Callable[[], None]:
            def run() -> None:
                services.db.changed()  # nothing cached: as after a save
                keys = reader.keys(CaseFilter(search=search), "accepted_on", True)
                reader.rows(keys[:PAGE])

            return run

        result["case_list_first_page_ms"] = _median_ms(first_page(), runs)
        result["search_ms"] = {q: _median_ms(first_page(q), runs) for q in SEARCHES}
        ids = reader.ids(CaseFilter(search="有限公司"), "accepted_on", True)
        sample = iter(ids[:: max(1, len(ids) // runs)] * 2)
        result["open_case_ms"] = _median_ms(lambda: services.cases.get(next(sample)), runs)

        def save() -> None:
            n = next(_NUMBERS)
            services.cases.create(CaseDraft(f"（2026）新01民初{n}号", "民事", date(2026, 1, 5)))

        result["save_case_ms"] = _median_ms(save, runs)
    finally:
        services.close()
    return result


def _overhead(plain: dict, encrypted: dict) -> dict:
    """Per measure: both medians, the difference and the difference in percent."""
    flat_plain, flat_enc = _flatten(plain), _flatten(encrypted)
    return {
        name: {
            "plain_ms": flat_plain[name],
            "encrypted_ms": flat_enc[name],
            "overhead_ms": round(flat_enc[name] - flat_plain[name], 2),
            "overhead_pct": round((flat_enc[name] / flat_plain[name] - 1) * 100, 1),
        }
        for name in flat_plain
        if flat_plain[name] and flat_enc.get(name) is not None
    }


def _flatten(values: dict, prefix: str = "") -> dict[str, float]:
    flat: dict[str, float] = {}
    for name, value in values.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[prefix + name] = value
    return flat


def encryption_cost(
    path: Path,
    bench_dir: Path,
    runs: int,
    log: Callable[[str], None],
    startup: Callable[[Path], dict] | None = None,
) -> dict:
    """The section's report (or why it was skipped). ``startup(path)`` times the app's start
    to the window shown (run.py's; the key is given through CASEDESK_KEY)."""
    from casedesk.store import cipher
    from casedesk.store.backup import backup_sqlite
    from casedesk.store.encrypt import encrypt_database

    if not cipher.available():
        return {"skipped": "sqlcipher3 未安装（pip install 'casedesk[encryption]'）"}
    plain, encrypted = bench_dir / "cipher-plain.sqlite3", bench_dir / "cipher-encrypted.sqlite3"
    _remove(plain)
    _remove(encrypted)
    try:
        log("  写出加密副本（casedesk encrypt：sqlcipher_export，含完整性校验）…")
        started = time.perf_counter()
        encrypt_database(path, encrypted, KEY)
        encrypt_s = time.perf_counter() - started
        log("  以同样方式写出未加密副本…")
        started = time.perf_counter()
        _plain_export(path, plain)
        plain_s = time.perf_counter() - started
        log("  备份加密副本（SQLite 在线备份，含完整性校验）…")
        started = time.perf_counter()
        backup_sqlite(encrypted, bench_dir / "cipher-backup.sqlite3", key=KEY)
        backup_s = time.perf_counter() - started
        _remove(bench_dir / "cipher-backup.sqlite3")
        log("  测量未加密副本…")
        on_plain = _measure(plain, None, runs)
        log("  测量未加密副本（经 sqlcipher3 的 SQLite）…")
        on_new_sqlite = _measure(plain, None, runs, sqlcipher_sqlite=True)
        log("  测量加密副本…")
        on_encrypted = _measure(encrypted, KEY, runs)
        if startup is not None:
            log("  测量启动到主窗口显示（未加密 / 加密）…")
            on_plain["startup_to_window_ms"] = startup(plain)["median_ms"]
            on_new_sqlite["startup_to_window_ms"] = None
            os.environ["CASEDESK_KEY"] = KEY
            try:
                on_encrypted["startup_to_window_ms"] = startup(encrypted)["median_ms"]
            finally:
                del os.environ["CASEDESK_KEY"]
        report = {
            "copies": {
                "encrypt_a_plain_database_s": round(encrypt_s, 1),
                "same_export_plain_s": round(plain_s, 1),
                "backup_of_the_encrypted_copy_s": round(backup_s, 1),
                "plain_mb": round(plain.stat().st_size / 2**20),
                "encrypted_mb": round(encrypted.stat().st_size / 2**20),
            },
            "sqlite": sqlite3.sqlite_version,
            "sqlcipher": _version(encrypted),
            "plain": on_plain,
            "plain_sqlcipher_sqlite": on_new_sqlite,
            "encrypted": on_encrypted,
            "overhead_seen_by_the_user": _overhead(on_plain, on_encrypted),
            "overhead_of_the_cipher_alone": _overhead(on_new_sqlite, on_encrypted),
        }
    finally:
        for copy in (plain, encrypted):
            _remove(copy)
            shutil.rmtree(copy.parent / f"{copy.stem}-upgrade-backups", ignore_errors=True)
        cipher.forget(encrypted)
    return report


def _version(path: Path) -> str:
    from casedesk.store import cipher

    conn = cipher.connect(path, KEY)
    try:
        version = conn.execute("PRAGMA cipher_version").fetchone()[0]
        return f"SQLCipher {version}, SQLite {cipher.module().sqlite_version}"
    finally:
        conn.close()
