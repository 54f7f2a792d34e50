"""Opening a CaseDesk database: checks, backup, upgrade, engine with the right pragmas.

A file that is not a CaseDesk database, is damaged or truncated, is locked by another program, or
comes from a newer CaseDesk is refused with a Chinese message and never modified: every check
before the upgrade opens it read-only, creating no -wal/-shm beside it.

How deep the check at open goes (measured on the 1.6 GB bench file, 150,000 cases): reading the
header and the schema takes ~5 ms; ``PRAGMA quick_check`` takes ~1.9 s with the file in the OS
cache and ~19 s from disk, far over the 1.5 s start-up budget. So every open checks the header
(page size, a file shorter than the page count it records = truncated) and reads the schema and
the CaseDesk marks; the full read-only ``quick_check`` runs only when the last session did not
close cleanly (a non-empty ``-wal`` is left beside the file: SQLite removes it when the last
connection closes, so one left behind means a crash, a power cut, or another CaseDesk that has the
file open). Damage deeper in a file that was closed cleanly is found by the daily backup, whose
copy is verified with ``PRAGMA integrity_check`` (the backup API copies pages as they are).

An encrypted file (SQLCipher, :mod:`casedesk.store.cipher`) has no readable header: without a key
it is refused as encrypted, with a key it is opened through SQLCipher and checked the same way. A
key that does not open it is refused without writing anything. A plain file is opened exactly as
before, without loading SQLCipher.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from casedesk.store import cipher, migrate

#: Written into the SQLite header (PRAGMA application_id) of every CaseDesk database: "CDK1".
APPLICATION_ID = 0x43444B31
_SQLITE_MAGIC = cipher.SQLITE_MAGIC


class StoreError(Exception):
    """A database cannot be opened; ``str(error)`` is a Chinese message for the user."""


class NotCaseDeskDatabase(StoreError):
    pass


class DamagedDatabase(StoreError):
    pass


class TruncatedDatabase(DamagedDatabase):
    """Shorter than the page count its header records: a copy or a write broken off."""


class NewerDatabase(StoreError):
    pass


class LockedDatabase(StoreError):
    """Another program holds a lock that keeps CaseDesk from reading or writing the file."""


class ReadOnlyDatabase(StoreError):
    """The file or its folder cannot be written (read-only medium, no permission)."""


class UpgradeBackupFailed(StoreError, OSError):
    """The backup before an upgrade could not be written; nothing was upgraded."""


class EncryptedDatabase(StoreError):
    """The file is encrypted and no key was given: ask for one."""


class WrongKey(StoreError):
    """The key given does not open the file (or the file is not an encrypted database)."""


class NotEncrypted(StoreError):
    """A key was given for a file that is not encrypted."""


class EncryptionUnavailable(StoreError):
    """The file is encrypted but ``sqlcipher3`` is not installed."""


#: SQLite's primary result codes for "another connection holds the lock".
_NOT_A_DATABASE = 26  # SQLITE_NOTADB: what SQLCipher answers to a wrong key
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_READ_ONLY_CODES = {8, 14}  # SQLITE_READONLY, SQLITE_CANTOPEN (no -wal can be made)
#: How long opening waits for another program's write lock before calling the file locked.
LOCK_WAIT_SECONDS = 2.0


@dataclass
class Database:
    """An open database: its engine and a factory of sessions."""

    path: Path
    engine: Engine
    session_factory: sessionmaker[Session]
    backup_path: Path | None = None  # the backup taken before an upgrade on this open
    #: True when this open ran the full quick_check (the last session had not closed cleanly).
    checked: bool = False
    #: Counts the commits made through this object's sessions (and :meth:`changed` calls), so
    #: readers can tell when what they cached is stale.
    generation: int = 0
    #: True when the file is encrypted (its key is held in memory, see store/cipher.py).
    encrypted: bool = False

    def changed(self) -> None:
        """Note a write that did not go through a session (bulk loads)."""
        self.generation += 1

    def session(self) -> Session:
        return self.session_factory()

    def close(self) -> None:
        self.engine.dispose()


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (the pysqlite recipe), so transactions
    # and savepoints behave as documented.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def create_sqlite_engine(path: Path) -> Engine:
    """An engine on ``path`` with WAL, foreign keys, synchronous=FULL and a busy timeout."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    return _configure(engine)


def create_cipher_engine(path: Path, key: str) -> Engine:
    """The same engine on an encrypted file: every connection is a SQLCipher connection that
    sets the key before anything else, then gets the usual pragmas. A new file is created
    encrypted."""
    salt = cipher.read_salt(path) or cipher.new_salt()

    def creator() -> object:
        return cipher.connect(path, key, salt=salt, check_same_thread=False)

    # The file URL keeps the pool of a file database (as above); ``module`` makes SQLAlchemy
    # wrap sqlcipher3's errors as it wraps sqlite3's.
    engine = create_engine(f"sqlite:///{path}", module=cipher.module(), creator=creator)
    return _configure(engine)


def _configure(engine: Engine) -> Engine:
    event.listen(engine, "connect", _on_connect)

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN")

    return engine


def _key(path: Path, key: str | None) -> str | None:
    """``None``: the key remembered for ``path``; ``""``: explicitly none."""
    return cipher.key_for(path) if key is None else (key or None)


@contextmanager
def read_only(path: Path, key: str | None = None) -> Iterator[sqlite3.Connection]:
    """Open for reading; the file and its WAL are never written. An encrypted file is opened
    with ``key`` (default: the key remembered for it).

    Without a ``-wal`` there is nothing to recover: "immutable" keeps SQLite from creating
    -wal/-shm beside a file we may be about to refuse. With a ``-wal`` (a crash, or another
    CaseDesk using it) its committed pages must be read too, so SQLite opens it normally
    read-only and may rebuild the ``-shm`` (its index of the WAL, rebuilt by every opener after a
    crash; no data). ``readonly_shm`` would spare even that, but after a SIGKILL it fails with
    "locking protocol" on a stale index (seen in the crash test), so it is not used.
    """
    query = "mode=ro"
    if not Path(f"{path}-wal").exists():
        query += "&immutable=1"
    conn = cipher.open_file(path, _key(path, key), query)
    try:
        yield conn
    finally:
        conn.close()


def closed_uncleanly(path: Path) -> bool:
    """A non-empty ``-wal`` beside the file: the last session did not close it (or another
    program has it open)."""
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def _check_header(path: Path, size: int, header: bytes) -> None:
    """The page size the header records, and a file at least as long as its page count says."""
    if size < 100 or len(header) < 100:
        raise DamagedDatabase(_damaged(path, "文件头不完整"))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedDatabase(_damaged(path, "文件头中的页大小无效"))
    if closed_uncleanly(path):
        return  # pages may still sit in the WAL; the quick_check that follows reads both
    pages = int.from_bytes(header[28:32], "big")
    counted = pages and header[92:96] == header[24:28]  # the count is valid for this version
    if size % page_size or (counted and size < pages * page_size):
        expected = pages * page_size if counted else (size // page_size + 1) * page_size
        raise TruncatedDatabase(
            f"数据库“{path.name}”已损坏：文件不完整（应有 {expected:,} 字节，实际只有 "
            f"{size:,} 字节），可能是复制中断或磁盘故障。文件未作任何改动，"
            "请从备份恢复或选择其他数据库。"
        )


def _damaged(path: Path, why: str) -> str:
    return (
        f"数据库“{path.name}”已损坏，无法读取（{why}）。文件未作任何改动，"
        "请从备份恢复或选择其他数据库。"
    )


def _locked(path: Path) -> str:
    return (
        f"数据库“{path.name}”正被其他程序（可能是另一个 CaseDesk）锁定，暂时无法打开。"
        "请关闭正在使用它的程序后重试。文件未作任何改动。"
    )


def _refusal(path: Path, exc: Exception, key: str | None = None) -> StoreError:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in _BUSY_CODES:
        return LockedDatabase(_locked(path))
    if key and code == _NOT_A_DATABASE:
        return WrongKey(wrong_key_message(path))
    return DamagedDatabase(_damaged(path, str(exc)))


def wrong_key_message(path: Path) -> str:
    return f"密钥不正确或文件不是加密的 CaseDesk 数据库（“{path.name}”）。文件未作任何改动。"


def _encrypted(path: Path, size: int, header: bytes, key: str | None) -> None:
    """The checks of a file without a plain SQLite header: encrypted and no key, no SQLCipher
    here, or not whole pages (SQLCipher writes whole pages: shorter = truncated)."""
    if not key and not cipher.looks_encrypted(size, header):
        raise NotCaseDeskDatabase(
            f"“{path.name}”不是 CaseDesk 数据库（不是 SQLite 数据库文件）。文件未作任何改动。"
        )
    if not cipher.available():
        raise EncryptionUnavailable(
            f"“{path.name}”是加密的数据库，但本机的 CaseDesk 没有安装加密组件 sqlcipher3"
            "（pip install 'casedesk[encryption]'），无法打开。文件未作任何改动。"
        )
    if not key:
        raise EncryptedDatabase(
            f"此数据库已加密，请输入密钥（“{path.name}”；命令行中用环境变量 CASEDESK_KEY 提供）。"
            "文件未作任何改动。"
        )
    if size % 512 and not closed_uncleanly(path):
        raise TruncatedDatabase(_damaged(path, "加密文件不是整页长度，文件不完整"))


def _quick_check(conn: sqlite3.Connection) -> list[str]:
    """The problems ``PRAGMA quick_check`` finds ([] when none); a page too broken to walk is
    one of them, not an error. A lock is still an error (the file may be sound)."""
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
    except cipher.errors() as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF in _BUSY_CODES:
            raise
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def inspect_file(path: Path, check: bool = False, key: str | None = None) -> str | None:
    """The schema revision of an existing CaseDesk file; ``None`` when new or empty.

    ``check`` adds a full read-only ``PRAGMA quick_check``. Raises :class:`StoreError` for
    anything that is not a usable CaseDesk database; the file is never written. ``key`` opens an
    encrypted file (``None``: the key remembered for ``path``; ``""``: none): a key for a plain
    file is refused (:class:`NotEncrypted`), as is an encrypted file without one.
    """
    key = _key(path, key)
    if not path.exists() or (not path.is_dir() and path.stat().st_size == 0):
        return None
    if path.is_dir():
        raise NotCaseDeskDatabase(f"“{path}”是文件夹，不是数据库文件。")
    with path.open("rb") as fh:
        header = fh.read(100)
    if header[: len(_SQLITE_MAGIC)] != _SQLITE_MAGIC:
        _encrypted(path, path.stat().st_size, header, key)
    elif key:
        raise NotEncrypted(
            f"数据库“{path.name}”没有加密，不需要密钥（如要加密，请用 casedesk encrypt "
            "生成加密副本）。文件未作任何改动。"
        )
    else:
        _check_header(path, path.stat().st_size, header)
    try:
        with read_only(path, key or "") as conn:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            problems = _quick_check(conn) if check else []
    except cipher.errors() as exc:
        raise _refusal(path, exc, key) from exc
    if problems:
        raise DamagedDatabase(_damaged(path, "完整性检查未通过：" + "；".join(problems)))
    if not tables:
        return None
    if app_id != APPLICATION_ID or revision is None:
        raise NotCaseDeskDatabase(
            f"“{path.name}”是 SQLite 数据库，但不是 CaseDesk 数据库。文件未作任何改动。"
        )
    return revision


def probe_write_lock(path: Path, wait: float | None = None, key: str | None = None) -> None:
    """Raise :class:`LockedDatabase` when another program holds the write lock for longer than
    ``wait`` seconds (default :data:`LOCK_WAIT_SECONDS`), :class:`ReadOnlyDatabase` when the
    file or its folder cannot be written. Takes the lock and gives it back at once; nothing is
    written."""
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    try:
        conn = cipher.open_file(path, _key(path, key), timeout=wait, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except cipher.errors() as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF in _READ_ONLY_CODES:
            raise ReadOnlyDatabase(
                f"数据库“{path.name}”或它所在的文件夹不能写入（只读介质或没有写权限），"
                "CaseDesk 无法在其中保存。请把它复制到可写的位置再打开。文件未作任何改动。"
            ) from exc
        raise _refusal(path, exc) from exc


def open_database(path: Path, backup_dir: Path | None = None, key: str | None = None) -> Database:
    """Open (creating or upgrading as needed) the CaseDesk database at ``path``.

    An existing database at an older schema is first backed up with the SQLite backup API into
    ``backup_dir`` (default: ``backups`` next to the file), then upgraded. With ``key`` (default:
    the key remembered for ``path``) the file is encrypted: opened with it, or created encrypted;
    a key that opens it is remembered for this process (backups and restores need it).
    """
    from casedesk.store.backup import backup_before_upgrade

    path = Path(path).expanduser().resolve()
    key = _key(path, key)
    check = path.is_file() and closed_uncleanly(path)
    try:
        revision = inspect_file(path, check=check, key=key or "")
    except (WrongKey, NotEncrypted):
        cipher.forget(path)
        raise
    except StoreError:
        if key:  # the key opened it (or could not be tried): restoring a backup needs it
            cipher.remember(path, key)
        raise
    if key and revision is None:
        if not cipher.available():
            raise EncryptionUnavailable(
                "不能新建加密数据库：本机的 CaseDesk 没有安装加密组件 sqlcipher3"
                "（pip install 'casedesk[encryption]'）。未创建文件。"
            )
        if problem := cipher.new_key_problem(key):
            raise StoreError(f"不能用这个密钥新建加密数据库：{problem}。未创建文件。")
    if key:
        cipher.remember(path, key)
    backup_path = None
    if revision is not None and revision != migrate.HEAD and not migrate.is_known(revision):
        raise NewerDatabase(
            f"数据库“{path.name}”由更新版本的 CaseDesk 创建（结构版本 {revision}），"
            "请升级 CaseDesk 后再打开。文件未作任何改动。"
        )
    if revision is not None:
        probe_write_lock(path, key=key or "")
    if revision is not None and revision != migrate.HEAD:
        try:
            backup_path = backup_before_upgrade(
                path, revision, backup_dir or path.parent / "backups", key=key or ""
            )
        except OSError as exc:
            raise UpgradeBackupFailed(
                f"升级数据库“{path.name}”前的备份失败：{exc}。数据库未升级，未作任何改动。"
            ) from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_cipher_engine(path, key) if key else create_sqlite_engine(path)
    if revision != migrate.HEAD:
        # Mark the file as CaseDesk's before creating the schema: a process killed between the
        # two must leave a file the next start recognises (no tables yet = a new database).
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        migrate.upgrade(engine)
    factory = sessionmaker(engine, expire_on_commit=False)
    database = Database(path, engine, factory, backup_path, checked=check, encrypted=bool(key))
    event.listen(factory, "after_commit", lambda _session: database.changed())
    return database
