import logging
import time

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from board.selectors import boards
from budget.selectors import BUDGET_AREAS, allocations_with_lines
from evaluation.selectors import baseline_inspection, strands
from havering_improve import roles, security, summaries, worklists
from themes.selectors import kept_programme, themes_with_leads


@require_safe
@roles.programme_reader_required
def home(request):
    """Each person's home: what needs them, a list for each role they hold."""
    programme = _programme()
    lists = worklists.home_lists(request.user, programme, kept=True)
    return render(request, "home.html", {"programme": programme, "lists": lists})


def _programme():
    return kept_programme()


@require_safe
@roles.programme_reader_required
def about(request):
    """The programme as its decision set it up: themes, budget, evaluation, governance and the
    review after the first year. The same for everyone who may read the programme."""
    body = summaries.cached(
        ("about",),
        lambda: render_to_string("_about_body.html", _about_summary()),
        areas=summaries.EVERY_APP,
    )
    return render(request, "about.html", {"body": body})


def _about_summary() -> dict:
    """Each app's share is kept on its own, so a change in one recomputes only its share."""
    programme = _programme()
    return {
        "programme": programme,
        "themes": summaries.cached(
            ("about-themes",), lambda: list(themes_with_leads(programme)), areas=[summaries.THEMES]
        ),
        "allocations": summaries.cached(
            ("about-budget",), lambda: list(allocations_with_lines(programme)), areas=BUDGET_AREAS
        ),
        **summaries.cached(
            ("about-evaluation",),
            lambda: {
                "strands": list(strands(programme)),
                "baseline": baseline_inspection(programme),
            },
            areas=[summaries.EVALUATION, summaries.PROGRAMME],
        ),
        "boards": summaries.cached(
            ("about-boards",), lambda: list(boards(programme)), areas=[summaries.BOARD]
        ),
    }


def _broker_state() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"
    from havering_improve.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # any failure to reach the broker means "down"
        return "down"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitoring: 200 while the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:
        database = "down"
    body = {"database": database, "broker": _broker_state()}
    return JsonResponse(body, status=200 if database == "ok" else 503)


@require_safe
def privacy(request):
    return render(request, "pages/privacy.html")


@require_safe
def accessibility(request):
    return render(request, "pages/accessibility.html")


@never_cache
def session_extend(request):
    """Touch the session (the timeout warning's "Stay signed in"). 204 if signed in, else 401."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session["last_seen"] = int(time.time())
    return HttpResponse(status=204)


def error_403(request, exception=None):
    security.log_event(
        "permission_denied", request=request, level=logging.WARNING, reason=str(exception or "")
    )
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def error_400(request, exception=None):
    security.log_event("bad_request", request=request, level=logging.WARNING)
    return render(request, "400.html", status=400)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
