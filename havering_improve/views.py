import logging
import time

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from havering_improve import security
from havering_improve.celery import app


def _broker_state() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"
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
