"""Schema upgrades with Alembic, run from code (no alembic.ini needed).

``HEAD`` names the newest revision so that a normal start can tell "up to date" without loading
Alembic; a test keeps it equal to Alembic's own head.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

HEAD = "0011"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _config():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def known_revisions() -> set[str]:
    """Every revision this version of CaseDesk knows."""
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def is_known(revision: str) -> bool:
    return revision in known_revisions()


def upgrade(engine: Engine, target: str = "head") -> None:
    """Upgrade to ``target``. On SQLite, foreign keys are off while tables are rebuilt (a batch
    rebuild with them on would delete child rows through ON DELETE CASCADE) and checked after."""
    from alembic import command

    cfg = _config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.driver_connection
        if sqlite:  # outside any transaction, or SQLite ignores it
            raw.execute("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
        conn.commit()
        if sqlite:
            problems = raw.execute("PRAGMA foreign_key_check").fetchall()
            raw.execute("PRAGMA foreign_keys=ON")
            if problems:
                raise RuntimeError(f"升级后外键检查失败：{problems[:5]}")
