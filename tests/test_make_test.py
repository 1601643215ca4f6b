"""`make test`'s own helpers: the database it picks and the closing list of skipped tests."""

import json

from tests import database_url, skip_report


def test_the_skip_report_lists_each_skipped_test_under_its_reason(tmp_path):
    log = tmp_path / "skips.jsonl"
    entries = [
        {"test": "tests/test_a.py::test_worker", "reason": "no Redis answers on 127.0.0.1:6379"},
        {"test": "tests/test_b.py::test_outbox", "reason": "no Redis answers on 127.0.0.1:6379"},
        {"test": "tests/test_c.py::test_backup", "reason": "backup needs PostgreSQL"},
    ]
    log.write_text("".join(json.dumps(entry) + "\n" for entry in entries))

    report = skip_report.skip_report(log)

    assert report.splitlines()[0] == "Skipped 3 tests:"
    assert "2 × no Redis answers on 127.0.0.1:6379" in report
    assert "1 × backup needs PostgreSQL" in report
    assert report.index("tests/test_a.py::test_worker") < report.index("backup needs")


def test_the_skip_report_says_when_nothing_was_skipped(tmp_path):
    assert skip_report.skip_report(tmp_path / "absent.jsonl") == "Nothing was skipped."


def test_a_database_url_that_is_set_is_kept(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example:5432/elsewhere")
    assert database_url.default_database_url() == "postgres://someone@db.example:5432/elsewhere"


def test_without_a_postgresql_server_the_suite_runs_on_sqlite(monkeypatch, capsys):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(database_url, "PORT", 1)  # nothing listens on port 1

    assert database_url.default_database_url() == ""
    assert "tests run on SQLite" in capsys.readouterr().err
