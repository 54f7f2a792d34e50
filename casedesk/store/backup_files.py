"""The backup folder as CaseDesk sees it: backup names, the backups of a database with date, kind,
schema revision and size, the newest good one, and the rotation that keeps the newest of each of
the last N days, weeks and months.

Names: ``{database stem}-{kind}-{YYYYmmdd-HHMMSS}.sqlite3`` with the kinds 每日 (the first start
of a day), 手动 (on demand) and 升级前-{revision} (before a schema upgrade). Files with other
names are never listed nor deleted.

The backups of an encrypted database are encrypted with its key: they are read with the key
remembered for the database (``key=None``) or the one given; one the key does not open is listed
with that problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from casedesk.store import cipher, migrate
from casedesk.store.database import StoreError, inspect_file

DAILY, MANUAL, UPGRADE = "每日", "手动", "升级前"
#: Upgrade backups stay out of the daily/weekly/monthly rotation; the newest few are kept.
UPGRADE_KEEP = 3
STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"^(?P<stem>.+?)-(?P<kind>每日|手动|升级前)(?:-(?P<revision>[0-9A-Za-z_]+))?"
    r"-(?P<stamp>\d{8}-\d{6})\.sqlite3$"
)


@dataclass(frozen=True)
class Rotation:
    """How many backups to keep: the newest of each of the last ``daily`` days, ``weekly`` ISO
    weeks and ``monthly`` months that have a backup (a day without one does not use up a slot)."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


@dataclass(frozen=True)
class BackupFile:
    """One backup file as the folder shows it."""

    path: Path
    database: str  # the stem of the database it was taken from
    kind: str  # DAILY, MANUAL or UPGRADE
    taken_at: datetime
    size: int
    revision: str | None = None  # schema revision inside (None when not read or unreadable)
    problem: str = ""  # why it cannot be restored; "" when it passed the quick checks

    @property
    def name(self) -> str:
        return self.path.name


def backup_name(database: Path, kind: str, when: datetime, revision: str = "") -> str:
    middle = f"{kind}-{revision}" if kind == UPGRADE else kind
    return f"{database.stem}-{middle}-{when.strftime(STAMP)}.sqlite3"


def parse_name(path: Path) -> tuple[str, str, datetime, str] | None:
    """(database stem, kind, time, revision) from a backup's file name; None for other files."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        when = datetime.strptime(match["stamp"], STAMP)
    except ValueError:
        return None
    return match["stem"], match["kind"], when, match["revision"] or ""


def usable(path: Path, key: str = "") -> tuple[str | None, str]:
    """(revision, problem) from the cheap checks: header, length, schema, CaseDesk marks.
    ``key``: the key of the database the backup was taken from ("" when not encrypted)."""
    try:
        revision = inspect_file(path, key=key)
    except StoreError as exc:
        return None, str(exc)
    if revision is None:
        return None, "空文件，不是 CaseDesk 备份"
    if not migrate.is_known(revision):
        return revision, f"来自更新版本的 CaseDesk（结构版本 {revision}）"
    return revision, ""


def list_backups(
    folder: Path, database: Path, inspect: bool = True, key: str | None = None
) -> list[BackupFile]:
    """The backups of ``database`` in ``folder``, newest first. With ``inspect`` each is opened
    read-only to read its schema revision and note any problem (a few ms per file), with ``key``
    (default: the key remembered for ``database``)."""
    key = (cipher.key_for(database) or "") if key is None else key
    found: list[BackupFile] = []
    try:
        entries = list(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        entries = []
    for path in entries:
        parsed = parse_name(path)
        if parsed is None or parsed[0] != database.stem or not path.is_file():
            continue
        stem, kind, when, _revision = parsed
        revision, problem = usable(path, key) if inspect else (None, "")
        found.append(BackupFile(path, stem, kind, when, path.stat().st_size, revision, problem))
    found.sort(key=lambda b: (b.taken_at, b.name), reverse=True)
    return found


def has_backup_on(folder: Path, database: Path, day: date) -> bool:
    return any(b.taken_at.date() == day for b in list_backups(folder, database, inspect=False))


def plan_rotation(backups: Sequence[BackupFile], rotation: Rotation) -> set[Path]:
    """The backups to keep: the newest of each of the last N days, weeks and months with a
    backup (daily and on-demand backups), and the newest :data:`UPGRADE_KEEP` upgrade backups."""
    ordered = sorted(backups, key=lambda b: (b.taken_at, b.name), reverse=True)
    regular = [b for b in ordered if b.kind != UPGRADE]
    keep = {b.path for b in [b for b in ordered if b.kind == UPGRADE][:UPGRADE_KEEP]}
    periods: list[tuple[int, Callable[[datetime], object]]] = [
        (rotation.daily, lambda t: t.date()),
        (rotation.weekly, lambda t: t.isocalendar()[:2]),
        (rotation.monthly, lambda t: (t.year, t.month)),
    ]
    for count, period in periods:
        seen: set[object] = set()
        for backup in regular:
            key = period(backup.taken_at)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(key)
            keep.add(backup.path)
    return keep


def rotate(folder: Path, database: Path, rotation: Rotation) -> list[Path]:
    """Delete the backups of ``database`` in ``folder`` that the rotation does not keep."""
    backups = list_backups(folder, database, inspect=False)
    keep = plan_rotation(backups, rotation)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            try:
                backup.path.unlink()
            except OSError:
                continue  # tried again at the next rotation
            removed.append(backup.path)
    return removed


def newest_good(
    folders: Sequence[Path], database: Path, exclude: Sequence[Path] = (), key: str | None = None
) -> BackupFile | None:
    """The newest backup of ``database`` that passes the cheap checks (its full integrity check
    ran when it was written and runs again before it is restored)."""
    skip = {p.resolve() for p in exclude}
    candidates = [
        b
        for folder in dict.fromkeys(f.resolve() for f in folders)
        for b in list_backups(folder, database, key=key)
        if not b.problem and b.path.resolve() not in skip
    ]
    return max(candidates, key=lambda b: (b.taken_at, b.name), default=None)
