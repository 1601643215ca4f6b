"""Computed summaries — the dashboard, the budget monitoring report, measure charts — cached
until programme data changes.

A number in the database (`DataVersion`) goes up after every committed change to programme
data: a signal from every model of the programme's apps (and from users and their groups, whose
names and roles the pages show) queues one increase per transaction, and code that writes rows
in bulk, without signals, calls `data_changed()` itself. Every cached value is keyed by that
number, so it is right across any number of web processes whatever cache backend holds it: a
value computed before the latest change is never served again. Keys also carry today's date,
so anything that depends on the day (overdue milestones, the current period) turns over at
midnight.

The cache is the `summaries` alias in CACHES: memory in each process by default, or Redis
(`SUMMARY_CACHE_URL`) so that web processes share their work.
"""

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from asgiref.local import Local
from django.apps import apps
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

PROGRAMME_APPS = ("themes", "budget", "evaluation", "board", "auth")
TIMEOUT = 60 * 60


def _model():
    return apps.get_model("havering_improve", "DataVersion")


_request = Local()  # within a GET request, the version read first serves the whole request


def data_version() -> int:
    remembered = getattr(_request, "version", None)
    if remembered is not None:
        return remembered
    # Read on every cached page, so plain SQL: the ORM would cost more than the query.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {_model()._meta.db_table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    version = row[0] if row else 0
    if getattr(_request, "remember", False):
        _request.version = version
    return version


class RequestVersionMiddleware:
    """Read the data version once per GET (or HEAD) request, however many kept summaries the
    page uses. Other requests change data, so they read it afresh each time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request.remember = request.method in ("GET", "HEAD")
        _request.version = None
        try:
            return self.get_response(request)
        finally:
            _request.remember = False
            _request.version = None


def _increase():
    model = _model()
    if not model.objects.filter(pk=1).update(number=F("number") + 1):
        model.objects.get_or_create(pk=1, defaults={"number": 1})


def data_changed(using: str = "default") -> None:
    """Record that programme data changed: once the transaction commits (at once outside one),
    every cached summary is out of date. A transaction rolled back changes nothing."""
    transaction.on_commit(_increase, using=using)


def cached(key: tuple, compute: Callable[[], T], *, timeout: int = TIMEOUT) -> T:
    """`compute()`'s result, computed at most once per data version, per day, per key."""
    cache = caches["summaries"]
    full_key = ":".join(str(part) for part in (*key, data_version(), date.today().isoformat()))
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


def _on_change(sender, using="default", **kwargs):
    if kwargs.get("raw"):
        return  # loaddata
    if set(kwargs.get("update_fields") or ()) == {"last_login"}:
        return  # a sign-in changes nothing anyone reads here
    data_changed(using)


def _on_m2m_change(sender, action, using="default", **kwargs):
    if action.startswith("post_") and sender._meta.app_label in PROGRAMME_APPS:
        data_changed(using)


def connect_signals():
    for label in PROGRAMME_APPS:
        for model in apps.get_app_config(label).get_models():
            if hasattr(model, "instance_type"):
                continue  # a simple-history record, saved beside the change it records
            uid = f"summaries-{model._meta.label_lower}"
            post_save.connect(_on_change, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(_on_change, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="summaries-m2m")
