"""Opening a CaseDesk database: checks, backup, upgrade, engine with the right pragmas.

A file that is not a CaseDesk database, is damaged, or comes from a newer CaseDesk is refused with
a Chinese message and never modified: every check before the upgrade opens it read-only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from casedesk.store import migrate
from casedesk.store.backup import backup_before_upgrade

#: Written into the SQLite header (PRAGMA application_id) of every CaseDesk database: "CDK1".
APPLICATION_ID = 0x43444B31
_SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(Exception):
    """A database cannot be opened; ``str(error)`` is a Chinese message for the user."""


class NotCaseDeskDatabase(StoreError):
    pass


class DamagedDatabase(StoreError):
    pass


class NewerDatabase(StoreError):
    pass


@dataclass
class Database:
    """An open database: its engine and a factory of sessions."""

    path: Path
    engine: Engine
    session_factory: sessionmaker[Session]
    backup_path: Path | None = None  # the backup taken before an upgrade on this open
    #: Counts the commits made through this object's sessions (and :meth:`changed` calls), so
    #: readers can tell when what they cached is stale.
    generation: int = 0

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
    event.listen(engine, "connect", _on_connect)

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN")

    return engine


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """Open for reading without changing anything next to the file. A WAL-mode database whose
    log is absent has nothing to recover: opening it "immutable" keeps SQLite from creating
    empty -wal/-shm files beside a file we may be about to refuse."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    try:
        yield conn
    finally:
        conn.close()


def inspect_file(path: Path) -> str | None:
    """The schema revision of an existing CaseDesk file; ``None`` when new or empty.

    Raises :class:`StoreError` for anything that is not a usable CaseDesk database.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    if path.is_dir():
        raise NotCaseDeskDatabase(f"“{path}”是文件夹，不是数据库文件。")
    with path.open("rb") as fh:
        header = fh.read(len(_SQLITE_MAGIC))
    if header != _SQLITE_MAGIC:
        raise NotCaseDeskDatabase(
            f"“{path.name}”不是 CaseDesk 数据库（不是 SQLite 数据库文件）。文件未作任何改动。"
        )
    try:
        with _read_only(path) as conn:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabase(
            f"数据库“{path.name}”已损坏，无法读取（{exc}）。文件未作任何改动，"
            "请从备份恢复或选择其他数据库。"
        ) from exc
    if not tables:
        return None
    if app_id != APPLICATION_ID or revision is None:
        raise NotCaseDeskDatabase(
            f"“{path.name}”是 SQLite 数据库，但不是 CaseDesk 数据库。文件未作任何改动。"
        )
    return revision


def open_database(path: Path, backup_dir: Path | None = None) -> Database:
    """Open (creating or upgrading as needed) the CaseDesk database at ``path``.

    An existing database at an older schema is first backed up with the SQLite backup API into
    ``backup_dir`` (default: ``backups`` next to the file), then upgraded.
    """
    path = Path(path).expanduser().resolve()
    revision = inspect_file(path)
    backup_path = None
    if revision is not None and revision != migrate.HEAD:
        if not migrate.is_known(revision):
            raise NewerDatabase(
                f"数据库“{path.name}”由更新版本的 CaseDesk 创建（结构版本 {revision}），"
                "请升级 CaseDesk 后再打开。文件未作任何改动。"
            )
        backup_path = backup_before_upgrade(path, revision, backup_dir or path.parent / "backups")
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_sqlite_engine(path)
    if revision != migrate.HEAD:
        # Mark the file as CaseDesk's before creating the schema: a process killed between the
        # two must leave a file the next start recognises (no tables yet = a new database).
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        migrate.upgrade(engine)
    factory = sessionmaker(engine, expire_on_commit=False)
    database = Database(path, engine, factory, backup_path)
    event.listen(factory, "after_commit", lambda _session: database.changed())
    return database
