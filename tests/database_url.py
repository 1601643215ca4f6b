"""The database `make test` runs on, printed for the Makefile.

DATABASE_URL when it is set. Otherwise, when PostgreSQL answers on 127.0.0.1:5432 (user
postgres, trust), its `havering_improve` database, created if missing, so the worker, backup and
multi-process tests run as they do in CI. Otherwise nothing: the suite runs on SQLite and the
tests that need PostgreSQL skip, each saying why.
"""

import os
import sys

HOST, PORT, USER, NAME = "127.0.0.1", 5432, "postgres", "havering_improve"


def default_database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    try:
        import psycopg
        from psycopg import sql

        with psycopg.connect(
            host=HOST, port=PORT, user=USER, dbname="postgres", connect_timeout=3, autocommit=True
        ) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(NAME)))
    except Exception as exc:  # no server, no such user, no driver: run on SQLite
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(
            f"PostgreSQL is not available on {HOST}:{PORT} ({reason}); tests run on SQLite.",
            file=sys.stderr,
        )
        return ""
    return f"postgres://{USER}@{HOST}:{PORT}/{NAME}"


if __name__ == "__main__":
    print(default_database_url())
