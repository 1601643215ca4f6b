"""The pages the benchmark loads, and who looks at them. Run as a script, it prints each page's
query count (as JSON) for the data now in the benchmark database."""

import json
import sys

from bench import django_env

BOARD_USER = "bench.board"
LEAD_USER = "bench.lead"
PM_USER = "bench.pm"


def pages() -> list[dict]:
    """(name, path, user) for each page: resolved against the data, so it names real objects."""
    from budget.models import BudgetAllocation
    from themes.models import Theme

    theme = Theme.objects.order_by("number").first()
    allocation = BudgetAllocation.objects.order_by("-start_year").first()
    found = [
        {"name": "floor", "path": "/bench/floor/", "user": BOARD_USER},
        {"name": "home", "path": "/", "user": BOARD_USER},  # what needs a board member
        {"name": "dashboard", "path": "/themes/", "user": BOARD_USER},  # every theme at a glance
        {"name": "theme page", "path": f"/themes/{theme.slug}/", "user": LEAD_USER},
        # The heaviest part of a theme's page: ten charts of ten years of weekly readings.
        {"name": "theme measures", "path": f"/themes/{theme.slug}/measures/", "user": LEAD_USER},
        {
            "name": "budget report",
            "path": f"/budget/{allocation.financial_year.slug}/",
            "user": BOARD_USER,
        },
    ]
    pack = _published_pack_path()
    if pack:
        found.append({"name": "published pack", "path": pack, "user": BOARD_USER})
    return found


def mixed() -> dict:
    """The mixed-load run: what the readers load (their home, the dashboard, another theme's
    page, the budget report, as a board member) while the lead of the first theme changes its
    measures' readings and its milestones through the real pages."""
    from themes.models import Theme

    theme, other = Theme.objects.order_by("number")[:2]
    by_name = {p["name"]: p for p in pages()}
    readers = [
        by_name["home"],
        by_name["dashboard"],
        {"name": "another theme", "path": f"/themes/{other.slug}/", "user": BOARD_USER},
        by_name["budget report"],
    ]
    writer = {
        "theme": theme.slug,
        "measure": theme.measures.order_by("order", "pk").first().pk,
        "milestone": theme.milestones.order_by("pk").first().pk,
        "user": LEAD_USER,
    }
    return {"readers": readers, "writer": writer}


def _published_pack_path() -> str | None:
    """The most recent published meeting pack's page."""
    from reporting.models import MeetingPack

    pack = (
        MeetingPack.objects.filter(status=MeetingPack.Status.PUBLISHED)
        .order_by("-meeting__date", "-version")
        .first()
    )
    return pack.get_absolute_url() if pack else None


def query_counts() -> dict[str, dict[str, int]]:
    """Each page's queries with nothing cached ("cold": what an N+1 would show in) and with its
    summaries kept from a request before ("warm": what most requests cost)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=[BOARD_USER, LEAD_USER])
    }
    counts = {}
    for page in pages():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(users[page["user"]])
        client.get(page["path"])  # first-request work (the session, templates) is not the page's
        counts[page["name"]] = {}
        for state in ("cold", "warm"):
            if state == "cold":
                caches["summaries"].clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page["path"])
            if response.status_code != 200:
                raise SystemExit(f"{page['path']} answered {response.status_code}")
            counts[page["name"]][state] = len(queries.captured_queries)
    return counts


def cold_times(repeat: int = 5) -> dict[str, dict[str, float]]:
    """Each page's time in this one process (Django's test client, median of `repeat`):
    `nothing_kept`, its request with the summaries cache empty (as after a restart); `cold`, its
    first request after a change to what it shows (a lead's new reading on its theme for the
    dashboard and the theme's pages, an edit to a budget line for the budget report, to a
    meeting for a board member's home, to the meeting for its pack); `kept`, a request after
    that; `after_elsewhere`, its first request after a new reading on the last theme (a change
    most pages do not show)."""
    import statistics
    import time

    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.test import Client
    from django.utils import timezone

    from board.models import Meeting
    from budget.models import BudgetLine
    from havering_improve.actions import batch
    from reporting.models import MeetingPack
    from themes.actions.records import measure_reading_add
    from themes.models import Measure

    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[BOARD_USER, LEAD_USER, PM_USER])
    }
    measures = Measure.objects.select_related("theme").order_by("theme__number", "order", "pk")
    own, elsewhere = measures.first(), measures.last()
    summaries = caches["summaries"]

    def timed(client, path) -> float:
        started = time.perf_counter()
        response = client.get(path)
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return seconds * 1000

    def reading(measure, n):
        measure_reading_add(
            measure=measure, actor=users[PM_USER], value=50 + n, date=timezone.localdate()
        )

    def change_to(page, n):
        with batch():  # one transaction; the reading's action is a part of it
            if page["name"] == "budget report":
                BudgetLine.objects.order_by("pk").last().save()
            elif page["name"] == "home":  # a board member's: the next meeting, their actions
                Meeting.objects.order_by("-date").first().save()
            elif page["name"] == "published pack":
                pk = int(page["path"].rstrip("/").rsplit("/", 1)[1])
                MeetingPack.objects.select_related("meeting").get(pk=pk).meeting.save()
            else:
                reading(own, n)

    times = {}
    for page in pages():
        if page["name"] == "floor":
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(users[page["user"]])
        client.get(page["path"])  # first-request work (templates, the session) is not the page's
        runs = {"nothing_kept": [], "cold": [], "kept": [], "after_elsewhere": []}
        for n in range(repeat):
            summaries.clear()
            runs["nothing_kept"].append(timed(client, page["path"]))
            change_to(page, n)
            runs["cold"].append(timed(client, page["path"]))
            runs["kept"].append(timed(client, page["path"]))
            reading(elsewhere, n)
            runs["after_elsewhere"].append(timed(client, page["path"]))
        times[page["name"]] = {f"{k}_ms": round(statistics.median(v), 1) for k, v in runs.items()}
    return times


def session_cookies() -> dict[str, str]:
    """A signed-in session for each benchmark user, as the sessionid cookie value."""
    import time

    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    cookies = {}
    for user in get_user_model().objects.filter(username__in=[BOARD_USER, LEAD_USER]):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["last_seen"] = int(time.time())
        session.save()
        cookies[user.username] = session.session_key
    return cookies


if __name__ == "__main__":
    django_env.setup()
    command = sys.argv[1]
    if command == "queries":
        print(json.dumps(query_counts()))
    elif command == "cold":
        print(json.dumps(cold_times()))
    elif command == "pages":
        print(json.dumps({"pages": pages(), "mixed": mixed(), "cookies": session_cookies()}))
