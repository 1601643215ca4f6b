"""The one write path: every change to programme data is an *action*.

An action is a function with keyword-only arguments, the first of which is `actor` (the person
doing it, or None for the application's own jobs). The `@action` decorator gives every one of
them the same five things, in one place:

1. a transaction (nothing half-saved);
2. the permission check, by the name of a rule in `havering_improve.roles` (and the object the
   rule is about, found from the action's arguments) — PermissionDenied when it says no;
3. the history user: every row saved inside the action is recorded in django-simple-history as
   changed by `actor`;
4. the security log event, written when the transaction commits, for actions the log records
   (imports, for example);
5. tasks, which actions queue by name with `havering_improve.outbox.enqueue`, go to the broker
   only once the transaction has committed;
6. a lock conflict — two requests at the same moment that the database could not take in turn
   ("database is locked" on SQLite; a deadlock, lock timeout or serialization failure on
   PostgreSQL) — becomes `errors.TryAgain`, a ValidationError, so the person is told to try
   again (nothing was saved) and never sees a 500. Usually the second request simply waits its
   turn (SQLite's transactions take the write lock as they begin, and wait for it) and then
   finds the work done ("already done").

An action is one transaction of its own: called at the top it opens
`transaction.atomic(durable=True)`, so it is never folded silently into a transaction someone
else opened (that would leave its checks, history and tasks to whatever encloses it). One action
that does another as part of its own work says so, by calling it `other.within(actor=..., ...)`:
the inner action still asks its own rule, stamps its own history and queues its own tasks, but
inside the outer action's transaction (a savepoint, so the outer action may catch its refusal and
carry on), and all of it commits or none of it. Calling an action plainly while another action's
transaction is open raises `NestedAction`, naming both; calling `.within` with no action running
raises it too. A script that makes many changes as one (a test that rolls back what each person
did) opens `batch()`: the actions it calls plainly are parts of its one durable transaction.
`atomic=False` jobs open no transaction of their own, so the actions they call are top-level.

Records two people may edit at once carry a `version`. An edit names the version its form was
opened at (`lock_current(obj, version)`); if the record has moved on, the edit is refused with
`StaleEdit`, which lists what the other person changed.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import logging
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from simple_history.models import HistoricalRecords

from havering_improve import roles, security
from havering_improve.errors import TryAgain

logger = logging.getLogger(__name__)

# Every function wrapped by @action, by its dotted name: the test of the write path reads it.
REGISTRY: dict[str, Callable] = {}


def _find(path: str | Callable | None, kwargs: dict):
    """The object a rule is about: a dotted path into the action's arguments ("milestone.theme")
    or a function of them."""
    if path is None:
        return ()
    if callable(path):
        return (path(kwargs),)
    head, *rest = path.split(".")
    value = kwargs[head]
    for name in rest:
        value = getattr(value, name)
    return (value,)


# PostgreSQL's SQLSTATEs for a conflict that the same request would not meet a moment later:
# serialization_failure, deadlock_detected, lock_not_available (NOWAIT, lock_timeout).
_PG_LOCK_CONFLICTS = {"40001", "40P01", "55P03"}


def is_lock_conflict(exc: BaseException) -> bool:
    """Whether a database error is two requests meeting (worth trying again), not a fault."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in _PG_LOCK_CONFLICTS:
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


@contextmanager
def lock_conflicts_refused():
    """Turn a lock conflict that leaves the outermost transaction into TryAgain. Inside an
    enclosing transaction it goes on up as it is: that transaction is spoiled, and the action
    that began it says so."""
    try:
        yield
    except OperationalError as exc:
        if not is_lock_conflict(exc) or transaction.get_connection().in_atomic_block:
            raise
        logger.warning("Lock conflict, the person was asked to try again: %s", exc)
        raise TryAgain() from exc


class _ActorRequest(SimpleNamespace):
    """What simple-history reads its user from while an action runs."""


@contextmanager
def history_user(actor):
    """Rows saved inside the block are recorded in the history as changed by `actor` (a row's
    own `_history_user`, where set, still wins)."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = _ActorRequest(
        user=actor if actor is not None else SimpleNamespace(is_authenticated=False),
        request=getattr(previous, "request", previous),
    )
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


def current_request():
    """The web request the current action serves, if any (for the security log's IP and path)."""
    stamped = getattr(HistoricalRecords.context, "request", None)
    return getattr(stamped, "request", stamped)


@dataclass(frozen=True)
class _Running:
    """What holds the transaction an action called now would run in: an action (by name) or a
    `batch()`."""

    name: str
    batch: bool = False


# The action (or batch) whose transaction is open in this thread or task, if any.
_running: ContextVar[_Running | None] = ContextVar("havering_improve_running_action", default=None)


class NestedAction(RuntimeError):
    """An action was called in a way that hides whose transaction it runs in."""


@contextmanager
def batch(name: str = "batch"):
    """One durable transaction for several actions called plainly inside it (each still checked,
    recorded and queuing its tasks, as a savepoint within it): all of them commit, or none."""
    with transaction.atomic(durable=True):
        token = _running.set(_Running(name, batch=True))
        try:
            yield
        finally:
            _running.reset(token)


def _transaction_for(name: str, atomic: bool, within: bool):
    """The block an action runs in: its own durable transaction at the top; a savepoint inside
    a batch or, through `.within`, inside the action that calls it."""
    running = _running.get()
    if within:
        if running is None:
            raise NestedAction(
                f"{name}.within() is for one action doing another as part of its own work, but "
                f"no action is running: call {name}() directly."
            )
        return transaction.atomic() if atomic else nullcontext()
    if running is not None and not running.batch:
        raise NestedAction(
            f"{name}() was called inside the transaction of {running.name}(): call "
            f"{name}.within(...) to make it part of that action, so the nesting is plain to see."
        )
    if not atomic:
        return nullcontext()
    inside_a_batch = running is not None and running.batch
    return transaction.atomic() if inside_a_batch else transaction.atomic(durable=True)


def action(
    rule: str,
    *,
    on: str | Callable | None = None,
    audit: str | None = None,
    audit_details: Callable | None = None,
    atomic: bool = True,
):
    """Make `fn(*, actor, ...)` an action: a durable transaction of its own, permission-checked
    by `roles.<rule>` (about the object `on` names), history stamped with the actor, and logged to
    the security log as `audit` (with `audit_details(result)`) once committed. `rule="system"` is
    for the application's own jobs, which no person starts. `atomic=False` is for the few jobs
    that render or send email and so keep their own transactions short (they are idempotent
    instead); the actions they call are top-level ones.

    An action that does another as part of its work calls `other.within(actor=..., ...)`: the
    same checks, history and tasks, in the caller's transaction (see the module's docstring). A
    plain call while another action's transaction is open is refused with `NestedAction`."""
    if rule != "system" and not callable(getattr(roles, rule, None)):
        raise ImproperlyConfiguredRule(rule)

    def decorate(fn):
        name = f"{fn.__module__}.{fn.__name__}"

        def run(args, actor, kwargs, *, within):
            if args:
                raise TypeError(f"{fn.__name__}() takes keyword arguments only")
            block = _transaction_for(fn.__name__, atomic, within)
            with lock_conflicts_refused(), block:
                # A job with no transaction of its own leaves the actions it calls where it is.
                token = _running.set(_Running(fn.__name__)) if atomic else None
                try:
                    roles.require(rule, actor, *_find(on, kwargs))
                    with history_user(actor):
                        result = fn(actor=actor, **kwargs)
                finally:
                    if token is not None:
                        _running.reset(token)
                if audit:
                    details = audit_details(result) if audit_details else {}
                    request = current_request()
                    transaction.on_commit(
                        lambda: security.log_event(audit, request=request, user=actor, **details)
                    )
            return result

        @functools.wraps(fn)
        def wrapper(*args, actor=None, **kwargs):
            return run(args, actor, kwargs, within=False)

        @functools.wraps(fn)
        def within(*args, actor=None, **kwargs):
            return run(args, actor, kwargs, within=True)

        wrapper.within = within
        wrapper.is_action = True
        wrapper.rule, wrapper.on, wrapper.atomic = rule, on, atomic
        REGISTRY[name] = wrapper
        return wrapper

    return decorate


class ImproperlyConfiguredRule(LookupError):
    def __init__(self, rule):
        super().__init__(f"havering_improve.roles has no rule called {rule!r}")


# Optimistic concurrency ---------------------------------------------------------------------

# Fields that are bookkeeping, not content, when telling an editor what changed.
# The parent a record belongs to never changes in an edit form, so it is left out too.
NOT_CONTENT = {
    *("id", "version", "submitted_at", "submitted_by", "created_by", "updated_at"),
    *("theme", "line", "meeting", "activity", "allocation", "programme", "board"),
}


class StaleEdit(Exception):
    """Someone saved the record after this editor opened it. `changes` lists
    {"field", "before", "after"}; `changed_by` and `changed_at` say who and when."""

    def __init__(self, obj, changes, changed_by=None, changed_at=None):
        self.obj = obj
        self.changes = changes
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = changed_by.get_full_name() or changed_by.username if changed_by else "someone else"
        super().__init__(
            f"{who} changed this {obj._meta.verbose_name} after you opened it, so your changes "
            "were not saved. Check what changed, then save again if yours still apply."
        )


def _display(instance, field) -> str:
    value = getattr(instance, field.attname)
    if value in (None, ""):
        return "(blank)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def changes_between(old, new) -> list[dict]:
    """The content fields that differ between two instances of a model, for people to read."""
    changes = []
    for field in new._meta.concrete_fields:
        if field.name in NOT_CONTENT:
            continue
        if getattr(old, field.attname) != getattr(new, field.attname):
            changes.append(
                {
                    "field": str(field.verbose_name).capitalize(),
                    "before": _display(old, field),
                    "after": _display(new, field),
                }
            )
    return changes


def lock_current(obj, expected_version: int | None, *, required: bool = True):
    """The record re-read under a row lock. StaleEdit if it has moved past `expected_version`;
    a ValidationError if an edit that must name its version does not (a form that lost its
    version field must not overwrite silently). State changes that are not edits pass
    `required=False` and no version."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if expected_version is None:
        if required:
            raise ValidationError(
                "This form is missing the version of the record it was opened at, so it could "
                "overwrite someone else's changes. Open the page again and redo your changes."
            )
        return current
    if current.version != expected_version:
        seen = current.history.filter(version=expected_version).order_by("-history_date").first()
        latest = current.history.order_by("-history_date").select_related("history_user").first()
        changes = changes_between(seen.instance, current) if seen else []
        raise StaleEdit(
            current,
            changes,
            changed_by=latest.history_user if latest else None,
            changed_at=latest.history_date if latest else None,
        )
    return current


def save_current(record, version: int | None, fields: dict, *, exclude=()):
    """Save `fields` onto `record` as it stands now: re-read under a row lock (StaleEdit if it has
    moved past the `version` its form was opened at), changed, checked, its version moved on.
    A record not yet in the database is made. With no `version` (the application's own change of
    a field or two, never a form: an edit form always carries one) the fields go onto the latest
    record. Version 0 means the form was opened before there was a record (see
    `VersionedForm.made_on_first_save`): if one has been made since, StaleEdit. Returns the
    record saved."""
    current = record
    if record.pk:
        try:
            current = lock_current(record, version, required=False)
        except StaleEdit as exc:
            if version == 0:  # what they changed: what they set, against a new record
                exc.changes = changes_between(type(record)(), exc.obj)
            raise
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=list(exclude))
    if current.pk:
        current.version += 1
    current.save()
    return current


def rows_changed(record, version: int, rows, *, parent: str, key: str, value, label, show):
    """For StaleEdit: what changed since `record` was at `version` in the rows of model `rows`
    that belong to it (its field `parent`), when they are part of its content (a meeting's
    pins, a line's theme weights) and saved under its version. Each row is told apart by its
    field `key` (a theme id) and read with `value(row)`; a missing row is None. `label(keys)`
    names the keys ({key: label}, in the order to list them); `show(value)` shows a value."""
    seen = record.history.filter(version=version).order_by("-history_date").first()
    if seen is None:
        return []
    then = {}
    earlier = rows.history.filter(
        **{f"{parent}_id": record.pk, "history_date__lte": seen.history_date}
    )
    for old in earlier.order_by("history_date", "history_id"):
        then[getattr(old, key)] = None if old.history_type == "-" else value(old)
    now = {getattr(row, key): value(row) for row in rows.objects.filter(**{parent: record})}
    names = label(set(then) | set(now))
    return [
        {"field": name, "before": show(then.get(k)), "after": show(now.get(k))}
        for k, name in names.items()
        if then.get(k) != now.get(k)
    ]


def backdate(record, *, history_at=None, **moments) -> None:
    """Demo data only: say that what an action did just now happened earlier (a PID approved six
    months ago, a pack published the week before its meeting). The action has already checked,
    saved and recorded the change; this moves only the record's own timestamps and, given
    `history_at`, the moment of the history entry that action just wrote (the record's latest),
    so its history, the pack's "Since the last meeting" and the auditor's recent changes say when
    it happened. Call it after each action, in order: history is read newest first."""
    if moments:
        type(record).objects.filter(pk=record.pk).update(**moments)
    for name, value in moments.items():
        setattr(record, name, value)
    if history_at is not None:
        latest = record.history.order_by("-history_date", "-history_id").first()
        if latest is not None:
            type(latest).objects.filter(pk=latest.pk).update(history_date=history_at)


class Keep(enum.Enum):
    """An action's field that was not given: the record keeps its value (an edit of a field or
    two by the application itself; a form always sends every field it shows)."""

    VALUE = enum.auto()


KEEP = Keep.VALUE


def given(**fields) -> dict:
    """The named fields an action was given, leaving out those it was not (`KEEP`)."""
    return {name: value for name, value in fields.items() if value is not KEEP}


def kept(value, current):
    """`value`, or `current` when the action was not given the field (`KEEP`)."""
    return current if value is KEEP else value
