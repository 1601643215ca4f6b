"""`make run`'s first start makes the demo's SQLite database from the models in seconds, with
every migration recorded as applied: the same tables, columns, indexes and constraints that
replaying the migrations gives, so later migrations apply to it as to any other."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def _manage(*args, db, timeout=600):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DEMO", "SECRET_KEY")}
    env |= {"DJANGO_SETTINGS_MODULE": "havering_improve.settings.demo"}
    env |= {"DATABASE_URL": f"sqlite:///{db}"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _schema(db):
    import sqlite3

    with sqlite3.connect(db) as connection:
        tables = {}
        for name, sql in connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ):
            # By name: replaying migrations can leave a table's columns in another order.
            columns = sorted(c[1:] for c in connection.execute(f'PRAGMA table_info("{name}")'))
            indexes = sorted(
                (
                    unique,
                    origin,
                    tuple(c[2] for c in connection.execute(f'PRAGMA index_info("{i}")')),
                )
                for _seq, i, unique, origin, _partial in connection.execute(
                    f'PRAGMA index_list("{name}")'
                )
            )
            keys = sorted(
                row[2:] for row in connection.execute(f'PRAGMA foreign_key_list("{name}")')
            )
            constraints = sorted(re.findall(r'CONSTRAINT "([^"]+)"', sql))  # checks, uniques
            tables[name] = (columns, indexes, keys, constraints)
        applied = connection.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0]
    return tables, applied


def test_a_fresh_demo_database_is_what_the_migrations_make(tmp_path):
    fast, migrated = tmp_path / "fast.sqlite3", tmp_path / "migrated.sqlite3"
    said = _manage("demo_database", db=fast)
    assert "Creating the database's tables from the models" in said
    _manage("migrate", "--noinput", "-v0", db=migrated)
    assert _schema(fast) == _schema(migrated)
    # Nothing is left to apply, and a second start migrates as usual.
    _manage("migrate", "--check", db=fast)
    assert "Migrating the database" in _manage("demo_database", db=fast)
