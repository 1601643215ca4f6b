"""The pages the benchmark loads, and who looks at them. Run as a script, it prints each page's
query count (as JSON) for the data now in the benchmark database."""

import json
import sys

from bench import django_env

BOARD_USER = "bench.board"
LEAD_USER = "bench.lead"


def pages() -> list[dict]:
    """(name, path, user) for each page: resolved against the data, so it names real objects."""
    from budget.models import BudgetAllocation
    from themes.models import Theme

    theme = Theme.objects.order_by("number").first()
    allocation = BudgetAllocation.objects.order_by("-start_year").first()
    found = [
        {"name": "floor", "path": "/bench/floor/", "user": BOARD_USER},
        {"name": "dashboard", "path": "/", "user": BOARD_USER},
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


def _published_pack_path() -> str | None:
    """The most recent published meeting pack's page."""
    from board.models import MeetingPack

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
    elif command == "pages":
        print(json.dumps({"pages": pages(), "cookies": session_cookies()}))
