"""The tamper-evident audit chain (issue 7 point 3; docs/audit.md; 等保2.0 GB/T 22239-2019
§8.1.4.3 c: audit records are protected against unexpected deletion, modification or
overwriting): every writer chains its records, verification names the first broken record and
what happened to it, two desks writing at once never fork the chain, and the migration chains
the records a database already holds."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import insert

from casedesk.cli.main import main
from casedesk.domain.drafts import CaseDraft
from casedesk.services.app import Services
from casedesk.services.demo.generate import generate_demo
from casedesk.services.errors import FieldErrors
from casedesk.services.interchange import export_cases, import_cases
from casedesk.services.unit_of_work import UnitOfWork
from casedesk.store import migrate
from casedesk.store.audit_chain import quick_check, verify_chain
from casedesk.store.audit_hash import GENESIS, record_hash
from casedesk.store.database import APPLICATION_ID, create_sqlite_engine, open_database
from casedesk.store.models import AuditRecord

ACTOR = "测试员"


def draft(n: int) -> CaseDraft:
    return CaseDraft(f"（2023）新01民初{n}号", "民事", date(2023, 3, 1), cause="买卖合同纠纷")


def rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def tamper(path: Path, *statements: str | tuple[str, tuple]) -> None:
    """Change the file behind CaseDesk's back, as someone with a SQLite tool would."""
    conn = sqlite3.connect(path)
    try:
        for s in statements:
            sql, params = (s, ()) if isinstance(s, str) else s
            conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def verify(path: Path):  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(path)
    try:
        return verify_chain(conn)
    finally:
        conn.close()


def independent_hash(row: tuple) -> str:
    """The documented canonical form, rebuilt here without casedesk.store.audit_hash: a line
    ``casedesk-audit-v1``, then ``<field> <bytes>:<value>`` (or ``<field> -``) per field."""
    names = ("at", "actor", "action", "entity_type", "entity_id", "case_id", "label", "changes",
             "prev_hash")  # fmt: skip
    out = b"casedesk-audit-v1\n"
    for name, value in zip(names, row, strict=True):
        if value is None:
            out += f"{name} -\n".encode()
        else:
            data = value.encode("utf-8")
            out += f"{name} {len(data)}:".encode() + data + b"\n"
    return hashlib.sha256(out).hexdigest()


_CONTENT = "at, actor, action, entity_type, entity_id, case_id, label, changes, prev_hash"


def assert_chained(path: Path) -> int:
    """Every record links to the one before it, hashes to its stored hash by the documented
    form, and the head names the last one; returns the number of records."""
    records = rows(path, f"SELECT id, {_CONTENT}, content_hash FROM audit_record ORDER BY id")
    prev = GENESIS
    for r in records:
        assert r[9] == prev, f"record {r[0]} does not link to the one before it"
        assert independent_hash(r[1:10]) == r[10], f"record {r[0]} hash"
        prev = r[10]
    head = rows(path, "SELECT last_id, last_hash, records FROM audit_chain_head")
    assert head == [(records[-1][0] if records else 0, prev, len(records))]
    report = verify(path)
    assert report.ok, report.summary()
    assert report.checked == len(records)
    return len(records)


@pytest.fixture
def written(services: Services, db_path: Path) -> Path:
    """Twelve records written the normal way: three cases created, nine events."""
    for n in range(1, 4):
        services.cases.create(draft(n))
    for n in range(8):
        services.audit.record_event("print", f"打印 文书{n}", {"copies": n + 1})
    services.audit.record_event("export", "导出 案件列表", {"path": "/tmp/案件.xlsx", "rows": 3})
    assert assert_chained(db_path) == 12
    return db_path


# -- writing ----------------------------------------------------------------------------------


def test_service_writes_chain_each_record_to_the_one_before(written: Path) -> None:
    (first,) = rows(written, "SELECT prev_hash FROM audit_record ORDER BY id LIMIT 1")
    assert first == (GENESIS,)


def test_orm_and_core_inserts_in_one_transaction_chain_in_insert_order(
    services: Services, db_path: Path
) -> None:
    """Each record is hashed when it is inserted, whoever inserts it: a Core executemany (as
    the interchange import writes) between ORM records of the same unit of work."""
    with UnitOfWork(services.db, ACTOR) as uow:
        uow.audit("update", "case", "a", "ORM 1")
        uow.session.flush()
        core = [{"at": datetime(2026, 1, 1), "actor": "批量", "action": "create",
                 "entity_type": "case", "entity_id": str(i), "label": f"Core {i}"}
                for i in range(3)]  # fmt: skip
        uow.session.connection().execute(insert(AuditRecord.__table__), core)
        uow.audit("update", "case", "b", "ORM 2")  # still pending: flushed by the commit
        uow.commit()
    labels = [r[0] for r in rows(db_path, "SELECT label FROM audit_record ORDER BY id")]
    assert labels == ["ORM 1", "Core 0", "Core 1", "Core 2", "ORM 2"]
    assert assert_chained(db_path) == 5


def test_the_hash_covers_every_field_and_the_link() -> None:
    base = ["2026-01-02 03:04:05.000006", "张三", "update", "case", "abc", None, "标签", "{}",
            GENESIS]  # fmt: skip
    seen = {record_hash(base)}
    for i in range(len(base)):
        changed = list(base)
        changed[i] = "x" if base[i] is None else base[i] + " "
        seen.add(record_hash(changed))
    # a value moved into its neighbour cannot give the same bytes (the length prefix)
    seen.add(record_hash([*base[:6], "标签{", "}", GENESIS]))
    assert len(seen) == len(base) + 2


def test_an_event_is_audited_with_its_details_and_actor(services: Services, db_path: Path) -> None:
    case = services.cases.create(draft(1))
    services.audit.record_event(
        "export", "导出 起诉意见书.docx", {"path": "/home/u/起诉意见书.docx", "what": "文书"},
        case_id=case.id,
    )  # fmt: skip
    services.audit.record_event("login_fail", "", {"reason": "密码错误"}, actor="wangwu")
    (export, fail) = rows(
        db_path, "SELECT actor, action, entity_type, label, changes FROM audit_record "
        "WHERE entity_type = 'event' ORDER BY id",
    )  # fmt: skip
    assert export[:4] == (ACTOR, "export", "event", "导出 起诉意见书.docx")
    assert '"path": [null, "/home/u/起诉意见书.docx"]' in export[4]
    assert fail[:4] == ("wangwu", "login_fail", "event", "登录失败")
    assert [h.label for h in services.cases.history(case.id) if h.action == "export"] == [
        "导出 起诉意见书.docx"
    ]
    with pytest.raises(FieldErrors) as exc:
        services.audit.record_event("delete_all", "x")
    assert "kind" in exc.value.errors
    assert_chained(db_path)


def test_bulk_writers_chain_on_to_what_is_there(
    services: Services, db_path: Path, tmp_path: Path
) -> None:
    """Demo generation (raw executemany) and the interchange import (Core inserts, with ORM
    records of implied deadlines in between) continue the chain the services started."""
    services.audit.record_event("login", "登录")
    source = Services.open(tmp_path / "source.sqlite3", ACTOR)
    try:
        generate_demo(source.db, 40, seed=3, today=date(2025, 6, 30))
        assert_chained(source.path)
        export_cases(source.db, tmp_path / "cases.jsonl")
    finally:
        source.close()
    report = import_cases(services.db, ACTOR, tmp_path / "cases.jsonl")
    assert not report.errors
    services.cases.create(draft(999))
    count = assert_chained(db_path)
    assert count > 200


# -- tampering --------------------------------------------------------------------------------


def _forged(path: Path, record_id: int, prev: str) -> tuple:
    """A record as a forger who knows the algorithm writes it, linked to ``prev``."""
    content = ("2026-02-01 00:00:00.000000", "伪造者", "delete", "case", "x", None, "伪造", "{}")
    return (record_id, *content, prev, record_hash([*content, prev]))


def _hash_of(path: Path, record_id: int) -> str:
    return rows(path, "SELECT content_hash FROM audit_record WHERE id = ?", (record_id,))[0][0]


_INSERT = f"INSERT INTO audit_record (id, {_CONTENT}, content_hash) VALUES ({', '.join('?' * 11)})"


def _insert_forged_at(path: Path, k: int) -> None:
    """Make room at id k (ids shifted up by one) and put a well-linked forged record there."""
    tamper(
        path,
        ("UPDATE audit_record SET id = id + 1000 WHERE id >= ?", (k,)),
        "UPDATE audit_record SET id = id - 999 WHERE id >= 1000",
        (_INSERT, _forged(path, k, _hash_of(path, k - 1))),
    )


def _swap(path: Path, a: int, b: int) -> None:
    tamper(
        path,
        ("UPDATE audit_record SET id = -1 WHERE id = ?", (a,)),
        ("UPDATE audit_record SET id = ? WHERE id = ?", (a, b)),
        ("UPDATE audit_record SET id = ? WHERE id = -1", (b,)),
    )


# (what is done, the record named, the kind found)
TAMPERING = [
    ("label changed", lambda p: tamper(p, "UPDATE audit_record SET label = '改' WHERE id = 5"),
     5, "content"),
    ("old value changed", lambda p: tamper(
        p, "UPDATE audit_record SET changes = replace(changes, '3', '4') WHERE id = 6"),
     6, "content"),
    ("actor changed on the last", lambda p: tamper(
        p, "UPDATE audit_record SET actor = '他人' WHERE id = 12"), 12, "content"),
    ("link field changed", lambda p: tamper(
        p, "UPDATE audit_record SET prev_hash = content_hash WHERE id = 7"), 7, "content"),
    ("hash changed", lambda p: tamper(
        p, f"UPDATE audit_record SET content_hash = '{'e' * 64}' WHERE id = 4"), 4, "hash"),
    ("record deleted", lambda p: tamper(p, "DELETE FROM audit_record WHERE id = 6"), 7,
     "deleted"),
    ("first record deleted", lambda p: tamper(p, "DELETE FROM audit_record WHERE id = 1"), 2,
     "deleted"),
    ("last records deleted", lambda p: tamper(p, "DELETE FROM audit_record WHERE id >= 11"), 10,
     "deleted"),
    ("forged record inserted", lambda p: _insert_forged_at(p, 6), 6, "inserted"),
    ("record inserted with a wrong link", lambda p: tamper(
        p, ("UPDATE audit_record SET id = id + 1000 WHERE id >= 6"),
        "UPDATE audit_record SET id = id - 999 WHERE id >= 1000",
        (_INSERT, (6, *_forged(p, 6, "")[1:9], "f" * 64, "f" * 64))), 6, "inserted"),
    ("forged record appended", lambda p: tamper(p, (_INSERT, _forged(p, 13, _hash_of(p, 12)))),
     13, "inserted"),
    ("pair reordered", lambda p: _swap(p, 5, 6), 5, "reordered"),
    ("head deleted", lambda p: tamper(p, "DELETE FROM audit_chain_head"), None, "head"),
    ("head count changed", lambda p: tamper(p, "UPDATE audit_chain_head SET records = 11"),
     None, "head"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "record_id", "kind"), [t[1:] for t in TAMPERING],
                         ids=[t[0] for t in TAMPERING])  # fmt: skip
def test_tampering_is_found_and_named(written: Path, change, record_id, kind) -> None:  # type: ignore[no-untyped-def]
    change(written)
    report = verify(written)
    assert not report.ok
    assert (report.broken.record_id, report.broken.kind) == (record_id, kind), report.summary()
    if record_id is not None:
        assert f"第 {record_id} 条" in report.summary()
        (actor,) = rows(written, "SELECT actor FROM audit_record WHERE id = ?", (record_id,))[0]
        assert report.broken.actor == actor
    conn = sqlite3.connect(written)
    quick = quick_check(conn)  # all twelve are within its window
    conn.close()
    if change is TAMPERING[-1][1]:  # the quick check does not count the records
        assert quick.ok
    else:
        assert (quick.broken.record_id, quick.broken.kind) == (record_id, kind)


def test_a_deleted_record_names_the_gap(written: Path) -> None:
    tamper(written, "DELETE FROM audit_record WHERE id IN (5, 6)")
    assert "第 5 条至第 6 条已不存在" in verify(written).broken.detail


def test_writing_on_after_tampering_keeps_the_evidence(services: Services, written: Path) -> None:
    """New records chain on to the head, not to whatever is last in the table: deleting the
    last records or the head itself stays visible after the next save."""
    tamper(written, "DELETE FROM audit_record WHERE id = 12")
    services.audit.record_event("print", "打印")
    report = verify(written)
    assert (report.broken.record_id, report.broken.kind) == (12, "deleted")
    tamper(written, "DELETE FROM audit_record WHERE id = 12", "DELETE FROM audit_chain_head")
    services.audit.record_event("print", "打印")
    report = verify(written)
    assert (report.broken.record_id, report.broken.kind) == (12, "head")
    assert "重新开始" in report.broken.detail


def test_quick_check_sees_only_its_window(services: Services, written: Path) -> None:
    assert services.audit.quick_check().ok
    tamper(written, "UPDATE audit_record SET label = '改' WHERE id = 2")
    conn = sqlite3.connect(written)
    assert quick_check(conn, window=5).ok  # record 2 is older than the last five
    check = services.audit.quick_check()
    assert not check.ok and check.record_id == 2 and check.kind_name == "内容被修改"
    assert "第 2 条" in check.message and ACTOR in check.message
    assert not services.audit.verify().ok


def test_an_empty_chain_is_whole(services: Services) -> None:
    check = services.audit.quick_check()
    assert check.ok and check.checked == 0
    assert services.audit.verify().ok


# -- two desks at once ------------------------------------------------------------------------


def test_a_second_writer_waits_for_the_first_and_chains_on_to_it(
    services: Services, db_path: Path
) -> None:
    """The head is locked before it is read: a writer that starts while another holds an
    uncommitted record waits, then links to that record."""
    other = Services.open(db_path, "乙")  # another desk, opened before the lock is taken
    first = services.db.session()
    first.add(AuditRecord(at=datetime(2026, 1, 1), actor="甲", action="update",
                          entity_type="case", entity_id="1"))  # fmt: skip
    first.flush()  # written, head updated, write lock held
    done = threading.Event()
    worker = threading.Thread(
        target=lambda: (other.audit.record_event("print", "打印"), done.set())
    )
    worker.start()
    time.sleep(0.5)
    assert not done.is_set()  # waiting for the lock
    first.commit()
    first.close()
    worker.join(10)
    other.close()
    assert done.is_set()
    (a, b) = rows(db_path, "SELECT actor, prev_hash, content_hash FROM audit_record ORDER BY id")
    assert (a[0], b[0]) == ("甲", "乙") and b[1] == a[2]
    assert_chained(db_path)


_WRITER = textwrap.dedent(
    """
    import sys, threading, time
    from datetime import date
    from pathlib import Path
    from casedesk.domain.drafts import CaseDraft
    from casedesk.services.app import Services
    from casedesk.services.errors import ServiceError

    path, name, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    sv = Services.open(path, name)
    while not go.exists():
        time.sleep(0.01)

    def write(thread):
        for i in range(15):
            while True:  # a save refused because another desk wrote first is tried again
                try:
                    if i % 5 == 0:
                        number = f"（2024）新01民初{thread}{i:02d}{len(name)}号"
                        sv.cases.create(CaseDraft(number, "民事", date(2024, 1, 2)))
                    else:
                        sv.audit.record_event("print", f"{name}-{thread}-{i}", {"copies": i})
                    break
                except ServiceError:
                    time.sleep(0.01)

    threads = [threading.Thread(target=write, args=(t,)) for t in (1, 2)]
    for t in threads: t.start()
    for t in threads: t.join()
    sv.close()
    print("done")
    """
)


def test_processes_and_threads_writing_at_once_never_fork_the_chain(
    db_path: Path, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    children = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(db_path), name, str(go)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("甲机", "乙机器")
    ]  # fmt: skip
    time.sleep(1.5)  # both have imported and opened the database
    go.touch()
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0 and "done" in out, err
    assert_chained(db_path)
    written = rows(db_path, "SELECT actor, count(*) FROM audit_record WHERE entity_type IN "
                   "('event', 'case') GROUP BY actor ORDER BY actor")  # fmt: skip
    assert written == [("乙机器", 30), ("甲机", 30)]


# -- migration --------------------------------------------------------------------------------


def test_migration_chains_the_records_a_database_already_holds(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = create_sqlite_engine(path)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    migrate.upgrade(engine, "0007")
    old = [
        ("2020-05-06 07:08:09.000010", "张三", "create", "case", "a" * 36, "b" * 32,
         "（2020）新01民初1号", '{"cause": [null, "买卖合同纠纷"]}'),
        ("2020-05-06 07:08:10.000000", "李四", "update", "deadline", "c" * 36, None,
         "两行\n标签", '{"due_on": ["2020-06-01", "2020-07-01"]}'),
        ("2021-01-01 00:00:00.000000", "王五", "delete", "person", "d" * 36, None, "", "{}"),
    ] * 7  # fmt: skip
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO audit_record (at, actor, action, entity_type, entity_id, case_id, "
            "label, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            old,
        )
    engine.dispose()
    db = open_database(path, backup_dir=tmp_path / "backups")  # backs up, then upgrades
    try:
        assert db.backup_path is not None
        assert assert_chained(path) == 21
        stored = rows(path, "SELECT at, actor, action, entity_type, entity_id, case_id, label, "
                      "changes FROM audit_record ORDER BY id")  # fmt: skip
        assert stored == old  # the content itself is untouched
        sv = Services(db, ACTOR)
        sv.audit.record_event("login", "登录")
        assert assert_chained(path) == 22
    finally:
        db.close()
    engine = create_sqlite_engine(path)  # and back down (the columns go), and up again
    cfg = Config()
    cfg.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0007")
            conn.commit()
            names = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(audit_record)")}
        assert "content_hash" not in names
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    assert assert_chained(path) == 22


# -- command line -----------------------------------------------------------------------------


def test_cli_verify_says_whole_or_names_the_break(
    written: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "verify", "--db", str(written)]) == 0
    out = capsys.readouterr().out
    assert "审计链完整" in out and "已校验 12 条审计记录" in out and "用时" in out
    tamper(written, "UPDATE audit_record SET label = '改' WHERE id = 9")
    files = [written, written.with_name(f"{written.name}-wal")]  # (-shm is SQLite's index)
    before = [f.read_bytes() if f.exists() else None for f in files]
    assert main(["audit", "verify", "--db", str(written)]) == 1
    out = capsys.readouterr().out
    assert "审计链已断开（内容被修改）" in out
    assert "第一条断点：第 9 条记录" in out and f"操作人 {ACTOR}" in out
    assert "已校验 8 条审计记录" in out
    assert [f.read_bytes() if f.exists() else None for f in files] == before  # read only


def test_cli_verify_refuses_what_it_cannot_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.sqlite3"
    assert main(["audit", "verify", "--db", str(missing)]) == 2
    not_db = tmp_path / "notes.sqlite3"
    not_db.write_text("这不是数据库", encoding="utf-8")
    assert main(["audit", "verify", "--db", str(not_db)]) == 2
    old = tmp_path / "old.sqlite3"
    engine = create_sqlite_engine(old)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    migrate.upgrade(engine, "0007")
    engine.dispose()
    assert main(["audit", "verify", "--db", str(old)]) == 2
    err = capsys.readouterr().err
    assert "不存在" in err and "不是 CaseDesk 数据库" in err and "尚未启用审计链" in err


def _rewrite_from(path: Path, k: int) -> None:
    """What someone who knows the algorithm can do: change record k and recompute every hash
    after it, head included."""
    tamper(path, ("UPDATE audit_record SET label = '改写' WHERE id = ?", (k,)))
    records = rows(path, f"SELECT id, {_CONTENT} FROM audit_record WHERE id >= ? ORDER BY id", (k,))
    prev = _hash_of(path, k - 1)
    updates = []
    for r in records:
        digest = record_hash([*r[1:9], prev])
        updates.append(("UPDATE audit_record SET prev_hash = ?, content_hash = ? WHERE id = ?",
                        (prev, digest, r[0])))  # fmt: skip
        prev = digest
    tamper(path, *updates, ("UPDATE audit_chain_head SET last_hash = ?", (prev,)))


def test_an_anchor_noted_earlier_finds_a_chain_rewritten_whole(
    written: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "verify", "--db", str(written)]) == 0
    head = verify(written)
    anchor = f"{head.last_id}:{head.last_hash}"
    assert f"链头：第 12 条，哈希 {head.last_hash}" in capsys.readouterr().out
    assert main(["audit", "verify", "--db", str(written), "--anchor", anchor]) == 0
    assert "留存的链头（1 个）均与现有记录相符" in capsys.readouterr().out
    _rewrite_from(written, 5)
    assert verify(written).ok  # the chain alone cannot tell (docs/audit.md, anchoring)
    assert main(["audit", "verify", "--db", str(written), "--anchor", anchor]) == 1
    out = capsys.readouterr().out
    assert "与留存的哈希值不符" in out and "第一条断点：第 12 条记录" in out
    assert main(["audit", "verify", "--db", str(written), "--anchor", "12:abc"]) == 2


DOCS = Path(__file__).resolve().parents[1] / "docs" / "audit.md"


def test_the_documented_example_hashes_as_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    example = docs.split("casedesk-audit-v1\n", 1)[1].split("```", 1)[0]
    values = [line.split(":", 1)[1] for line in example.splitlines()]
    assert len(values) == 9
    digest = "64581e2046751d2c61156e811de209b17cebb3a044962d0467fd09548646642f"
    assert digest in docs
    assert independent_hash(values) == record_hash(values) == digest


def test_the_documented_recipe_recomputes_the_chain_without_casedesk(
    written: Path, tmp_path: Path
) -> None:
    recipe = DOCS.read_text(encoding="utf-8").split("```python\n", 1)[1].split("```", 1)[0]
    script = tmp_path / "recheck.py"
    script.write_text(recipe, encoding="utf-8")

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(script), str(written)], capture_output=True,
                              text=True, timeout=60)  # fmt: skip

    assert run().stdout.strip() == "chain whole"
    tamper(written, "UPDATE audit_record SET actor = '他人' WHERE id = 5")
    result = run()
    assert result.returncode == 1 and "broken at record 5" in result.stderr
