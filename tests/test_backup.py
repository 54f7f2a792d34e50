"""Backups (issue 7, point 4): written with the SQLite backup API and verified with
``PRAGMA integrity_check``, rotated (days, weeks, months), listed, taken daily and on demand,
restored with the current file kept aside; refused with a Chinese message and nothing changed
for a file that is not a CaseDesk backup or a folder that cannot be written."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from casedesk.cli.main import main
from casedesk.domain.drafts import CaseDraft
from casedesk.domain.errors import FieldErrors
from casedesk.services import backups
from casedesk.services.app import Services
from casedesk.services.backups import BackupService, BackupSettings
from casedesk.services.errors import ServiceError
from casedesk.store import backup as store
from casedesk.store import backup_files
from casedesk.store.backup_files import DAILY, MANUAL, UPGRADE, BackupFile, Rotation

ACTOR = "测试员"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def case_numbers(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT case_number FROM case_file ORDER BY 1")]
    finally:
        conn.close()


def add_case(services: Services, n: int) -> None:
    services.cases.create(CaseDraft(f"（2024）新01民初{n}号", "民事", date(2024, 3, 1)))


def corrupt_a_table_page(path: Path, table: str = "court_code") -> None:
    """Overwrite the first bytes of a table's root page (the header and schema stay readable)."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root[0] - 1) * page_size)
        fh.write(b"\xff" * 64)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The backup settings file in a temporary folder, for every caller."""
    path = tmp_path / "config" / backups.SETTINGS_FILE
    monkeypatch.setattr(backups, "settings_path", lambda: path)
    return path


@pytest.fixture
def service(services: Services, config: Path) -> BackupService:
    return BackupService(services.db, services.actor)


# -- rotation ---------------------------------------------------------------------------------


def _file(when: datetime, kind: str = DAILY) -> BackupFile:
    return BackupFile(Path(f"/b/db-{kind}-{when:%Y%m%d-%H%M%S}.sqlite3"), "db", kind, when, 1)


def D(year: int, month: int, day: int, hour: int = 8) -> datetime:
    return datetime(year, month, day, hour)


def _days(first: date, last: date) -> list[datetime]:
    """A backup at 08:00 on every day from ``first`` to ``last``."""
    days = (first + timedelta(n) for n in range((last - first).days + 1))
    return [D(d.year, d.month, d.day) for d in days]


ROTATIONS = [
    pytest.param(
        # 100 days of daily backups, 7/4/12: the last 7 days, the newest of the 2 further ISO
        # weeks (W03 ends Sun 18 Jan, W02 Sun 11 Jan) and of each earlier month.
        [(t, DAILY) for t in _days(date(2025, 10, 24), date(2026, 1, 31))],
        Rotation(7, 4, 12),
        [D(2026, 1, d) for d in range(25, 32)]
        + [D(2026, 1, 18), D(2026, 1, 11), D(2025, 12, 31), D(2025, 11, 30), D(2025, 10, 31)],
        id="100-days-7-4-12",
    ),
    pytest.param(
        # Days without a backup do not use up a slot: the 2 newest days that have one.
        [
            (D(2026, 1, 2), DAILY),
            (D(2026, 1, 10), DAILY),
            (D(2026, 1, 11), DAILY),
            (D(2026, 2, 20), DAILY),
            (D(2026, 3, 1), DAILY),
        ],
        Rotation(2, 0, 0),
        [D(2026, 3, 1), D(2026, 2, 20)],
        id="gaps-count-days-with-backups",
    ),
    pytest.param(
        # Two backups on one day (the automatic one and one on demand): the newer one stays.
        [(D(2026, 3, 1, 8), DAILY), (D(2026, 3, 1, 15), MANUAL), (D(2026, 2, 28, 8), DAILY)],
        Rotation(7, 4, 12),
        [D(2026, 3, 1, 15), D(2026, 2, 28)],
        id="same-day-newest-wins",
    ),
    pytest.param(
        # ISO weeks cross the year: Mon 29 Dec 2025 … Sun 4 Jan 2026 is 2026-W01.
        [
            (D(2025, 12, 29), DAILY),
            (D(2026, 1, 1), DAILY),
            (D(2026, 1, 4), DAILY),
            (D(2026, 1, 5), DAILY),
        ],
        Rotation(1, 2, 0),
        [D(2026, 1, 5), D(2026, 1, 4)],
        id="iso-week-across-new-year",
    ),
    pytest.param(
        [(D(2025, m, 15), DAILY) for m in range(1, 13)] + [(D(2026, 1, 10), DAILY)],
        Rotation(1, 0, 3),
        [D(2026, 1, 10), D(2025, 12, 15), D(2025, 11, 15)],
        id="months-across-the-year",
    ),
    pytest.param(
        # Upgrade backups are outside the rotation: the newest three always stay.
        [(D(2026, 1, d), UPGRADE) for d in (1, 2, 3, 4, 5)] + [(D(2026, 1, 6), DAILY)],
        Rotation(1, 0, 0),
        [D(2026, 1, 6), D(2026, 1, 5), D(2026, 1, 4), D(2026, 1, 3)],
        id="upgrade-backups-newest-three",
    ),
]


@pytest.mark.parametrize(("taken", "rotation", "kept"), ROTATIONS)
def test_rotation_keeps_the_newest_of_each_day_week_and_month(
    taken: list[tuple[datetime, str]], rotation: Rotation, kept: list[datetime]
) -> None:
    files = [_file(t, kind) for t, kind in taken]
    keep = backup_files.plan_rotation(files, rotation)
    assert sorted(f.taken_at for f in files if f.path in keep) == sorted(kept)


def test_rotation_deletes_only_this_databases_backups(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bk"
    for day in (1, 2, 3):
        store.take_backup(db_path, folder, DAILY, datetime(2026, 1, day, 8))
    other = folder / "other-每日-20250101-080000.sqlite3"
    other.write_bytes(b"another database's backup")
    note = folder / "说明.txt"
    note.write_text("管理员的说明", encoding="utf-8")
    removed = backup_files.rotate(folder, db_path, Rotation(1, 0, 0))
    assert sorted(p.name for p in removed) == [
        "casedesk-每日-20260101-080000.sqlite3",
        "casedesk-每日-20260102-080000.sqlite3",
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["casedesk-每日-20260103-080000.sqlite3", other.name, note.name]
    )


# -- writing and verifying --------------------------------------------------------------------


def test_backup_now_uses_the_backup_api_and_is_verified_and_audited(
    services: Services, service: BackupService, tmp_path: Path
) -> None:
    add_case(services, 1)
    # The commit is still in the WAL (the engine keeps a connection open): the main file alone
    # lacks it, so a plain file copy would lose it.
    copy = tmp_path / "main-file-only.sqlite3"
    copy.write_bytes(services.path.read_bytes())
    assert case_numbers(copy) == []
    done = service.backup_now()
    assert done.path.parent == services.path.parent / "backups"
    assert done.path.name.startswith("casedesk-手动-") and done.size == done.path.stat().st_size
    assert case_numbers(done.path) == ["（2024）新01民初1号"]
    assert store.integrity_problems(done.path) == []
    assert not list(done.path.parent.glob("*.partial"))
    assert not list(done.path.parent.glob("*-wal")) and not list(done.path.parent.glob("*-shm"))
    conn = sqlite3.connect(services.path)
    row = conn.execute(
        "SELECT actor, action FROM audit_record WHERE entity_type='database'"
    ).fetchone()
    conn.close()
    assert row == (ACTOR, "backup")


def test_backup_with_progress_reports_pages(services: Services, service: BackupService) -> None:
    seen: list[tuple[int, int]] = []
    service.backup_now(lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] > 0


def test_a_corrupt_database_gives_no_backup_and_keeps_the_old_ones(
    db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "bk"
    good = store.take_backup(db_path, folder, DAILY, datetime(2026, 1, 1, 8))
    before = sha256(good)
    corrupt_a_table_page(db_path)
    with pytest.raises(store.BackupError) as info:
        store.take_backup(db_path, folder, DAILY, datetime(2026, 1, 2, 8))
    assert "备份校验未通过" in str(info.value) and "可能已损坏" in str(info.value)
    assert [p.name for p in folder.iterdir()] == [good.name]  # no partial, nothing rotated
    assert sha256(good) == before


def test_a_cancelled_backup_keeps_nothing(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app closing stops the daily backup: before the copy, or during its check."""
    folder = tmp_path / "bk"
    cancel = store.Cancel()
    cancel()
    with pytest.raises(store.BackupError, match="已取消"):
        store.take_backup(db_path, folder, DAILY, cancel=cancel)
    assert not folder.exists() or not list(folder.iterdir())
    cancel = store.Cancel()
    copy = store._copy_from

    def copy_then_close(*args):  # type: ignore[no-untyped-def]
        copy(*args)
        cancel()  # the window closes while the copy is verified

    monkeypatch.setattr(store, "_copy_from", copy_then_close)
    with pytest.raises(store.BackupError, match="已取消"):
        store.take_backup(db_path, folder, DAILY, cancel=cancel)
    assert list(folder.iterdir()) == []


def test_daily_backup_once_a_day(service: BackupService, config: Path, tmp_path: Path) -> None:
    folder = tmp_path / "每日备份"
    service.save_settings(str(folder), "7", "4", "12")
    morning = datetime(2026, 5, 4, 8, 30)
    assert service.daily_due(morning)
    done = service.daily_backup(morning)
    assert done is not None and done.path == folder / "casedesk-每日-20260504-083000.sqlite3"
    assert not service.daily_due(morning.replace(hour=17))
    assert service.daily_backup(morning.replace(hour=17)) is None
    assert service.daily_due(morning + timedelta(days=1))


def test_listing_shows_date_kind_revision_size_and_problems(
    service: BackupService, db_path: Path
) -> None:
    from casedesk.store import migrate

    folder = service.folder()
    store.take_backup(db_path, folder, DAILY, datetime(2026, 1, 1, 8))
    store.backup_before_upgrade(db_path, "0006", folder)
    broken = folder / "casedesk-手动-20260102-090000.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    listed = service.list()
    assert [b.kind for b in listed] == [UPGRADE, MANUAL, DAILY]  # newest first
    upgrade, damaged, daily = listed
    assert daily.taken_at == datetime(2026, 1, 1, 8) and daily.revision == migrate.HEAD
    assert daily.size == daily.path.stat().st_size and daily.problem == ""
    assert "已损坏" in damaged.problem
    assert upgrade.revision == migrate.HEAD  # named 升级前-0006, holds what the file held
    best = backups.newest_good_backup(db_path)
    assert best is not None and best.path == upgrade.path
    assert backups.newest_good_backup(db_path, exclude=[upgrade.path]).path == daily.path  # type: ignore[union-attr]


# -- settings -----------------------------------------------------------------------------------


def test_settings_are_kept_in_a_file_and_audited(
    service: BackupService, config: Path, tmp_path: Path
) -> None:
    assert service.settings() == BackupSettings()  # no file yet: defaults
    folder = tmp_path / "异地备份"
    saved = service.save_settings(f"  {folder}  ", "10", "5", "24")
    assert saved == BackupSettings(folder, 10, 5, 24)
    assert json.loads(config.read_text(encoding="utf-8"))["folder"] == str(folder)
    assert backups.load_settings() == saved  # readable with no database open
    assert service.folder() == folder and folder.is_dir()
    conn = sqlite3.connect(service.db.path)
    action, changes = conn.execute(
        "SELECT action, changes FROM audit_record WHERE entity_type='backup_settings'"
    ).fetchone()
    conn.close()
    assert action == "update" and json.loads(changes)["daily"] == ["7", "10"]


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        (("", "0", "4", "12"), "daily", "1到60之间"),
        (("", "7", "53", "12"), "weekly", "0到52之间"),
        (("", "7", "4", "十二"), "monthly", "应为整数"),
        (("相对/路径", "7", "4", "12"), "folder", "完整路径"),
    ],
)
def test_bad_settings_are_refused_at_their_field(
    service: BackupService, config: Path, values: tuple[str, ...], field: str, words: str
) -> None:
    with pytest.raises(FieldErrors) as info:
        service.save_settings(*values)
    assert words in info.value.errors[field]
    assert not config.exists()


def test_an_unreadable_settings_file_means_defaults(config: Path) -> None:
    config.parent.mkdir(parents=True)
    config.write_text("{not json", encoding="utf-8")
    assert backups.load_settings() == BackupSettings()
    config.write_text(json.dumps({"folder": "/x", "daily": 999}), encoding="utf-8")
    assert backups.load_settings() == BackupSettings(Path("/x"))


def _unwritable(tmp_path: Path) -> Path:
    """A folder that cannot be created, even by root: its parent is a regular file."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    return blocker / "备份"


def test_an_unwritable_backup_folder_is_refused_and_nothing_changes(
    service: BackupService, config: Path, tmp_path: Path
) -> None:
    service.save_settings(str(tmp_path / "ok"), "7", "4", "12")
    before = config.read_text(encoding="utf-8")
    bad = _unwritable(tmp_path)
    with pytest.raises(FieldErrors) as info:
        service.save_settings(str(bad), "7", "4", "12")
    assert "无法写入" in info.value.errors["folder"] and "设置未更改" in info.value.errors["folder"]
    assert config.read_text(encoding="utf-8") == before
    # A folder that became unwritable after it was chosen: the backup says so, writes nothing.
    config.write_text(json.dumps({"folder": str(bad)}), encoding="utf-8")
    with pytest.raises(ServiceError, match="无法写入"):
        service.backup_now()
    assert not bad.exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_folder_is_refused(
    service: BackupService, config: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(FieldErrors, match="无法写入"):
            service.save_settings(str(folder), "7", "4", "12")
    finally:
        folder.chmod(0o700)


# -- restore ------------------------------------------------------------------------------------


CRASHED_WRITER = textwrap.dedent(
    """
    import os, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1])
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("UPDATE case_file SET cause = '只在WAL中'")
    conn.commit()
    os._exit(0)  # killed: no checkpoint, the -wal and -shm stay beside the file
    """
)


def test_restore_keeps_the_current_file_aside_with_its_wal(
    services: Services, service: BackupService, tmp_path: Path
) -> None:
    add_case(services, 1)
    backup = service.backup_now().path
    add_case(services, 2)
    path = services.path
    services.close()
    subprocess.run([sys.executable, "-c", CRASHED_WRITER, str(path)], check=True)
    assert Path(f"{path}-wal").stat().st_size > 0
    old = {s: sha256(Path(f"{path}{s}")) for s in ("", "-wal")}

    restored = backups.restore(backup, path)

    assert case_numbers(path) == ["（2024）新01民初1号"]
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    aside = restored.aside
    assert aside is not None and aside.name.startswith("casedesk.替换前-")
    assert aside.name.endswith(".sqlite3")
    assert {s: sha256(Path(f"{aside}{s}")) for s in ("", "-wal")} == old  # moved, not modified
    conn = sqlite3.connect(aside)  # the WAL went with its file: the last commit is there
    assert {r[0] for r in conn.execute("SELECT cause FROM case_file")} == {"只在WAL中"}
    assert conn.execute("SELECT count(*) FROM case_file").fetchone() == (2,)
    conn.close()
    reopened = Services.open(path, ACTOR)
    try:
        BackupService(reopened.db, reopened.actor).record_restore(restored)
        assert reopened.case_list.total() == 1
    finally:
        reopened.close()
    conn = sqlite3.connect(path)
    assert conn.execute(
        "SELECT action FROM audit_record WHERE entity_type='database' ORDER BY id DESC"
    ).fetchone() == ("restore",)
    conn.close()


def _text(path: Path) -> None:
    path.write_text("这不是数据库", encoding="utf-8")


def _other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _newer(path: Path, db_path: Path) -> None:
    store.backup_sqlite(db_path, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    conn.commit()
    conn.close()


def _corrupt(path: Path, db_path: Path) -> None:
    store.backup_sqlite(db_path, path)
    corrupt_a_table_page(path)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        pytest.param(lambda p, _db: _text(p), "不是 SQLite 数据库文件", id="text"),
        pytest.param(lambda p, _db: _other_sqlite(p), "不是 CaseDesk 数据库", id="other-sqlite"),
        pytest.param(lambda p, _db: _empty(p), "空文件", id="empty"),
        pytest.param(_newer, "更新版本的 CaseDesk", id="newer"),
        pytest.param(_corrupt, "完整性校验未通过", id="corrupt-pages"),
        pytest.param(lambda p, _db: None, "找不到备份文件", id="missing"),
    ],
)
def test_restore_refuses_what_is_not_a_good_casedesk_backup(
    db_path: Path,
    tmp_path: Path,
    make,
    words: str,  # type: ignore[no-untyped-def]
) -> None:
    candidate = tmp_path / "incoming" / "备份.sqlite3"
    candidate.parent.mkdir()
    make(candidate, db_path)
    before = sha256(db_path)
    listing = sorted(p.name for p in db_path.parent.iterdir())
    with pytest.raises(ServiceError) as info:
        backups.restore(candidate, db_path)
    assert words in str(info.value) and "未作任何改动" in str(info.value)
    assert sha256(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == listing


HOLDER = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1])
    conn.execute("SELECT count(*) FROM case_file").fetchone()
    print("open", flush=True)
    time.sleep(60)
    """
)


def test_restore_refuses_a_database_another_program_has_open(
    services: Services, service: BackupService
) -> None:
    backup = service.backup_now().path
    path = services.path
    services.close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"open\n"
        before = sha256(path)
        with pytest.raises(ServiceError) as info:
            backups.restore(backup, path)
        assert "正被其他程序" in str(info.value) and "未作任何改动" in str(info.value)
        assert sha256(path) == before and not list(path.parent.glob("*替换前*"))
    finally:
        holder.kill()
        holder.wait()


def test_restore_into_an_unwritable_place_changes_nothing(db_path: Path, tmp_path: Path) -> None:
    backup = store.backup_sqlite(db_path, tmp_path / "b" / "casedesk-手动-20260101-080000.sqlite3")
    with pytest.raises(ServiceError, match="无法写入"):
        backups.restore(backup, _unwritable(tmp_path) / "casedesk.sqlite3")


# -- command line -------------------------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_backup_and_restore(
    services: Services, capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    add_case(services, 1)
    path = services.path
    out = tmp_path / "导出" / "今天.sqlite3"
    code, stdout, _ = cli(capsys, "backup", "--db", str(path), str(out))
    assert code == 0 and "完整性校验通过" in stdout and str(out) in stdout
    assert case_numbers(out) == ["（2024）新01民初1号"]
    code, _, err = cli(capsys, "backup", "--db", str(path), str(out))
    assert code == 2 and "已存在" in err  # never overwritten
    code, stdout, _ = cli(capsys, "--db", str(path), "backup", str(tmp_path / "导出"))
    assert code == 0 and "casedesk-手动-" in stdout
    code, stdout, _ = cli(capsys, "backup", "--db", str(path))  # no OUT: the backup folder
    assert code == 0 and str(path.parent / "backups" / "casedesk-手动-") in stdout
    add_case(services, 2)
    services.close()

    code, stdout, err = cli(capsys, "restore", str(out), "--db", str(path))
    assert code == 0, err
    assert "原数据库已改名保留为" in stdout and "替换前" in stdout
    assert case_numbers(path) == ["（2024）新01民初1号"]
    conn = sqlite3.connect(path)
    assert conn.execute(
        "SELECT action FROM audit_record WHERE entity_type='database' ORDER BY id DESC"
    ).fetchone() == ("restore",)
    conn.close()


def test_cli_refusals_are_chinese_with_exit_code_2(
    db_path: Path, capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    text = tmp_path / "台账.xlsx"
    text.write_bytes(b"PK\x03\x04 not a database")
    before = sha256(db_path)
    code, _, err = cli(capsys, "restore", str(text), "--db", str(db_path))
    assert code == 2 and err.startswith("错误：") and "不是可用的 CaseDesk 备份" in err
    assert sha256(db_path) == before
    code, _, err = cli(capsys, "backup", "--db", str(text), str(tmp_path / "x.sqlite3"))
    assert code == 2 and "不是 CaseDesk 数据库" in err and not (tmp_path / "x.sqlite3").exists()
    code, _, err = cli(capsys, "backup", "--db", str(tmp_path / "无.sqlite3"))
    assert code == 2 and "不存在" in err


# -- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [({"admin"}, True), ({"clerk"}, False), ({"handler"}, False), ({"leader"}, False)],
)
def test_only_the_administrator_backs_up_restores_and_changes_settings(
    services: Services, config: Path, roles: set[str], allowed: bool
) -> None:
    # GB/T 22239-2019 §8.1.4.2 访问控制（管理权限分离）: the table gives admin.backup and
    # admin.restore to the administrator only.
    from casedesk.domain.roles import Actor
    from casedesk.services.errors import NotPermitted
    from casedesk.services.identity import Identity

    who = Identity("测试员", Actor("u1", "用户甲", "民一庭", frozenset(roles)))
    service = BackupService(services.db, who)
    backup = BackupService(services.db, ACTOR).backup_now().path
    calls = [
        lambda: service.backup_now(),
        lambda: service.save_settings("", "7", "4", "12"),
        lambda: service.check_restore(backup),
    ]
    for call in calls:
        if allowed:
            call()
        else:
            with pytest.raises(NotPermitted):
                call()
    listed = [b.path for b in service.list()]  # listing is open to all
    assert listed[-1] == backup if allowed else listed == [backup]
