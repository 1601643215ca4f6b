"""`make bench`: how fast every page and job is at N years of data, on this machine.

Steps (each figure is measured in this one run, side by side with its baseline):
1. query counts per page at scale 1 and scale N (they must be equal: no N+1);
2. gunicorn (2 workers) on PostgreSQL at scale N, loaded by wrk from another process on
   loopback with 10 connections: requests/s, p50, p95 per page, and the ratio to the floor page;
3. ledger import of 100,000 rows through the real importer, beside PostgreSQL COPY;
   the ledger download (CSV and XLSX) of the year with the most rows: rows/s, peak memory;
4. a full meeting pack build (HTML and PDF): seconds and peak memory;
5. a 10-year rota: seconds.
Writes bench/results.json and prints a table.
"""

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/havering_bench")


def env() -> dict:
    e = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    e.update(DJANGO_SETTINGS_MODULE="havering_improve.settings.bench", DATABASE_URL=DB_URL)
    e.pop("CELERY_BROKER_URL", None)  # jobs run in-process: the benchmark measures the work
    return e


def run(*args, capture=False) -> str:
    result = subprocess.run(
        [PY, *args], cwd=ROOT, env=env(), check=True, text=True,
        stdout=subprocess.PIPE if capture else None,
    )  # fmt: skip
    return result.stdout if capture else ""


def _admin(sql: str) -> None:
    with psycopg.connect(DB_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _name() -> str:
    return DB_URL.rsplit("/", 1)[1]


def _template() -> str:
    """The database as the migrations and the programme's data file leave it: made once a run,
    each scale's database is then a copy of it (replaying every migration takes a minute)."""
    return f"{_name()}_loaded"


def recreate_database(template: str | None = None):
    _admin(f'DROP DATABASE IF EXISTS "{_name()}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{_name()}"' + (f' TEMPLATE "{template}"' if template else ""))


def load(scale: int, *, first: bool):
    if first:
        recreate_database()
        run("manage.py", "migrate", "--noinput", "-v0")
        run("manage.py", "load_programme", "-v0")
        _admin(f'DROP DATABASE IF EXISTS "{_template()}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{_template()}" TEMPLATE "{_name()}"')
    else:
        recreate_database(template=_template())
    t = time.perf_counter()
    run("manage.py", "generate_scale_data", "--scale", str(scale))
    return time.perf_counter() - t


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, cookie: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(ROOT / "bench" / "wrk_report.lua"), "-H", f"Cookie: sessionid={cookie}", url],
        check=True, text=True, capture_output=True,
    ).stdout  # fmt: skip
    figures = json.loads(out.strip().splitlines()[-1])
    return {
        "requests_per_s": round(figures["requests"] / (figures["duration_us"] / 1e6), 1),
        "p50_ms": round(figures["p50_us"] / 1000, 1),
        "p95_ms": round(figures["p95_us"] / 1000, 1),
        "errors": figures["errors"] + figures["non_2xx"],
    }


def load_pages(seconds: int, connections: int, mixed_seconds: int) -> dict:
    """The three load tables, from one gunicorn: each page alone at `connections`; the mixed
    load (a lead writing once a second while readers load three pages); fifty connections."""
    info = json.loads(run("-m", "bench.pages", "pages", capture=True))
    port = free_port()
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "havering_improve.wsgi", "-c", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "/dev/null",
         # No recycling after max_requests: at benchmark rates it would restart each worker
         # every few seconds, which a council's traffic never does.
         "--max-requests", "0", "--backlog", "256"],
        cwd=ROOT, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    cookies = info["cookies"]
    try:
        wait_until_serving(base, cookies[info["pages"][0]["user"]])
        pages = []
        for page in info["pages"]:
            cookie = cookies[page["user"]]
            wrk(base + page["path"], cookie, 2, connections)  # warm both workers
            pages.append({**page, **wrk(base + page["path"], cookie, seconds, connections)})
        floor = next(r for r in pages if r["name"] == "floor")["requests_per_s"]
        readers = info["mixed"]["readers"]
        tables = {"pages": pages}
        for table, conns in (("mixed", connections), ("fifty", 50)):
            writer = start_writer(base, info["mixed"]["writer"], cookies)
            time.sleep(1.5)  # its first change is in
            rows = []
            try:
                for page in readers:
                    figures = wrk(base + page["path"], cookies[page["user"]], mixed_seconds, conns)
                    rows.append({**page, **figures})
            finally:
                tables[f"{table}_writer"] = stop_writer(writer)
            tables[table] = rows
    finally:
        server.terminate()
        server.wait(timeout=30)
    for rows in (tables["pages"], tables["mixed"], tables["fifty"]):
        for r in rows:
            r["ratio_to_floor"] = round(r["requests_per_s"] / floor, 2) if floor else None
    return tables


def wait_until_serving(base: str, cookie: str, seconds: int = 180) -> None:
    """Both workers booted and answering (the socket is open before they are)."""
    import urllib.request

    request = urllib.request.Request(
        base + "/bench/floor/", headers={"Cookie": f"sessionid={cookie}"}
    )
    deadline = time.monotonic() + seconds
    answered = 0
    while answered < 4:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answered += response.status == 200
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def start_writer(base: str, writer: dict, cookies: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [PY, "-m", "bench.writer", "--base", base, "--session", cookies[writer["user"]],
         "--theme", writer["theme"], "--measure", str(writer["measure"]),
         "--milestone", str(writer["milestone"])],
        cwd=ROOT, env=env(), stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def stop_writer(writer: subprocess.Popen) -> dict:
    writer.terminate()
    out, _ = writer.communicate(timeout=60)
    return json.loads(out.strip().splitlines()[-1])


def job(module: str, *args) -> dict:
    """Each job runs in its own process, so its peak memory is its own."""
    return json.loads(run("-m", module, *args, capture=True).strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=10, help="load time per page")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--mixed-seconds", type=int, default=15, help="load time per page, mixed")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true", help="tiny and quick: CI's check")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()
    if args.smoke:
        args.scale, args.seconds, args.mixed_seconds, args.import_rows = 2, 3, 3, 2_000
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk (make bench does this)")

    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "scale": args.scale,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    try:
        results["generate_seconds_scale_1"] = round(load(1, first=True), 1)
        counts_1 = json.loads(run("-m", "bench.pages", "queries", capture=True))
        results["generate_seconds"] = round(load(args.scale, first=False), 1)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{_template()}" WITH (FORCE)')
    counts_n = json.loads(run("-m", "bench.pages", "queries", capture=True))
    results["query_counts"] = {
        name: {"scale_1": counts_1[name], f"scale_{args.scale}": counts_n.get(name)}
        for name in counts_1
    }
    results["cold"] = json.loads(run("-m", "bench.pages", "cold", capture=True))
    results.update(load_pages(args.seconds, args.connections, args.mixed_seconds))
    results["jobs"] = {}
    for name, module, extra in JOBS:
        try:
            results["jobs"][name] = job(module, *extra(args))
        except (subprocess.CalledProcessError, json.JSONDecodeError, IndexError) as exc:
            results["jobs"][name] = {"error": str(exc)}
    args.out.write_text(json.dumps(results, indent=2))
    print(report(results))
    print(f"\nWritten to {args.out}")


JOBS = [
    ("ledger import", "bench.ledger_import", lambda a: ["--rows", str(a.import_rows)]),
    ("ledger export", "bench.ledger_export", lambda a: []),
    ("pack build", "bench.pack_build", lambda a: []),
    ("rota", "bench.rota", lambda a: ["--years", "10"]),
]


def report(results: dict) -> str:
    n = results["scale"]
    lines = [f"Havering Improve benchmark — scale {n}, {results['machine']['cpus']} CPUs", ""]
    lines.append(f"{'page':<16}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'÷floor':>8}"
                 f"{'queries@1':>11}{f'queries@{n}':>12}  (cold/warm)")  # fmt: skip

    def counts(figures) -> str:
        return f"{figures['cold']}/{figures['warm']}" if figures else "-"

    for p in results["pages"]:
        q = results["query_counts"].get(p["name"], {})
        if p["ratio_to_floor"] is None:
            p["ratio_to_floor"] = "-"
        at_1, at_n = q.get("scale_1"), q.get(f"scale_{n}")
        lines.append(
            f"{p['name']:<16}{p['requests_per_s']:>8}{p['p50_ms']:>9}{p['p95_ms']:>9}"
            f"{p['ratio_to_floor']:>8}{counts(at_1):>11}{counts(at_n):>12}"
            + ("  GROWS WITH THE DATA" if at_1 != at_n else "")
        )
    lines += [
        "",
        "Cold and kept, one process (median ms): with nothing kept; the first request after a "
        "change to what the page shows (cold); kept; the first after a reading on another theme",
        f"{'page':<16}{'nothing':>9}{'cold':>8}{'kept':>8}{'after':>8}",
    ]
    for name, t in results["cold"].items():
        lines.append(
            f"{name:<16}{t['nothing_kept_ms']:>9}{t['cold_ms']:>8}{t['kept_ms']:>8}"
            f"{t['after_elsewhere_ms']:>8}"
        )
    for table, title in (
        ("mixed", "Mixed load: a lead changing data once a second, readers at 10 connections"),
        ("fifty", "Fifty connections, the lead still writing"),
    ):
        lines += [
            "",
            title,
            f"{'page':<16}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'÷floor':>8}{'errors':>8}",
        ]
        for p in results[table]:
            lines.append(
                f"{p['name']:<16}{p['requests_per_s']:>8}{p['p50_ms']:>9}{p['p95_ms']:>9}"
                f"{p['ratio_to_floor'] or '-':>8}{p['errors']:>8}"
            )
        lines.append(
            "writer: " + ", ".join(f"{k} {v}" for k, v in results[f"{table}_writer"].items())
        )
    lines.append("")
    for name, figures in results["jobs"].items():
        lines.append(f"{name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
