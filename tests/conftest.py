"""Shared fixtures: a migrated template database copied per test, services acting as a tester."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from casedesk.services.app import Services
from casedesk.store.backup import backup_sqlite
from casedesk.store.database import open_database

ACTOR = "测试员"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database migrated to the newest schema, made once per test run."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_database(path).close()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template database for one test."""
    return backup_sqlite(template_db, tmp_path / "casedesk.sqlite3")


@pytest.fixture
def services(db_path: Path):  # type: ignore[no-untyped-def]
    sv = Services.open(db_path, ACTOR)
    yield sv
    sv.close()
