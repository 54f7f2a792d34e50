"""Encryption at rest (issue 7, point 8): a database created encrypted with SQLCipher, opened
with its key, refused with a clear message without one or with a wrong one (the file untouched),
unreadable as plain SQLite, backed up and restored with the same key, and a plain database
encrypted into a new file; migrations, WAL, the audit chain and FTS5 search work unchanged."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip(
    "sqlcipher3", reason="加密组件 sqlcipher3 未安装（pip install casedesk[encryption]）"
)

from casedesk.cli.main import main
from casedesk.domain.drafts import CaseDraft
from casedesk.domain.errors import FieldErrors
from casedesk.services import backups
from casedesk.services.app import Services
from casedesk.services.backups import BackupService
from casedesk.store import backup as store_backup
from casedesk.store import cipher, migrate
from casedesk.store.backup import BackupError, integrity_problems
from casedesk.store.case_list import CaseFilter
from casedesk.store.database import (
    APPLICATION_ID,
    EncryptedDatabase,
    EncryptionUnavailable,
    NotCaseDeskDatabase,
    NotEncrypted,
    StoreError,
    WrongKey,
    create_cipher_engine,
    inspect_file,
    open_database,
)
from casedesk.store.encrypt import encrypt_database

ACTOR = "测试员"
KEY = "案卷加密-Key-2026"
NUMBER = "（2024）新01民初4417号"
CAUSE = "买卖合同纠纷"
PARTY_FREE_TEXT = "乌鲁木齐天山建材有限公司"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[str]:
    return [s for s in ("-wal", "-shm", "-journal") if Path(f"{path}{s}").exists()]


def add_case(services: Services, n: int = 4417) -> str:
    return services.cases.create(
        CaseDraft(f"（2024）新01民初{n}号", "民事", date(2024, 3, 1), cause=CAUSE,
                  notes=f"被告{PARTY_FREE_TEXT}")
    )  # fmt: skip


def numbers(services: Services) -> list[str]:
    ids = services.case_list.ids(CaseFilter(), "case_number", False)
    return [services.cases.get(i).case_number for i in ids]


@pytest.fixture(autouse=True)
def keys_held(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no key held in memory."""
    monkeypatch.setattr(cipher, "_passphrases", {})
    monkeypatch.delenv("CASEDESK_KEY", raising=False)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / backups.SETTINGS_FILE
    monkeypatch.setattr(backups, "settings_path", lambda: path)
    return path


@pytest.fixture
def enc_path(tmp_path: Path) -> Path:
    """An encrypted database holding one case, closed."""
    path = tmp_path / "加密.sqlite3"
    services = Services.open(path, ACTOR, key=KEY)
    add_case(services)
    services.close()
    cipher.forget(path)
    return path


# -- create, open, refuse -------------------------------------------------------------------------


def test_an_encrypted_database_is_not_readable_as_plain_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "加密.sqlite3"
    services = Services.open(path, ACTOR, key=KEY)
    assert services.db.encrypted
    add_case(services)
    # while open, committed pages sit in the WAL: it is encrypted too
    wal = Path(f"{path}-wal")
    assert wal.exists() and wal.stat().st_size > 0
    services.close()
    for file in [path, *([wal] if wal.exists() else [])]:
        raw = file.read_bytes()
        assert b"SQLite format 3" not in raw
        for text in (NUMBER, CAUSE, PARTY_FREE_TEXT, "case_file", "alembic_version"):
            assert text.encode("utf-8") not in raw, text
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_reopened_with_its_key(enc_path: Path) -> None:
    services = Services.open(enc_path, ACTOR, key=KEY)
    try:
        assert numbers(services) == [NUMBER]
        assert services.db.encrypted
        assert inspect_file(enc_path, key=KEY) == migrate.HEAD
    finally:
        services.close()


@pytest.mark.parametrize(
    ("key", "error", "message"),
    [
        pytest.param(None, EncryptedDatabase, "此数据库已加密，请输入密钥", id="no-key"),
        pytest.param("", EncryptedDatabase, "此数据库已加密，请输入密钥", id="empty-key"),
        pytest.param(
            "错误的密钥-12345", WrongKey, "密钥不正确或文件不是加密的 CaseDesk 数据库", id="wrong"
        ),
        pytest.param(KEY + " ", WrongKey, "密钥不正确", id="one-space-more"),
    ],
)
def test_without_the_right_key_it_is_refused_and_never_modified(
    enc_path: Path, key: str | None, error: type, message: str
) -> None:
    before = sha256(enc_path)
    with pytest.raises(error, match=message) as refused:
        Services.open(enc_path, ACTOR, key=key)
    assert "文件未作任何改动" in str(refused.value)
    assert sha256(enc_path) == before
    assert side_files(enc_path) == []
    assert cipher.key_for(enc_path) is None  # a wrong key is not kept


def test_a_key_for_a_plain_database_is_refused(db_path: Path) -> None:
    before = sha256(db_path)
    with pytest.raises(NotEncrypted, match="没有加密，不需要密钥"):
        open_database(db_path, key=KEY)
    assert sha256(db_path) == before


@pytest.mark.parametrize(
    ("content", "encrypted"),
    [
        pytest.param(lambda: os.urandom(8192), True, id="random-whole-pages"),
        pytest.param(lambda: os.urandom(8000), False, id="random-not-whole-pages"),
        pytest.param(
            lambda: "案号,当事人\n（2024）新01民初1号,张三\n".encode() * 128,
            False,
            id="csv-whole-pages",
        ),
        pytest.param(lambda: b"%PDF-1.7\n" + os.urandom(4087), False, id="pdf-whole-pages"),
        pytest.param(lambda: b"PK\x03\x04" + os.urandom(4092), False, id="zip-whole-pages"),
    ],
)
def test_what_is_taken_for_an_encrypted_file_without_a_key(
    tmp_path: Path, content, encrypted: bool
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "文件.sqlite3"
    path.write_bytes(content())
    expected = EncryptedDatabase if encrypted else NotCaseDeskDatabase
    with pytest.raises(expected):
        inspect_file(path)


def test_a_file_that_is_not_a_database_with_a_key_is_a_wrong_key(tmp_path: Path) -> None:
    path = tmp_path / "随机.sqlite3"
    path.write_bytes(os.urandom(8192))
    with pytest.raises(WrongKey, match="密钥不正确或文件不是加密的 CaseDesk 数据库"):
        open_database(path, key=KEY)
    assert side_files(path) == []


def test_without_sqlcipher_an_encrypted_file_says_so(
    enc_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing():  # type: ignore[no-untyped-def]
        raise cipher.EncryptionUnavailable("没有 sqlcipher3")

    monkeypatch.setattr(cipher, "module", missing)
    with pytest.raises(EncryptionUnavailable, match="没有安装加密组件 sqlcipher3"):
        open_database(enc_path, key=KEY)


@pytest.mark.parametrize(
    "key", ["短密钥", "  前后有空格的密钥  ", "x'00112233445566'", "含\t控制字符的密钥"]
)
def test_a_new_encrypted_database_needs_a_key_that_can_protect_it(tmp_path: Path, key: str) -> None:
    path = tmp_path / "新.sqlite3"
    with pytest.raises(StoreError, match="不能用这个密钥新建加密数据库"):
        open_database(path, key=key)
    assert not path.exists() or path.stat().st_size == 0


# -- the key derived once per file and process --------------------------------------------------


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The salts of the PBKDF2 derivations this test makes (none derived before it)."""
    made: list[bytes] = []
    real = hashlib.pbkdf2_hmac

    def counted(name: str, password: bytes, salt: bytes, rounds: int, dklen: int) -> bytes:
        made.append(salt)
        return real(name, password, salt, rounds, dklen)

    monkeypatch.setattr(cipher, "_derived", {})
    monkeypatch.setattr(cipher.hashlib, "pbkdf2_hmac", counted)
    return made


def _sqlcipher_file(path: Path, passphrase: str) -> None:
    """A database written by SQLCipher itself, keyed with the passphrase (its own KDF)."""
    conn = cipher.module().connect(str(path))
    conn.execute(f"PRAGMA key = '{passphrase}'")
    conn.execute("CREATE TABLE t(x)")
    conn.execute("INSERT INTO t VALUES ('由 SQLCipher 以口令加密')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("passphrase", [KEY, "ascii-passphrase-8", "密钥中文全角（）１２３"])
def test_the_derived_key_is_the_one_sqlcipher_derives_from_the_passphrase(
    tmp_path: Path, passphrase: str
) -> None:
    """SQLCipher 4 (PBKDF2-HMAC-SHA512, 256,000 iterations, the file's salt): a file keyed with
    the passphrase opens with the raw key CaseDesk derives, and a file CaseDesk keys with the raw
    key opens in any SQLCipher 4 tool with the passphrase."""
    theirs = tmp_path / "sqlcipher.db"
    _sqlcipher_file(theirs, passphrase)
    salt = cipher.read_salt(theirs)
    assert salt is not None and len(salt) == cipher.SALT_BYTES
    assert cipher.key_clause(passphrase, salt) == (
        f"\"x'{cipher.derive(passphrase, salt).hex()}{salt.hex()}'\""
    )
    conn = cipher.connect(theirs, passphrase)  # PRAGMA key = "x'<key><salt>'": no KDF run
    try:
        assert conn.execute("SELECT x FROM t").fetchone() == ("由 SQLCipher 以口令加密",)
    finally:
        conn.close()
    wrong = cipher.connect(theirs, passphrase + "x")
    with pytest.raises(cipher.database_errors(), match="not a database"):
        wrong.execute("SELECT count(*) FROM sqlite_master").fetchone()
    wrong.close()

    ours = tmp_path / "casedesk.sqlite3"
    Services.open(ours, ACTOR, key=passphrase).close()
    conn = cipher.module().connect(str(ours))
    try:
        conn.execute(f"PRAGMA key = '{passphrase}'")  # SQLCipher's own KDF
        assert conn.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
    finally:
        conn.close()


def test_the_key_is_derived_once_for_the_file_and_its_backups(
    enc_path: Path, config: Path, derivations: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening (the read-only check, the write-lock probe, the engine), the audit quick check,
    a backup with its integrity check, closing and opening again: one derivation."""
    opened: list[str] = []
    real_connect = cipher.module().connect
    monkeypatch.setattr(
        cipher.module(), "connect", lambda *a, **k: opened.append(a[0]) or real_connect(*a, **k)
    )
    services = Services.open(enc_path, ACTOR, key=KEY)
    assert services.audit.quick_check().ok
    done = BackupService.for_services(services).backup_now()
    add_case(services, 5)
    services.close()
    services = Services.open(enc_path, ACTOR)  # the key held for the file
    try:
        assert len(numbers(services)) == 2
    finally:
        services.close()
    assert len(opened) >= 5  # many connections …
    assert derivations == [cipher.read_salt(enc_path)]  # … one derivation
    assert cipher.read_salt(done.path) == cipher.read_salt(enc_path)


def test_a_remembered_key_is_derived_ahead_and_an_open_meanwhile_waits_for_it(
    enc_path: Path, db_path: Path, tmp_path: Path, derivations: list[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    release = threading.Event()
    real = cipher.hashlib.pbkdf2_hmac

    def slow(*args):  # type: ignore[no-untyped-def]
        assert release.wait(30)
        return real(*args)

    monkeypatch.setattr(cipher.hashlib, "pbkdf2_hmac", slow)
    ahead = cipher.derive_ahead(enc_path, KEY)
    assert ahead is not None and ahead.daemon
    assert cipher.derive_ahead(enc_path, KEY) is None  # under way: not twice
    opened: list[Services] = []
    opener = threading.Thread(target=lambda: opened.append(Services.open(enc_path, ACTOR, key=KEY)))
    opener.start()
    opener.join(0.3)
    assert opener.is_alive() and not opened  # waits for the derivation under way
    release.set()
    ahead.join(30)
    opener.join(30)
    opened[0].close()
    assert derivations == [cipher.read_salt(enc_path)]
    assert cipher.derive_ahead(enc_path, KEY) is None  # done
    # nothing to derive: a plain file, no file, no key
    assert cipher.derive_ahead(db_path, KEY) is None
    assert cipher.derive_ahead(tmp_path / "无此文件.sqlite3", KEY) is None
    assert cipher.derive_ahead(enc_path, "") is None


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "{db}"],
        ["backup", "--db", "{db}", "out.sqlite3"],
        ["audit", "verify", "--db={db}"],
        ["stalled"],  # the database of CASEDESK_DB
    ],
)
def test_the_command_line_key_is_derived_before_casedesk_is_imported(
    enc_path: Path, derivations: list[bytes], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    """``casedesk`` starts deriving ``CASEDESK_KEY`` for the database it names first thing; the
    sub-commands, SQLAlchemy and the app (~0.7 s to import) load meanwhile."""
    from casedesk.cli.common import derive_key_ahead

    monkeypatch.setenv("CASEDESK_KEY", KEY)
    monkeypatch.setenv("CASEDESK_DB", str(enc_path))
    derive_key_ahead([a.format(db=enc_path) for a in argv])
    deadline = time.monotonic() + 30
    while (KEY, cipher.read_salt(enc_path)) not in cipher._derived:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert derivations == [cipher.read_salt(enc_path)]
    assert cipher.key_for(enc_path) is None  # derived, not yet held: the open decides
    entry = "import sys, casedesk.cli.main; print(sorted({'sqlalchemy', 'casedesk.services.app',"
    entry += " 'casedesk.cli.backup', 'PySide6'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", entry], capture_output=True, text=True)
    assert loaded.stdout.strip() == "[]", loaded.stderr  # nothing heavy before main() runs


def test_a_key_from_bytes_that_are_not_utf8_opens_what_it_created(
    tmp_path: Path, derivations: list[bytes], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    """``CASEDESK_KEY`` set from GBK bytes: Python holds them as lone surrogates; the key is
    derived from the bytes themselves (no crash, no traceback from the thread deriving ahead)."""
    key = b"\xc3\xdc\xd4\xbf-2026-gbk".decode("utf-8", "surrogateescape")  # 密钥 in GBK
    path = tmp_path / "gbk.sqlite3"
    Services.open(path, ACTOR, key=key).close()
    cipher.forget(path)
    monkeypatch.setattr(cipher, "_derived", {})
    thread = cipher.derive_ahead(path, key)
    assert thread is not None
    thread.join(30)
    services = Services.open(path, ACTOR, key=key)
    services.close()
    salt = cipher.read_salt(path)
    assert derivations.count(salt) == 2  # created, then once more after the cache was emptied
    assert "Traceback" not in capsys.readouterr().err
    with pytest.raises(WrongKey):
        Services.open(path, ACTOR, key=key.replace("2026", "2025"))


@pytest.mark.parametrize("way", ["remembered", "given"])
def test_a_wrong_key_derived_ahead_is_still_refused_and_changes_nothing(
    enc_path: Path, way: str
) -> None:
    before = sha256(enc_path)
    wrong = "错误的密钥-12345"
    if way == "remembered":
        cipher.remember(enc_path, wrong)
    with pytest.raises(WrongKey, match="文件未作任何改动"):
        Services.open(enc_path, ACTOR, key=None if way == "remembered" else wrong)
    assert sha256(enc_path) == before and side_files(enc_path) == []
    assert cipher.key_for(enc_path) is None


def test_neither_key_is_written_anywhere(enc_path: Path, config: Path, tmp_path: Path) -> None:
    services = Services.open(enc_path, ACTOR, key=KEY)
    add_case(services, 7)
    BackupService.for_services(services).backup_now()
    services.close()
    derived = cipher.derive(KEY, cipher.read_salt(enc_path) or b"")
    secrets = [KEY.encode(), derived, derived.hex().encode(), derived.hex().upper().encode()]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) >= 2
    for path in written:
        data = path.read_bytes()
        assert not any(secret in data for secret in secrets), path


# -- WAL, crash, migrations, audit, search ----------------------------------------------------


def test_after_a_crash_the_encrypted_wal_is_checked_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "崩溃.sqlite3"
    Services.open(path, ACTOR, key=KEY).close()
    writer = textwrap.dedent(f"""
        import os, sys
        from datetime import date
        from pathlib import Path
        from casedesk.domain.drafts import CaseDraft
        from casedesk.services.app import Services
        s = Services.open(Path({str(path)!r}), "写入", key={KEY!r})
        s.cases.create(CaseDraft({NUMBER!r}, "民事", date(2024, 3, 1)))
        os._exit(0)  # no close: the commit stays in the -wal, as after a power cut
    """)
    subprocess.run([sys.executable, "-c", writer], check=True, timeout=120)
    assert Path(f"{path}-wal").stat().st_size > 0
    services = Services.open(path, ACTOR, key=KEY)
    try:
        assert services.db.checked  # the quick_check ran, under the key
        assert numbers(services) == [NUMBER]
    finally:
        services.close()


def test_an_older_encrypted_database_is_backed_up_encrypted_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "旧版.sqlite3"
    engine = create_cipher_engine(path, KEY)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    migrate.upgrade(engine, "0008")
    engine.dispose()
    assert inspect_file(path, key=KEY) == "0008"
    db = open_database(path, backup_dir=tmp_path / "bk", key=KEY)
    try:
        assert db.backup_path is not None
        assert not db.backup_path.read_bytes().startswith(b"SQLite format 3")
        assert inspect_file(db.backup_path, key=KEY) == "0008"
        assert inspect_file(path, key=KEY) == migrate.HEAD
    finally:
        db.close()


def test_the_audit_chain_and_search_work_encrypted(enc_path: Path) -> None:
    services = Services.open(enc_path, ACTOR, key=KEY)
    try:
        add_case(services, 18)
        assert services.audit.verify().ok
        assert services.audit.quick_check().ok
        hits = services.case_list.ids(CaseFilter(search="天山建材"), "case_number", False)
        assert len(hits) == 2  # a trigram (FTS5) search
        one = services.case_list.ids(CaseFilter(search="民初18"), "case_number", False)
        assert [services.cases.get(i).case_number for i in one] == ["（2024）新01民初18号"]
        with services.db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw.execute("SELECT json_extract('{\"a\": 1}', '$.a')").fetchone() == (1,)
            trail = " ".join(str(r) for r in raw.execute("SELECT * FROM audit_record"))
    finally:
        services.close()
    assert KEY not in trail  # the key is in no audit record


# -- backups and restore --------------------------------------------------------------------------


def test_backup_and_restore_round_trip_stay_encrypted(enc_path: Path, config: Path) -> None:
    services = Services.open(enc_path, ACTOR, key=KEY)
    service = BackupService.for_services(services)
    done = service.backup_now()
    add_case(services, 99)  # after the backup: gone once it is restored
    listed = service.list()
    assert service.check_restore(done.path) == migrate.HEAD  # the app's restore dialog
    services.close()
    assert [b.path for b in listed] == [done.path] and listed[0].problem == ""
    raw = done.path.read_bytes()
    assert b"SQLite format 3" not in raw and NUMBER.encode() not in raw
    assert integrity_problems(done.path, key=KEY) == []
    assert integrity_problems(done.path, key="")  # not readable without the key
    with pytest.raises(EncryptedDatabase):
        inspect_file(done.path)

    restored = backups.restore(done.path, enc_path)  # the key held for the database is used
    assert restored.aside is not None and not restored.aside.read_bytes().startswith(b"SQLite")
    assert not enc_path.read_bytes().startswith(b"SQLite format 3")
    cipher.forget(enc_path)
    with pytest.raises(EncryptedDatabase):
        Services.open(enc_path, ACTOR)
    services = Services.open(enc_path, ACTOR, key=KEY)
    try:
        assert numbers(services) == [NUMBER]
        assert services.audit.verify().ok
    finally:
        services.close()


def test_restore_refuses_a_backup_the_key_does_not_open(
    enc_path: Path, db_path: Path, tmp_path: Path
) -> None:
    other = tmp_path / "其他.sqlite3"
    Services.open(other, ACTOR, key="另一把密钥-0000").close()
    cipher.forget(other)
    before = sha256(enc_path)
    cases = [
        (other, "无法用当前数据库的密钥打开：密钥不正确或文件不是加密的 CaseDesk 数据库"),
        (db_path, "没有加密，而当前数据库是加密的"),
    ]
    for backup, message in cases:
        with pytest.raises(BackupError, match=message):
            store_backup.restore_backup(backup, enc_path, key=KEY)
        assert sha256(enc_path) == before
        assert sorted(p.name for p in tmp_path.iterdir() if "替换前" in p.name) == []
    # and an encrypted backup without any key
    with pytest.raises(BackupError, match="此数据库已加密，请输入密钥"):
        store_backup.restore_backup(enc_path, tmp_path / "新位置.sqlite3", key="")


def test_the_damaged_file_dialog_finds_the_newest_encrypted_backup(
    enc_path: Path, config: Path
) -> None:
    services = Services.open(enc_path, ACTOR, key=KEY)
    done = BackupService.for_services(services).backup_now()
    services.close()
    assert backups.newest_good_backup(enc_path).path == done.path  # the key is held
    cipher.forget(enc_path)
    assert backups.newest_good_backup(enc_path) is None  # without it: not usable


# -- encrypting an existing plain database ----------------------------------------------------


def test_a_plain_database_is_encrypted_into_a_new_file(services: Services, tmp_path: Path) -> None:
    add_case(services)
    add_case(services, 18)
    services.close()
    source = services.path
    before = sha256(source)
    out = tmp_path / "加密副本.sqlite3"
    assert encrypt_database(source, out, KEY) == out.resolve()
    assert sha256(source) == before  # the source is only read
    raw = out.read_bytes()
    assert b"SQLite format 3" not in raw and NUMBER.encode() not in raw
    encrypted = Services.open(out, ACTOR, key=KEY)
    try:
        assert numbers(encrypted) == ["（2024）新01民初18号", NUMBER]
        assert encrypted.audit.verify().ok
        hits = encrypted.case_list.ids(CaseFilter(search="天山建材"), "case_number", False)
        assert len(hits) == 2
        add_case(encrypted, 19)  # writes go on
    finally:
        encrypted.close()


def test_encrypting_refuses_what_it_cannot_do(
    enc_path: Path, db_path: Path, tmp_path: Path
) -> None:
    with pytest.raises(FieldErrors) as weak:
        encrypt_database(db_path, tmp_path / "a.sqlite3", "短")
    assert "key" in weak.value.errors
    with pytest.raises(BackupError, match="已经是加密的"):
        encrypt_database(enc_path, tmp_path / "b.sqlite3", KEY)
    existing = tmp_path / "c.sqlite3"
    existing.write_bytes(b"x")
    with pytest.raises(BackupError, match="已存在，未覆盖"):
        encrypt_database(db_path, existing, KEY)
    assert existing.read_bytes() == b"x"
    assert not list(tmp_path.glob("*.partial"))


# -- the command line -----------------------------------------------------------------------------


def test_cli_encrypt_backup_restore_with_casedesk_key(
    services: Services, tmp_path: Path, config: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    add_case(services)
    services.close()
    out = tmp_path / "加密.sqlite3"
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert main(["encrypt", "--db", str(services.path), str(out)]) == 2
    assert "CASEDESK_KEY" in capsys.readouterr().err and not out.exists()

    monkeypatch.setenv("CASEDESK_KEY", KEY)
    assert main(["encrypt", "--db", str(services.path), str(out)]) == 0
    said = capsys.readouterr().out
    assert "已生成加密副本" in said and "密钥丢失" in said and KEY not in said
    backup = tmp_path / "备份.sqlite3"
    assert main(["backup", "--db", str(out), str(backup)]) == 0
    assert not backup.read_bytes().startswith(b"SQLite format 3")
    assert main(["restore", str(backup), "--db", str(out)]) == 0
    capsys.readouterr()

    monkeypatch.delenv("CASEDESK_KEY")
    cipher.forget(out)
    assert main(["backup", "--db", str(out), str(tmp_path / "x.sqlite3")]) == 2
    assert "此数据库已加密，请输入密钥" in capsys.readouterr().err
    monkeypatch.setenv("CASEDESK_KEY", "不对的密钥-9999")
    assert main(["backup", "--db", str(out), str(tmp_path / "x.sqlite3")]) == 2
    assert "密钥不正确" in capsys.readouterr().err


def test_cli_audit_verify_reads_an_encrypted_database(
    enc_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    """Issue 7, points 3 and 8: the chain of an encrypted file is checked with its key."""
    monkeypatch.setenv("CASEDESK_KEY", KEY)
    assert main(["audit", "verify", "--db", str(enc_path)]) == 0
    assert "已校验" in capsys.readouterr().out
    monkeypatch.delenv("CASEDESK_KEY")
    cipher.forget(enc_path)
    assert main(["audit", "verify", "--db", str(enc_path)]) == 2
    assert "此数据库已加密" in capsys.readouterr().err


def test_cli_creates_a_new_encrypted_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "新建.sqlite3"
    monkeypatch.setenv("CASEDESK_KEY", KEY)
    assert main(["encrypt", "--new", str(out)]) == 0
    assert KEY not in capsys.readouterr().out
    cipher.forget(out)
    with pytest.raises(EncryptedDatabase):
        inspect_file(out)
    assert inspect_file(out, key=KEY) == migrate.HEAD


def test_cli_asks_the_key_twice_when_typed(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    from casedesk.cli import encrypt as encrypt_cli

    typed = iter([KEY, KEY + "x"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(encrypt_cli.getpass, "getpass", lambda prompt: next(typed))
    out = tmp_path / "加密.sqlite3"
    assert main(["encrypt", "--db", str(db_path), str(out)]) == 2
    assert "两次输入的密钥不一致" in capsys.readouterr().err and not out.exists()


# -- the app asks for the key -------------------------------------------------------------------


def test_the_app_asks_for_the_key_until_it_opens(
    qtbot, enc_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from casedesk.ui import app as app_module
    from casedesk.ui import open_key
    from tests.ui.conftest import type_text

    asked: list[bool] = []
    typed = iter(["错误的密钥-12345", KEY])

    def fake_exec(dialog):  # type: ignore[no-untyped-def]
        asked.append(not dialog.problem.isHidden())
        type_text(dialog.key, next(typed))
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(open_key.OpenKeyDialog, "exec", fake_exec)
    services = app_module.open_services(enc_path)
    assert services is not None
    try:
        assert numbers(services) == [NUMBER]
        assert asked == [False, True]  # the second time it says the key was wrong
    finally:
        services.close()
