"""Encryption at rest: SQLCipher through the optional ``sqlcipher3`` package, and the keys.

An encrypted CaseDesk file is a standard SQLCipher 4 database (AES-256 per page, HMAC-SHA512 per
page, the key derived from the passphrase with PBKDF2-HMAC-SHA512 and 256,000 iterations, 4096-byte
pages). Nothing in it is readable without the key, not even the SQLite header: its first 16 bytes
are the salt of the key derivation, the rest looks random. Any SQLCipher 4 tool opens it with the
passphrase.

Deriving the key takes ~0.13 s by design, and SQLCipher would pay it on every new connection
keyed with the passphrase (opening the app makes three: the read-only check, the write-lock probe,
the engine's). CaseDesk derives it once per (passphrase, salt) and process, exactly as SQLCipher 4
does (PBKDF2-HMAC-SHA512 of the UTF-8 passphrase with the file's salt), and keys every connection
with the derived key and the salt (``PRAGMA key = "x'<64 hex key><32 hex salt>'"``, SQLCipher's raw
key syntax, which skips its KDF), so an encrypted connection opens as fast as a plain one. Backups
and restored files reuse the database's salt, so one derivation serves the database and all its
backups. :func:`derive_ahead` starts the derivation on a background thread as soon as the key of
an existing file is known (``casedesk`` does so for ``CASEDESK_KEY`` before it imports the rest of
CaseDesk, :func:`remember` for a key typed in the app), and a connection that needs the key
meanwhile waits for that derivation instead of starting a second one.

Keys live in memory only: :func:`remember` notes the passphrase of a file for this process (the
command line's ``CASEDESK_KEY``, the key typed in the app), so that backups, restores and reopening
after a restore find it. Nothing here writes a key anywhere (the derived key goes to SQLite in the
``PRAGMA key`` statement only); SQLCipher's own log is switched off.

``sqlcipher3`` is imported on first use: a plain database never loads it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

SQLITE_MAGIC = b"SQLite format 3\x00"
SALT_BYTES = 16
KEY_BYTES = 32
KDF_ITERATIONS = 256_000  # SQLCipher 4's default: files stay openable by any SQLCipher 4 tool
MIN_KEY_LENGTH = 8
_MODULE = "sqlcipher3.dbapi2"

_lock = threading.Lock()
_passphrases: dict[Path, str] = {}
_derived: dict[tuple[str, bytes], bytes] = {}
#: Derivations under way (another thread waits on the event instead of deriving again).
_deriving: dict[tuple[str, bytes], threading.Event] = {}


class EncryptionUnavailable(RuntimeError):
    """``sqlcipher3`` is not installed."""


def module() -> ModuleType:
    """The ``sqlcipher3.dbapi2`` module, or :class:`EncryptionUnavailable`."""
    try:
        import sqlcipher3.dbapi2 as dbapi
    except ImportError as exc:
        raise EncryptionUnavailable(
            "本机的 CaseDesk 没有安装加密组件 sqlcipher3"
            "（安装：pip install 'casedesk[encryption]'）"
        ) from exc
    return dbapi


def available() -> bool:
    try:
        module()
    except EncryptionUnavailable:
        return False
    return True


def errors() -> tuple[type[Exception], ...]:
    """The DB-API error classes to catch: sqlite3's, and sqlcipher3's once it is loaded (an
    error from an encrypted connection is not a ``sqlite3.Error``)."""
    loaded = sys.modules.get(_MODULE)
    return (sqlite3.Error, loaded.Error) if loaded is not None else (sqlite3.Error,)


def database_errors() -> tuple[type[Exception], ...]:
    loaded = sys.modules.get(_MODULE)
    if loaded is None:
        return (sqlite3.DatabaseError,)
    return (sqlite3.DatabaseError, loaded.DatabaseError)


# -- keys held in memory, by file -----------------------------------------------------------------


def _norm(path: Path | str) -> Path:
    return Path(path).expanduser().resolve()


def remember(path: Path | str, key: str) -> None:
    """Hold ``key`` for the database at ``path`` for the rest of this process (memory only), and
    start deriving it for that file in the background (:func:`derive_ahead`)."""
    with _lock:
        _passphrases[_norm(path)] = key
    derive_ahead(path, key)


def derive_ahead(path: Path | str, key: str) -> threading.Thread | None:
    """Derive ``key`` for the encrypted file at ``path`` on a background thread (hashlib lets
    other threads run meanwhile), so that opening it finds the derived key ready. None when
    there is nothing to derive: no key, no encrypted file there, or already derived."""
    salt = read_salt(_norm(path)) if key else None
    if salt is None:
        return None
    with _lock:
        if (key, salt) in _derived or (key, salt) in _deriving:
            return None
    thread = threading.Thread(target=_derive_quietly, args=(key, salt), name="casedesk-key",
                              daemon=True)  # fmt: skip
    thread.start()
    return thread


def _derive_quietly(key: str, salt: bytes) -> None:
    with contextlib.suppress(Exception):  # the open derives it again and says what went wrong
        derive(key, salt)


def forget(path: Path | str) -> None:
    with _lock:
        _passphrases.pop(_norm(path), None)


def key_for(path: Path | str) -> str | None:
    """The key remembered for ``path`` (None: none, the file is taken as not encrypted)."""
    with _lock:
        return _passphrases.get(_norm(path))


def new_key_problem(key: str) -> str | None:
    """Why ``key`` may not protect a new encrypted database (None when it may)."""
    if len(key) < MIN_KEY_LENGTH:
        return f"密钥至少 {MIN_KEY_LENGTH} 个字符"
    if key != key.strip():
        return "密钥首尾不能有空格"
    if any(ord(c) < 32 or ord(c) == 127 for c in key):
        return "密钥不能含控制字符"
    if key[:2].lower() == "x'":
        return "密钥不能以 x' 开头（SQLCipher 会把它当作原始密钥）"
    return None


# -- files ----------------------------------------------------------------------------------------


def read_salt(path: Path) -> bytes | None:
    """The salt at the start of an encrypted file; None for a new, empty or plain SQLite file."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(SALT_BYTES)
    except OSError:
        return None
    if len(head) < SALT_BYTES or head == SQLITE_MAGIC:
        return None
    return head


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


#: The first bytes of files a user may pick by mistake that can look random after them.
_OTHER_FORMATS = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"7z\xbc\xaf",
                  b"Rar!", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"SQLite format")  # fmt: skip


def looks_encrypted(size: int, header: bytes) -> bool:
    """A file that is not plain SQLite but may be SQLCipher: whole pages of what looks like
    random bytes. Text, PDF, ZIP and the like fail it (a known signature, few distinct bytes,
    or not whole pages)."""
    if size < 512 or size % 512 or len(header) < 100 or header.startswith(_OTHER_FORMATS):
        return False
    # 100 random bytes hold ~83 distinct values (σ ≈ 3); text rarely holds 50.
    return len(set(header[:SALT_BYTES])) >= 12 and len(set(header[:100])) >= 64


def derive(key: str, salt: bytes) -> bytes:
    """The 32-byte key SQLCipher 4 derives from ``key`` and ``salt`` (PBKDF2-HMAC-SHA512 of its
    UTF-8 bytes, :data:`KDF_ITERATIONS`), computed once per process: a second caller gets the
    stored one, or waits for the derivation under way. A key from an environment variable holding
    bytes that are not UTF-8 is derived from those bytes (as SQLCipher would be given them)."""
    while True:
        with _lock:
            found = _derived.get((key, salt))
            under_way = _deriving.get((key, salt))
            if found is None and under_way is None:
                done = _deriving[(key, salt)] = threading.Event()
        if found is not None:
            return found
        if under_way is None:
            break
        under_way.wait()  # then found (or, had that derivation failed, derived here)
    try:
        found = hashlib.pbkdf2_hmac("sha512", _bytes(key), salt, KDF_ITERATIONS, KEY_BYTES)
        with _lock:
            _derived[(key, salt)] = found
        return found
    finally:
        with _lock:
            del _deriving[(key, salt)]
        done.set()


def _bytes(key: str) -> bytes:
    return key.encode("utf-8", "surrogateescape")


def key_clause(key: str, salt: bytes) -> str:
    """The SQL literal of the derived key with its salt, for ``PRAGMA key`` and ``ATTACH … KEY``
    (the salt decides the salt of a new file; an existing file keeps its own)."""
    return f"\"x'{derive(key, salt).hex()}{salt.hex()}'\""


def connect(path: Path, key: str, query: str = "", salt: bytes | None = None, **kwargs: Any) -> Any:
    """A SQLCipher connection on ``path`` with ``key`` applied first. ``query`` (e.g.
    ``mode=ro&immutable=1``) opens it as a URI; ``salt`` is the salt of a file still to be
    written (default: the file's own, or a new one)."""
    dbapi = module()
    salt = read_salt(path) or salt or new_salt()
    target = f"{Path(path).resolve().as_uri()}?{query}" if query else str(path)
    conn = dbapi.connect(target, uri=bool(query), **kwargs)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {key_clause(key, salt)}")
    except Exception:
        conn.close()
        raise
    return conn


def open_file(
    path: Path, key: str | None, query: str = "", salt: bytes | None = None, **kwargs: Any
) -> Any:
    """A connection on ``path``: SQLCipher with ``key`` (``salt`` as for :func:`connect`), else
    the standard ``sqlite3``."""
    if key:
        return connect(path, key, query, salt, **kwargs)
    if query:
        return sqlite3.connect(f"{Path(path).resolve().as_uri()}?{query}", uri=True, **kwargs)
    return sqlite3.connect(path, **kwargs)
