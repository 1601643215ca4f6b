"""Ledger import through the real importer (read, validate, match, dedupe, save) beside
PostgreSQL COPY of the same rows into a bare table; and peak memory at two file sizes, to show
it stays flat as the file grows (prints one JSON line).

The timed import runs without tracemalloc (which multiplies the time of Python code three- to
four-fold, and the COPY it is compared with never ran under it); the peaks come from separate
traced imports of a small and a large extract. The traced large import is deleted afterwards,
so the database is left as one small and one large import, as before. Each run's references are
its own, so the benchmark can be run again on the same database."""

import argparse
import csv
import io
import json
import time
import tracemalloc
import uuid

from bench import django_env

HEADER = [
    "Posting Date", "Period", "Cost Centre", "Cost Centre Name", "Subjective",
    "Subjective Name", "Transaction Reference", "Post Number", "Description", "Amount",
]  # fmt: skip


def extract(rows: int, fy, tag: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(rows):
        period = n % 12 + 1
        day = fy.period_start(period).replace(day=1 + n % 27)
        writer.writerow([
            day.strftime("%d/%m/%Y"), period, "C21450", "Children's Social Care Improvement",
            "0101", "Salaries", f"{tag}{n:08d}", f"P{10231 + n % 8}", "Payroll", f"{n % 5000}.25",
        ])  # fmt: skip
    return out.getvalue().encode()


def run_import(allocation, user, data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from budget.actions import imports as import_actions

    batch = import_actions.ledger_import_upload(
        allocation=allocation,
        uploaded_file=SimpleUploadedFile(name, data),
        actor=user,
        cost_centres="C21450",
    )
    if batch.errors:
        raise SystemExit(f"The benchmark extract was refused: {batch.errors[:3]}")
    return import_actions.ledger_import_confirm(batch=batch, actor=user)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    django_env.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from budget.models import BudgetAllocation, PeriodState

    allocation = BudgetAllocation.objects.order_by("-start_year").first()
    PeriodState.objects.filter(allocation=allocation).delete()  # every period open
    user = get_user_model().objects.get(username="bench.pm")
    fy = allocation.financial_year

    small_rows = max(args.rows // 10, 100)
    run = uuid.uuid4().hex[:8]
    tracemalloc.start()
    run_import(allocation, user, extract(small_rows, fy, f"S{run}-"), "small.csv")
    small_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    data = extract(args.rows, fy, f"B{run}-")
    started = time.perf_counter()
    batch = run_import(allocation, user, data, "big.csv")
    seconds = time.perf_counter() - started
    assert batch.rows_imported == args.rows, batch.rows_imported

    traced = extract(args.rows, fy, f"M{run}-")
    tracemalloc.start()
    tracemalloc.reset_peak()
    big_baseline = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    traced_batch = run_import(allocation, user, traced, "big-traced.csv")
    traced_seconds = time.perf_counter() - started
    big_peak = tracemalloc.get_traced_memory()[1] - big_baseline
    tracemalloc.stop()
    del traced
    with connection.cursor() as cursor:  # 100,000 rows: one statement, not the ORM's cascade
        cursor.execute("DELETE FROM budget_ledgerrow WHERE batch_id = %s", [traced_batch.pk])
    traced_batch.delete()

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_copy (posting_date text, period int, cost_centre text, "
            "cost_centre_name text, subjective text, subjective_name text, reference text, "
            "post_number text, description text, amount numeric(14,2))"
        )
        started = time.perf_counter()
        with cursor.cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as cp:
            cp.write(data)
        copy_seconds = time.perf_counter() - started

    rate = args.rows / seconds
    copy_rate = args.rows / copy_seconds
    print(
        json.dumps(
            {
                "rows": args.rows,
                "seconds": round(seconds, 2),
                "seconds_traced": round(traced_seconds, 2),
                "rows_per_s": round(rate),
                "copy_rows_per_s": round(copy_rate),
                "ratio_to_copy": round(rate / copy_rate, 3),
                "peak_mb_small": round(small_peak / 2**20, 1),
                "peak_mb_large": round(big_peak / 2**20, 1),
                "rows_small": small_rows,
            }
        )
    )


if __name__ == "__main__":
    main()
