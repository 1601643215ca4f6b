"""`make bench` keeps working: the whole benchmark at a tiny scale, end to end, on PostgreSQL
with gunicorn and wrk. Timings are never judged here (machines are shared); this checks that
every page answered (alone, beside a lead's changes, and at fifty connections), no page's
queries grow with the data, the writer's changes went through, and every job finished."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.services import need, using_postgres

pytestmark = pytest.mark.serial  # it loads the machine: run it alone, after the rest

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_end_to_end_at_a_tiny_scale(tmp_path):
    need(using_postgres(), "the benchmark runs on PostgreSQL (set DATABASE_URL)")
    need(shutil.which("wrk") is not None, "wrk is not installed (apt-get install wrk)")
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    name = f"havering_bench_smoke_{os.getpid()}"
    env = {**os.environ, "BENCH_DATABASE_URL": f"{url}/{name}"}
    out = tmp_path / "results.json"
    try:
        run = subprocess.run(
            [sys.executable, "-m", "bench.run", "--smoke", "--out", str(out)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    finally:
        with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads(out.read_text())
    pages = {p["name"]: p for p in results["pages"]}
    assert {"floor", "home", "dashboard", "theme page", "theme measures", "budget report"} <= set(
        pages
    )
    assert "published pack" in pages, "the generated data has no published pack"
    for page in pages.values():
        assert page["errors"] == 0 and page["requests_per_s"] > 0, page
    cold = results["cold"]
    assert set(cold) == set(pages) - {"floor"}, cold
    for name, times in cold.items():
        assert set(times) == {"nothing_kept_ms", "cold_ms", "kept_ms", "after_elsewhere_ms"}
        assert all(t > 0 for t in times.values()), (name, times)
    # While a lead changed data through the real pages, every reader's request answered.
    for table in ("mixed", "fifty"):
        readers = {p["name"]: p for p in results[table]}
        assert set(readers) == {"home", "dashboard", "another theme", "budget report"}, table
        for page in readers.values():
            assert page["errors"] == 0 and page["requests_per_s"] > 0, (table, page)
        writer = results[f"{table}_writer"]
        assert writer["changes"] > 0 and writer["failures"] == 0, (table, writer)
    for name, counts in results["query_counts"].items():
        assert counts["scale_1"] == counts[f"scale_{results['scale']}"], (name, counts)
    for name, figures in results["jobs"].items():
        assert "error" not in figures, (name, figures)
    assert "Havering Improve benchmark" in run.stdout
