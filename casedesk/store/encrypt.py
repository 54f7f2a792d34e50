"""Encrypting an existing plain CaseDesk database into a new file (SQLCipher).

The SQLite backup API cannot copy a plain database into an encrypted one (SQLCipher refuses a
backup between a plain and a keyed database), so the copy is SQLCipher's ``sqlcipher_export``:
the new file is attached with the key and every table, index, trigger and FTS5 index is copied
into it in one read transaction of the source. ``sqlcipher_export`` leaves the two header fields
CaseDesk relies on (``application_id``, ``user_version``), which are copied after it. As for a
backup, the copy is written to ``OUT.partial``, checked with ``PRAGMA integrity_check`` under the
key, and only then renamed. The source is only read.
"""

from __future__ import annotations

from pathlib import Path

from casedesk.domain.errors import FieldErrors
from casedesk.store import cipher
from casedesk.store.backup import BackupError, _remove, in_use_elsewhere, integrity_problems
from casedesk.store.database import EncryptedDatabase, inspect_file


def encrypt_database(source: Path, out: Path, key: str) -> Path:
    """Write an encrypted copy of the plain CaseDesk database ``source`` to the new file
    ``out``; the source is not changed. FieldErrors for a key too weak to protect it,
    :class:`BackupError` (Chinese) when the copy cannot be made, :class:`StoreError` for a
    source that is not a usable CaseDesk database."""
    problem = cipher.new_key_problem(key)
    if problem:
        raise FieldErrors({"key": problem})
    source, out = Path(source).expanduser().resolve(), Path(out).expanduser().resolve()
    if out == source:
        raise BackupError("加密副本不能写到数据库文件自身。未作任何改动。")
    if any(Path(f"{out}{side}").exists() for side in ("", "-wal", "-shm")):
        raise BackupError(f"文件“{out}”已存在，未覆盖。请换一个文件名。")
    if not source.is_file():
        raise BackupError(f"数据库文件“{source}”不存在。")
    try:
        revision = inspect_file(source, key="")
    except EncryptedDatabase as exc:
        raise BackupError(f"数据库“{source.name}”已经是加密的。未作任何改动。") from exc
    if revision is None:
        raise BackupError(f"“{source.name}”是空文件，没有可加密的内容。")
    if in_use_elsewhere(source):
        raise BackupError(
            f"数据库“{source.name}”正被其他程序（可能是 CaseDesk）打开，请先关闭它再加密。"
        )
    cipher.module()  # EncryptionUnavailable before anything is written
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法创建文件夹“{out.parent}”（{exc.strerror or exc}）。") from exc
    partial = out.with_name(out.name + ".partial")
    _remove(partial)
    try:
        _export(source, partial, key)
    except (OSError, *cipher.errors()) as exc:
        _remove(partial)
        raise BackupError(f"生成加密副本失败（{exc}）。源数据库未作任何改动。") from exc
    problems = integrity_problems(partial, key=key)
    if problems or inspect_file(partial, key=key) != revision:
        _remove(partial)
        raise BackupError(
            f"加密副本校验未通过（{'；'.join(problems[:3]) or '结构版本不符'}）。未保存。"
        )
    try:
        partial.replace(out)
    except OSError as exc:
        _remove(partial)
        raise BackupError(f"无法写入“{out}”（{exc.strerror or exc}）。") from exc
    return out


def _export(source: Path, partial: Path, key: str) -> None:
    """``sqlcipher_export`` of ``source`` (opened plain, through SQLCipher's SQLite) into
    ``partial`` attached with ``key``, in one read transaction of the source."""
    conn = cipher.module().connect(str(source), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        clause = cipher.key_clause(key, cipher.new_salt())
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY {clause}", (str(partial),))
        conn.execute("BEGIN")  # one snapshot of the source for the header fields and the export
        app_id = int(conn.execute("PRAGMA main.application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute(f"PRAGMA encrypted.application_id = {app_id}")
        conn.execute(f"PRAGMA encrypted.user_version = {version}")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
