"""Damaged files (issue 7, point 6): a database that is corrupt, truncated, locked by another
program, from a newer CaseDesk, or not a CaseDesk database is refused with a clear Chinese message
naming the file, and the file is never modified — same bytes, same modification time, and no
-wal/-shm appear beside it."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from casedesk.services.app import Services
from casedesk.services.backups import BackupService
from casedesk.services.errors import ServiceError
from casedesk.store import database
from casedesk.store.backup import backup_sqlite
from casedesk.store.database import (
    DamagedDatabase,
    LockedDatabase,
    NewerDatabase,
    NotCaseDeskDatabase,
    StoreError,
    TruncatedDatabase,
    open_database,
)

SIDES = ("", "-wal", "-shm", "-journal")


def snapshot(path: Path) -> dict[str, tuple[str, int] | None]:
    """Content hash and modification time of the file and each of its side files."""
    state: dict[str, tuple[str, int] | None] = {}
    for side in SIDES:
        f = Path(f"{path}{side}")
        state[side] = (
            (hashlib.sha256(f.read_bytes()).hexdigest(), f.stat().st_mtime_ns)
            if f.exists()
            else None
        )
    return state


def refused(path: Path, error: type[StoreError], index_rebuilt: bool = False) -> str:
    """Open ``path``, expect ``error``; the file and its side files unchanged (with
    ``index_rebuilt`` the -shm, SQLite's index of a WAL left by a crash, may be rebuilt: it holds
    no data). The message."""
    before = snapshot(path)
    with pytest.raises(error) as info:
        open_database(path)
    after = snapshot(path)
    if index_rebuilt:
        assert before["-shm"] is not None and after["-shm"] is not None
        before["-shm"] = after["-shm"]
    assert after == before
    assert not (path.parent / "backups").exists()  # no upgrade backup was attempted
    message = str(info.value)
    assert path.name in message and "文件未作任何改动" in message
    return message


def table_page(path: Path, table: str = "court_code") -> int:
    """Byte offset of a table's root page."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    return (root[0] - 1) * page_size


def overwrite(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(data)


# -- damaged, truncated, foreign, newer -----------------------------------------------------------


def _cut(fraction: float) -> Callable[[Path], None]:
    def cut(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * fraction)])

    return cut


def _cut_mid_page(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 1000])


def _schema_overwritten(path: Path) -> None:
    overwrite(path, 100, b"\xff" * 3000)  # page 1 holds the schema: the header stays intact


def _bad_page_size(path: Path) -> None:
    overwrite(path, 16, b"\x03\x00")  # 768: not a power of two


@pytest.mark.parametrize(
    ("damage", "error", "words"),
    [
        pytest.param(_cut(0.5), TruncatedDatabase, "文件不完整", id="truncated-half"),
        pytest.param(_cut_mid_page, TruncatedDatabase, "文件不完整", id="truncated-mid-page"),
        pytest.param(_schema_overwritten, DamagedDatabase, "已损坏", id="schema-page-corrupt"),
        pytest.param(_bad_page_size, DamagedDatabase, "页大小无效", id="header-page-size"),
    ],
)
def test_damaged_and_truncated_files_are_refused_untouched(
    db_path: Path,
    damage: Callable[[Path], None],
    error: type[StoreError],
    words: str,
) -> None:
    damage(db_path)
    message = refused(db_path, error)
    assert "已损坏" in message and words in message and "请从备份恢复" in message


def test_a_truncated_file_says_how_much_is_missing(db_path: Path) -> None:
    size = db_path.stat().st_size
    db_path.write_bytes(db_path.read_bytes()[: size - 8192])
    message = refused(db_path, TruncatedDatabase)
    assert f"应有 {size:,} 字节" in message and f"实际只有 {size - 8192:,} 字节" in message


def test_not_a_casedesk_database(tmp_path: Path) -> None:
    text = tmp_path / "台账.sqlite3"
    text.write_text("案号,当事人\n", encoding="utf-8")
    assert "不是 SQLite 数据库文件" in refused(text, NotCaseDeskDatabase)
    other = tmp_path / "别的程序.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    assert "不是 CaseDesk 数据库" in refused(other, NotCaseDeskDatabase)


def test_a_database_from_a_newer_casedesk(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    conn.commit()
    conn.close()
    message = refused(db_path, NewerDatabase)
    assert "更新版本的 CaseDesk" in message and "ffff9999" in message


# -- pages damaged behind an intact header and schema ----------------------------------------------

CRASH = textwrap.dedent(
    """
    import os, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1])
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("INSERT INTO app_setting (key, value) VALUES ('crash', 'test')")
    conn.commit()
    os._exit(0)  # a power cut: no checkpoint, the -wal and -shm stay
    """
)


def test_pages_damaged_after_an_unclean_close_are_found_by_the_check(db_path: Path) -> None:
    subprocess.run([sys.executable, "-c", CRASH, str(db_path)], check=True)
    assert database.closed_uncleanly(db_path)
    overwrite(db_path, table_page(db_path), b"\xff" * 64)
    message = refused(db_path, DamagedDatabase, index_rebuilt=True)  # the -wal is not touched
    assert "完整性检查未通过" in message


def test_after_an_unclean_close_a_sound_file_is_checked_and_opens(db_path: Path) -> None:
    subprocess.run([sys.executable, "-c", CRASH, str(db_path)], check=True)
    db = open_database(db_path)
    try:
        assert db.checked  # the quick_check ran
        with db.engine.connect() as conn:
            value = conn.exec_driver_sql("SELECT value FROM app_setting WHERE key='crash'")
            assert value.scalar() == "test"  # the commit in the WAL survived
    finally:
        db.close()
    assert not database.closed_uncleanly(db_path)  # closed cleanly: no check next time
    db = open_database(db_path)
    db.close()
    assert not db.checked


def test_pages_damaged_in_a_cleanly_closed_file_are_found_by_the_daily_backup(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up check stays cheap (header, length, schema: a full quick_check of the 1.6 GB
    bench file takes 1.9–19 s); the daily backup's integrity_check reads every page."""
    from casedesk.services import backups

    monkeypatch.setattr(backups, "settings_path", lambda: tmp_path / "settings.json")
    overwrite(db_path, table_page(db_path), b"\xff" * 64)
    services = Services.open(db_path, "测试员")
    try:
        assert not services.db.checked
        with pytest.raises(ServiceError) as info:
            BackupService(services.db, services.actor).daily_backup()
        assert "备份校验未通过" in str(info.value) and "可能已损坏" in str(info.value)
    finally:
        services.close()
    assert not list((db_path.parent / "backups").glob("*.sqlite3*"))


# -- locked by another program ------------------------------------------------------------------


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "LOCK_WAIT_SECONDS", 0.2)


@contextmanager
def holding(path: Path, *pragmas: str) -> Iterator[sqlite3.Connection]:
    """A second connection (another CaseDesk) holding ``BEGIN EXCLUSIVE``."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in pragmas:
        conn.execute(pragma)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def _to_rollback_journal(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


@pytest.mark.parametrize(
    ("prepare", "pragmas"),
    [
        pytest.param(lambda p: None, (), id="wal-write-lock"),
        pytest.param(_to_rollback_journal, (), id="rollback-journal-exclusive-lock"),
        pytest.param(lambda p: None, ("PRAGMA locking_mode=EXCLUSIVE",), id="exclusive-mode"),
    ],
)
def test_a_database_locked_by_another_program(
    db_path: Path,
    short_wait: None,
    prepare: Callable[[Path], None],
    pragmas: tuple[str, ...],
) -> None:
    prepare(db_path)
    with holding(db_path, *pragmas):
        message = refused(db_path, LockedDatabase)
        assert "正被其他程序" in message and "锁定" in message and "重试" in message
    open_database(db_path).close()  # the lock released: it opens


def test_a_write_lock_held_briefly_is_waited_for(db_path: Path) -> None:
    """Another CaseDesk saving (a lock held for a moment) is not "locked": opening waits."""
    locked, release = threading.Event(), threading.Event()

    def other_desk() -> None:
        conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN EXCLUSIVE")
        locked.set()
        release.wait(0.3)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=other_desk)
    thread.start()
    locked.wait()
    db = open_database(db_path)  # waits up to LOCK_WAIT_SECONDS (2 s) for the lock
    db.close()
    thread.join()


def test_a_copy_of_a_damaged_file_for_the_record(db_path: Path, tmp_path: Path) -> None:
    """The backup API refuses nothing by itself: verifying the copy is what catches damage."""
    overwrite(db_path, table_page(db_path), b"\xff" * 64)
    before = snapshot(db_path)
    with pytest.raises(OSError, match="备份校验未通过"):
        backup_sqlite(db_path, tmp_path / "copy.sqlite3")
    assert snapshot(db_path) == before
    assert not any(p.name.startswith("copy.sqlite3") for p in tmp_path.iterdir())
    assert os.listdir(db_path.parent) == [db_path.name]


def test_a_file_that_cannot_be_written_is_refused_as_read_only(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only medium (root may write anywhere here, so SQLite's answer is simulated)."""
    real_connect = sqlite3.connect

    def read_only_medium(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(target) != str(db_path):
            return real_connect(target, *args, **kwargs)  # the read-only inspection
        error = sqlite3.OperationalError("attempt to write a readonly database")
        error.sqlite_errorcode = 8  # SQLITE_READONLY
        raise error

    monkeypatch.setattr(database.sqlite3, "connect", read_only_medium)
    message = refused(db_path, database.ReadOnlyDatabase)
    assert "不能写入" in message and "复制到可写的位置" in message
