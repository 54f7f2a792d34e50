"""Opening, refusing, upgrading and writing the database (casedesk/store/, DESIGN.md "Quality
targets": committed data lost after the process is killed mid-write — none, ever)."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from casedesk.domain.drafts import CaseDraft, StageDraft
from casedesk.services.app import Services
from casedesk.services.errors import ServiceError
from casedesk.store import backup as backup_module
from casedesk.store import migrate
from casedesk.store.database import (
    APPLICATION_ID,
    DamagedDatabase,
    NewerDatabase,
    NotCaseDeskDatabase,
    StoreError,
    open_database,
)
from casedesk.store.models import AuditRecord, Case, CaseEvent

ACTOR = "测试员"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def draft(n: int = 1, **kw) -> CaseDraft:  # type: ignore[no-untyped-def]
    return CaseDraft(f"（2023）新01民初{n}号", "民事", date(2023, 3, 1), **kw)


def counts(path: Path) -> tuple[int, int, int]:
    """(cases, audit records, timeline entries) read with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("case_file", "audit_record", "case_event")
        )
    finally:
        conn.close()


# -- opening --------------------------------------------------------------------------------


def test_new_file_is_created_and_migrated(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "new.sqlite3"
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == migrate.HEAD
            tables = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type='table'")))
            assert conn.scalar(text("SELECT count(*) FROM court_code")) > 0  # seeded
        assert {
            "case_file",
            "enterprise",
            "person",
            "audit_record",
            "case_gram_fts",
            "case_tri_fts",
        } <= tables
        assert db.backup_path is None  # nothing to back up on a new file
    finally:
        db.close()
    assert path.exists()


def test_empty_file_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    open_database(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (migrate.HEAD,)
    conn.close()


def test_head_constant_equals_alembic_head() -> None:
    assert migrate.alembic_head() == migrate.HEAD
    assert migrate.is_known(migrate.HEAD)
    assert not migrate.is_known("ffffffffffff")


def test_application_id_is_written(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID == 0x43444B31
    conn.close()
    assert db_path.read_bytes()[68:72] == b"CDK1"  # SQLite header offset 68: application id


def test_pragmas_are_in_force_on_every_connection(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        # Two connections at once (the pool must open a second one), then a fresh one after
        # the pool is emptied, then the connection under an ORM session.
        with db.engine.connect() as one, db.engine.connect() as two:
            conns = [one, two]
            assert one.connection.driver_connection is not two.connection.driver_connection
            for conn in conns:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        db.engine.dispose()
        with db.session() as session:
            conn = session.connection()
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        db.close()


def test_foreign_keys_are_enforced(services) -> None:  # type: ignore[no-untyped-def]
    with services.db.session() as s, pytest.raises(Exception, match="FOREIGN KEY"):
        s.execute(
            text(
                "INSERT INTO case_tag(case_id, tag_id) VALUES "
                "('00000000000000000000000000000001', '00000000000000000000000000000002')"
            )
        )
        s.flush()


# -- refusing files that are not usable CaseDesk databases ----------------------------------


def _other_program_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts(id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO contacts(name) VALUES ('张三')")
    conn.commit()
    conn.close()


def _other_alembic_program_db(path: Path) -> None:
    # Another Alembic-managed program: has alembic_version but not CaseDesk's application id.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE alembic_version(version_num VARCHAR(32) NOT NULL)")
    conn.execute("INSERT INTO alembic_version VALUES ('0001')")
    conn.commit()
    conn.close()


def _text_file(path: Path) -> None:
    path.write_text("案号,案由\n（2023）新01民初1号,买卖合同纠纷\n", encoding="utf-8")


def _pdf_like(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 50)


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        pytest.param(_text_file, NotCaseDeskDatabase, "不是 SQLite 数据库文件", id="text-file"),
        pytest.param(_pdf_like, NotCaseDeskDatabase, "不是 SQLite 数据库文件", id="pdf-file"),
        pytest.param(_other_program_db, NotCaseDeskDatabase, "不是 CaseDesk 数据库", id="sqlite"),
        pytest.param(
            _other_alembic_program_db,
            NotCaseDeskDatabase,
            "不是 CaseDesk 数据库",
            id="sqlite-with-alembic",
        ),
    ],
)
def test_foreign_files_are_refused_and_left_unchanged(
    tmp_path: Path,
    make,
    error: type[StoreError],
    words: str,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "input.sqlite3"
    make(path)
    before = sha256(path)
    with pytest.raises(error) as info:
        open_database(path)
    message = str(info.value)
    assert words in message and "input.sqlite3" in message and "文件未作任何改动" in message
    assert sha256(path) == before
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="truncated-half"),
        pytest.param(lambda b: b[: len(b) - 4096], id="truncated-last-page"),
        pytest.param(lambda b: b[:100] + b"\xff" * (len(b) - 100), id="overwritten-after-header"),
        pytest.param(lambda b: b[:16] + b"\x00" * 200, id="header-magic-only"),
    ],
)
def test_damaged_casedesk_file_is_refused_and_left_unchanged(
    db_path: Path,
    tmp_path: Path,
    damage,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(damage(db_path.read_bytes()))
    before = sha256(path)
    with pytest.raises(DamagedDatabase) as info:
        open_database(path)
    assert "已损坏" in str(info.value) and "文件未作任何改动" in str(info.value)
    assert sha256(path) == before


def test_database_from_a_newer_casedesk_is_refused_and_left_unchanged(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = 'a1b2c3d4e5f6'")
    conn.commit()
    conn.close()
    before = sha256(db_path)
    with pytest.raises(NewerDatabase) as info:
        open_database(db_path)
    message = str(info.value)
    assert "更新版本的 CaseDesk" in message and "a1b2c3d4e5f6" in message
    assert "文件未作任何改动" in message
    assert sha256(db_path) == before
    assert not (db_path.parent / "backups").exists()


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotCaseDeskDatabase, match="是文件夹"):
        open_database(tmp_path)


# -- upgrading ------------------------------------------------------------------------------


REAL_HEAD = migrate.HEAD


class NewerCaseDesk:
    """Makes the running CaseDesk one whose newest revision is '9999', so that the template
    database (at the real head) is an older one; records the backup and upgrade calls in order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.monkeypatch = monkeypatch
        self.calls: list[str] = []
        self.backups: list[tuple[Path, Path]] = []

    def activate(self) -> None:
        real_backup = backup_module.backup_sqlite

        def spy_backup(source: Path, destination: Path) -> Path:
            self.calls.append("backup")
            self.backups.append((source, destination))
            return real_backup(source, destination)

        def fake_upgrade(engine) -> None:  # type: ignore[no-untyped-def]
            self.calls.append("upgrade")
            with engine.begin() as conn:
                conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")

        known = migrate.known_revisions() | {"9999"}
        self.monkeypatch.setattr(migrate, "HEAD", "9999")
        self.monkeypatch.setattr(migrate, "is_known", lambda rev: rev in known)
        self.monkeypatch.setattr(migrate, "upgrade", fake_upgrade)
        self.monkeypatch.setattr(backup_module, "backup_sqlite", spy_backup)


@pytest.fixture
def newer(monkeypatch: pytest.MonkeyPatch) -> NewerCaseDesk:
    return NewerCaseDesk(monkeypatch)


def test_older_database_is_backed_up_with_the_backup_api_before_upgrade(
    db_path: Path, newer: NewerCaseDesk, tmp_path: Path
) -> None:
    # Commit a case, keeping another connection open so the commit stays in the WAL file and
    # is not yet in the main file: a plain file copy would miss it, the backup API must not.
    keeper = sqlite3.connect(db_path)
    keeper.execute("SELECT count(*) FROM case_file").fetchone()
    sv = Services.open(db_path, ACTOR)
    sv.cases.create(draft(7, cause="买卖合同纠纷"))
    sv.close()
    newer.activate()
    calls, backups = newer.calls, newer.backups
    main_file_only = tmp_path / "copy-of-main-file.sqlite3"
    main_file_only.write_bytes(db_path.read_bytes())
    copy = sqlite3.connect(main_file_only)
    assert copy.execute("SELECT count(*) FROM case_file").fetchone()[0] == 0
    copy.close()

    db = open_database(db_path, backup_dir=tmp_path / "bk")
    keeper.close()
    try:
        assert calls == ["backup", "upgrade"]  # backup first
        assert backups[0][0] == db_path
        assert db.backup_path is not None and db.backup_path.parent == tmp_path / "bk"
        assert f"升级前-{REAL_HEAD}" in db.backup_path.name
        conn = sqlite3.connect(db.backup_path)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (REAL_HEAD,)
        assert conn.execute("SELECT case_number, cause FROM case_file").fetchall() == [
            ("（2023）新01民初7号", "买卖合同纠纷")
        ]
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        conn.close()
        with db.engine.connect() as c:
            assert c.scalar(text("SELECT version_num FROM alembic_version")) == "9999"
    finally:
        db.close()
    assert not list((tmp_path / "bk").glob("*.partial"))


def test_default_backup_folder_is_next_to_the_database(db_path: Path, newer: NewerCaseDesk) -> None:
    newer.activate()
    db = open_database(db_path)
    db.close()
    assert db.backup_path is not None and db.backup_path.parent == db_path.parent / "backups"


def test_failed_backup_stops_the_upgrade(
    db_path: Path, newer: NewerCaseDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer.activate()
    calls = newer.calls

    def broken_backup(source: Path, destination: Path) -> Path:
        raise OSError("备份文件校验失败：disk full")

    monkeypatch.setattr(backup_module, "backup_sqlite", broken_backup)
    before = sha256(db_path)
    with pytest.raises(OSError):
        open_database(db_path)
    assert "upgrade" not in calls
    assert sha256(db_path) == before


def test_up_to_date_database_is_not_backed_up(db_path: Path) -> None:
    db = open_database(db_path)
    db.close()
    assert db.backup_path is None
    assert not (db_path.parent / "backups").exists()


def test_process_killed_after_the_schema_was_created_can_still_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first start creates the schema; if the process dies right after, the next start
    # must still recognise the file as its own (not refuse it as "not a CaseDesk database").
    path = tmp_path / "first-start.sqlite3"
    real_upgrade = migrate.upgrade

    def upgrade_then_die(engine) -> None:  # type: ignore[no-untyped-def]
        real_upgrade(engine)
        raise KeyboardInterrupt  # stands for the process being killed

    monkeypatch.setattr(migrate, "upgrade", upgrade_then_die)
    with pytest.raises(KeyboardInterrupt):
        open_database(path)
    monkeypatch.setattr(migrate, "upgrade", real_upgrade)
    db = open_database(path)
    db.close()


# -- writing --------------------------------------------------------------------------------


def test_failure_after_the_audit_record_was_written_rolls_back_both(
    services,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    from casedesk.services.unit_of_work import UnitOfWork

    services.cases.create(draft(1))
    before = counts(db_path)
    real_audit = UnitOfWork.audit

    def audit_then_fail(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        real_audit(self, *args, **kwargs)
        self.session.flush()  # the audit row is now written inside the transaction
        assert self.session.scalar(select(func.count()).select_from(AuditRecord)) > before[1]
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(UnitOfWork, "audit", audit_then_fail)
    with pytest.raises(RuntimeError):
        services.cases.create(draft(2))
    assert counts(db_path) == before
    monkeypatch.undo()
    assert services.case_list.total() == 1


def test_failure_after_a_timeline_entry_rolls_back_entry_and_audit(
    services,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    from casedesk.services import timeline

    case_id = services.cases.create(draft(1)).id
    before = counts(db_path)

    def fail(uow, case) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("断电")

    monkeypatch.setattr(timeline, "follow_stage", fail)
    with pytest.raises(RuntimeError):
        services.timeline.record_stage(case_id, StageDraft(date(2023, 4, 1), "审理中"))
    assert counts(db_path) == before
    assert services.cases.get(case_id).stage == "立案审查"


def test_duplicate_key_found_by_the_database_is_a_service_error_and_writes_nothing(
    services,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    # Another desk registered the same 案号 between our check and our write: the unique index
    # catches it. The user must get a ServiceError (not a raw SQLAlchemy error), and neither the
    # case nor its audit record may be written.
    from casedesk.services import cases

    services.cases.create(draft(1))
    before = counts(db_path)
    monkeypatch.setattr(cases, "_ensure_unique_number", lambda *a: None)
    with pytest.raises(ServiceError) as info:
        services.cases.create(draft(1))
    assert "冲突" in str(info.value)
    assert counts(db_path) == before


def test_committed_data_survives_closing_and_reopening(db_path: Path) -> None:
    sv = Services.open(db_path, ACTOR)
    case_id = sv.cases.create(draft(5, cause="借款合同纠纷", amount_fen=12_345)).id
    sv.close()
    sv = Services.open(db_path, ACTOR)
    try:
        detail = sv.cases.get(case_id)
        assert (detail.case_number, detail.cause, detail.amount_fen) == (
            "（2023）新01民初5号",
            "借款合同纠纷",
            12_345,
        )
        assert [h.action for h in sv.cases.history(case_id)] == ["create"]
    finally:
        sv.close()


_CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from pathlib import Path
    from sqlalchemy import text
    from casedesk.domain.drafts import CaseDraft
    from casedesk.services.app import Services

    sv = Services.open(Path(sys.argv[1]), "测试员")
    sv.cases.create(CaseDraft("（2023）新01民初9号", "民事", date(2023, 3, 1), cause="已提交"))
    s = sv.db.session()
    s.execute(text("UPDATE case_file SET cause = '未提交'"))
    s.execute(text("DELETE FROM audit_record"))
    s.flush()
    print("ready", flush=True)
    time.sleep(60)
    """
)


def test_process_killed_mid_write_keeps_committed_data_only(db_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    db = open_database(db_path)
    try:
        with db.session() as s:
            assert s.scalars(select(Case.cause)).all() == ["已提交"]
            assert s.scalar(select(func.count()).select_from(AuditRecord)) == 1
            assert s.scalar(select(func.count()).select_from(CaseEvent)) == 1
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        db.close()


def test_a_refused_wal_database_gets_no_files_beside_it(tmp_path: Path) -> None:
    """Another program's database in WAL mode is refused, and nothing appears next to it."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE ledger (n INTEGER)")
    conn.commit()
    conn.close()  # the last connection checkpoints and removes the log
    before = sorted(p.name for p in tmp_path.iterdir())
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(NotCaseDeskDatabase):
        open_database(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before == ["other.db"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_real_upgrade_from_0001_keeps_the_data_and_backs_it_up_first(tmp_path: Path) -> None:
    """A database made by the first release (schema 0001) opens in this one: it is backed up with
    the backup API, upgraded, and no row is lost (the batch migration runs with foreign keys off,
    so rebuilding a parent table cannot cascade-delete children)."""
    from casedesk.store.database import create_sqlite_engine

    path = tmp_path / "old.sqlite3"
    engine = create_sqlite_engine(path)
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        conn.exec_driver_sql(
            "INSERT INTO case_file (id, list_key, case_number, year, court_code, type_code, "
            "sequence, family, procedure, cause, handler, accepted_on, stage, notes, "
            "parties_summary, created_at, updated_at, version) VALUES ('a'||hex(randomblob(15)),"
            " 1, '（2025）新01民初1号', 2025, '新01', '民初', 1, '民事', '一审普通程序', '', '', "
            "'2025-03-01', '审理中', '', '', '2025-03-01 00:00:00.000000', "
            "'2025-03-01 00:00:00.000000', 1)"
        )
        conn.exec_driver_sql(
            "INSERT INTO case_event (id, case_id, occurred_on, kind, stage, note, created_at, "
            "created_by) SELECT 'b'||hex(randomblob(15)), id, '2025-03-01', 'stage', '审理中', "
            "'', '2025-03-01 00:00:00.000000', 'x' FROM case_file"
        )
    engine.dispose()

    db = open_database(path, backup_dir=tmp_path / "bk")
    try:
        with db.engine.connect() as c:
            assert c.scalar(text("SELECT version_num FROM alembic_version")) == migrate.HEAD
            assert c.scalar(text("SELECT count(*) FROM case_event")) == 1
            assert c.scalar(text("SELECT trigger FROM case_event")) is None  # the new column
            assert c.scalar(text("SELECT count(*) FROM deadline")) == 0
            assert c.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()
    assert db.backup_path is not None
    backup = sqlite3.connect(db.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT count(*) FROM case_event").fetchone() == (1,)
    backup.close()


def test_real_upgrade_from_0002_keeps_deadlines_and_links_them_to_no_measure(
    tmp_path: Path,
) -> None:
    """Schema 0003 (compulsory measures) rebuilds the deadline table to add its links to measures:
    a database of the 0002 release keeps every deadline, its trigger event and its numbers, the
    new columns start empty, and foreign keys stay sound."""
    from casedesk.store.database import create_sqlite_engine

    path = tmp_path / "v2.sqlite3"
    engine = create_sqlite_engine(path)
    migrate.upgrade(engine, "0002")
    stamp = "'2025-03-01 00:00:00.000000'"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        conn.exec_driver_sql(
            "INSERT INTO case_file (id, list_key, case_number, year, court_code, type_code, "
            "sequence, family, procedure, cause, handler, accepted_on, stage, notes, "
            "parties_summary, created_at, updated_at, version, amount_fen) VALUES "
            f"('{'c' * 32}', 1, '（2025）新01民初1号', 2025, '新01', '民初', 1, '民事', "
            f"'一审普通程序', '', '', '2025-03-01', '审理中', '', '', {stamp}, {stamp}, 1, 500)"
        )
        conn.exec_driver_sql(
            "INSERT INTO case_event (id, case_id, occurred_on, kind, trigger, stage, note, "
            f"created_at, created_by) VALUES ('{'e' * 32}', '{'c' * 32}', '2025-03-02', "
            f"'trigger', 'complaint_received', '', '', {stamp}, 'x')"
        )
        conn.exec_driver_sql(
            "INSERT INTO deadline (id, case_id, rule_id, trigger, source_event_id, subject, "
            "round, start_on, custody, extensions_used, extension_log, suspensions, restarts, "
            "due_on, steps, warnings, status, close_note, created_at, created_by, updated_at, "
            f"version) VALUES ('{'d' * 32}', '{'c' * 32}', 'civil.first.ordinary', 'accepted', "
            f"'{'e' * 32}', '', 1, '2025-03-01', 0, 1, '[]', '[]', '[]', '2026-03-01', '[]', "
            f"'[]', 'open', '', {stamp}, 'x', {stamp}, 3)"
        )
    engine.dispose()

    db = open_database(path, backup_dir=tmp_path / "bk")
    try:
        with db.engine.connect() as c:
            assert c.scalar(text("SELECT version_num FROM alembic_version")) == migrate.HEAD
            row = c.execute(
                text(
                    "SELECT source_event_id, extensions_used, due_on, version, period_spec, "
                    "property_measure_id, personal_measure_id, custody_review_id FROM deadline"
                )
            ).one()
            assert tuple(row) == ("e" * 32, 1, "2026-03-01", 3, "", None, None, None)
            assert c.scalar(text("SELECT amount_fen FROM case_file")) == 500
            assert c.scalar(text("SELECT costs_fen FROM case_file")) is None
            assert c.scalar(text("SELECT count(*) FROM property_measure")) == 0
            assert c.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()
    assert db.backup_path is not None and "升级前-0002" in db.backup_path.name
