"""Computed summaries — the dashboard, the budget monitoring report, theme pages, measure
charts — cached until the data they show changes.

Programme data is divided into areas, each with a number in the database (`DataVersion`) that
goes up after every committed change in it: one per app ("budget", "evaluation", "board",
"themes" for anything in any theme), one per theme ("theme:12": the theme and everything it
owns), one per measure ("measure:40": the measure and its readings), and "programme" for the
programme's themes themselves (their names, numbers and leads, which other areas' pages show);
"ledger" (the ledger's rows and their allocation to lines) is a part of "budget" whose totals are
kept on their own, so that an edit to a forecast does not add up the ledger again.
A signal from every model of the programme's apps queues the increase of its areas once the
transaction commits (`areas_for` says which); code that writes rows in bulk, without signals,
calls `data_changed(area, ...)` itself. A change to users or their groups (whose names and roles
every page shows), or `data_changed()` with no area, raises "all", which every value depends on.

Each cached value names the areas it shows (`cached(key, compute, areas=...)`) and is keyed by
their numbers and "all", so it is right across any number of web processes whatever cache backend
holds it: a value computed before the latest change to what it shows is never served again, and
a change elsewhere leaves it kept. Keys also carry today's date, so anything that depends on the
day (overdue milestones, the current period) turns over at midnight.

The cache is the `summaries` alias in CACHES: memory in each process by default, or Redis
(`SUMMARY_CACHE_URL`) so that web processes share their work.
"""

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import date
from typing import TypeVar

from asgiref.local import Local
from django.apps import apps
from django.core.cache import caches
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from havering_improve.apps_list import DATA_APPS

T = TypeVar("T")

# The apps whose rows pages show: the programme's, and auth (people's names and roles).
WATCHED_APPS = (*DATA_APPS, "auth")
TIMEOUT = 60 * 60

ALL = "all"
PROGRAMME = "programme"
THEMES = "themes"
BUDGET = "budget"
LEDGER = "ledger"  # ledger rows and their allocation to lines: within "budget"
LEDGER_MODELS = {"ledgerrow", "rowallocation", "ledgerimport", "matchingrule"}
EVALUATION = "evaluation"
BOARD = "board"
EVERY_APP = (THEMES, BUDGET, EVALUATION, BOARD)
# An app whose rows show on another area's pages: packs and progress reports on the board's.
AREA_OF_APP = {"reporting": BOARD}


def theme_area(theme_id: int) -> str:
    return f"theme:{theme_id}"


def measure_area(measure_id: int) -> str:
    return f"measure:{measure_id}"


def _model():
    return apps.get_model("havering_improve", "DataVersion")


_request = Local()  # within a GET request, the versions read first serve the whole request


def data_versions() -> dict[str, int]:
    """Every area's number (an area never changed is 0), read in one query."""
    remembered = getattr(_request, "versions", None)
    if remembered is not None:
        return remembered
    # Read on every cached page, so plain SQL: the ORM would cost more than the query.
    with connections["default"].cursor() as cursor:
        cursor.execute(f"SELECT area, number FROM {_model()._meta.db_table}")  # noqa: S608
        versions = dict(cursor.fetchall())
    if getattr(_request, "remember", False):
        _request.versions = versions
    return versions


def data_version(area: str = ALL) -> int:
    return data_versions().get(area, 0)


class RequestVersionMiddleware:
    """Read the data versions once per GET (or HEAD) request, however many kept summaries the
    page uses. Other requests change data, so they read them afresh each time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request.remember = request.method in ("GET", "HEAD")
        _request.versions = None
        try:
            return self.get_response(request)
        finally:
            _request.remember = False
            _request.versions = None


def _increase(areas: tuple[str, ...], using: str) -> None:
    table = _model()._meta.db_table
    rows = ", ".join(["(%s, 1)"] * len(areas))
    with connections[using].cursor() as cursor:
        # One statement for any number of areas; sorted, so two writers never lock rows in
        # opposite orders. PostgreSQL and SQLite both know ON CONFLICT.
        cursor.execute(
            f"INSERT INTO {table} (area, number) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT (area) DO UPDATE SET number = {table}.number + 1",
            sorted(areas),
        )


_held = Local()


@contextmanager
def held():
    """A bulk job (loading the demo) that changes everything: within the block no change is
    recorded one by one (each would be a statement of its own after each commit), and the block
    ends by recording one change of all the data, whether it finished or failed part-way."""
    depth = getattr(_held, "depth", 0)
    _held.depth = depth + 1
    try:
        yield
    finally:
        _held.depth = depth
        if depth == 0:
            data_changed()


def data_changed(*areas: str, using: str = "default") -> None:
    """Record that programme data in `areas` changed (no area: all of it): once the transaction
    commits (at once outside one), every cached summary that shows those areas is out of date.
    A transaction rolled back changes nothing."""
    if getattr(_held, "depth", 0):
        return  # recorded as a change of everything when the bulk job ends
    chosen = tuple(dict.fromkeys(areas)) or (ALL,)
    transaction.on_commit(lambda: _increase(chosen, using), using=using)


def versioned_key(key: tuple, *, areas: Iterable[str]) -> str:
    """The cache key of `key` as things stand: the versions of the areas it shows, and today."""
    versions = data_versions()
    shown = ",".join(f"{a}={versions.get(a, 0)}" for a in (ALL, *areas))
    return ":".join(str(part) for part in (*key, shown, date.today().isoformat()))


def cached(
    key: tuple, compute: Callable[[], T], *, areas: Iterable[str], timeout: int = TIMEOUT
) -> T:
    """`compute()`'s result, computed at most once per version of the `areas` it shows (and of
    "all"), per day, per key."""
    cache = caches["summaries"]
    full_key = versioned_key(key, areas=areas)
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


def _theme_of_measure(measure_id: int, using: str) -> int | None:
    """Only when the reading came without its measure (pages' code passes it along)."""
    measures = apps.get_model("themes", "Measure").objects.using(using).filter(pk=measure_id)
    return measures.values_list("theme_id", flat=True).first()


def areas_for(instance, using: str = "default") -> tuple[str, ...]:
    """The areas a change to `instance` (a row of one of the programme's apps) touches."""
    label = instance._meta.app_label
    if label in ("auth", PROGRAMME):
        return (ALL,)  # people's names and roles, and the programme's name, are on every page
    if label == BUDGET and instance._meta.model_name in LEDGER_MODELS:
        return (BUDGET, LEDGER)
    if label != THEMES:
        return (AREA_OF_APP.get(label, label),)
    name = instance._meta.model_name
    if name == "theme":
        return (THEMES, PROGRAMME, theme_area(instance.pk))
    if name == "measure":
        return (THEMES, theme_area(instance.theme_id), measure_area(instance.pk))
    if name == "measurereading":
        measure = instance._state.fields_cache.get("measure")
        theme_id = measure.theme_id if measure else _theme_of_measure(instance.measure_id, using)
        if theme_id is None:
            return (THEMES, measure_area(instance.measure_id))  # the measure went with it
        return (THEMES, theme_area(theme_id), measure_area(instance.measure_id))
    theme_id = getattr(instance, "theme_id", None)
    if theme_id is None:
        return (THEMES, PROGRAMME)  # a model this does not know yet: anything that shows themes
    return (THEMES, theme_area(theme_id))


def _on_change(sender, using="default", **kwargs):
    if kwargs.get("raw") or getattr(_held, "depth", 0):
        return  # loaddata; a bulk job records its changes when it ends
    if set(kwargs.get("update_fields") or ()) == {"last_login"}:
        return  # a sign-in changes nothing anyone reads here
    data_changed(*areas_for(kwargs["instance"], using), using=using)


def _on_m2m_change(sender, action, using="default", **kwargs):
    if action.startswith("post_") and sender._meta.app_label in WATCHED_APPS:
        # The link table's own app: budget lines' and evaluation's links to themes show on
        # their app's pages and on the theme tabs those apps add.
        label = sender._meta.app_label
        data_changed(
            ALL if label in ("auth", THEMES) else AREA_OF_APP.get(label, label), using=using
        )


def connect_signals():
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            if hasattr(model, "instance_type"):
                continue  # a simple-history record, saved beside the change it records
            uid = f"summaries-{model._meta.label_lower}"
            post_save.connect(_on_change, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(_on_change, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="summaries-m2m")
