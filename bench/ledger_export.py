"""The ledger download of the year with the most rows (200,000 at scale 10), CSV and XLSX, as a
person's browser gets it: through the view, read to the end. Rows per second, seconds to the
first bytes, and the process's peak memory above what it held before (prints one JSON line)."""

import json
import resource
import time

from bench import django_env


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def download(client, path: str) -> dict:
    started = time.perf_counter()
    response = client.get(path)
    first = None
    size = 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return {"seconds": seconds, "first_bytes_s": first, "bytes": size}


def main():
    django_env.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.test import Client

    from budget.models import BudgetAllocation

    allocation = (
        BudgetAllocation.objects.annotate(
            n=Count("ledger_rows", filter=Q(ledger_rows__active=True))
        )
        .order_by("-n")
        .first()
    )
    rows = allocation.n
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="bench.pm"))
    slug = allocation.financial_year.slug
    download(client, f"/budget/{slug}/ledger.csv?period=1")  # warm: imports, templates, cache
    baseline = peak_rss_mb()
    figures = {"rows": rows}
    for fmt in ("csv", "xlsx"):
        result = download(client, f"/budget/{slug}/ledger.{fmt}")
        figures[f"{fmt}_rows_per_s"] = round(rows / result["seconds"])
        figures[f"{fmt}_seconds"] = round(result["seconds"], 2)
        figures[f"{fmt}_first_bytes_s"] = round(result["first_bytes_s"], 2)
        figures[f"{fmt}_mb"] = round(result["bytes"] / 2**20, 1)
        figures[f"{fmt}_peak_rss_growth_mb"] = round(peak_rss_mb() - baseline, 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
