"""The theme's History tab: every change to its content, newest first, who made it and what
changed. A fixed number of queries (one per kind of record) whatever the theme holds."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, DateField, DateTimeField, FileField, JSONField
from django.utils import formats, timezone

from . import models

_SKIP = {"id", "version", "history_id", "history_date", "history_user", "history_type"}
_ACTIONS = {"+": "Added", "~": "Changed", "-": "Deleted"}


@dataclass
class HistoryEntry:
    when: object
    who: object
    action: str
    kind: str
    label: str
    changes: list = field(default_factory=list)


def _sources(theme):
    yield "Theme", models.Theme.history.filter(id=theme.pk)
    yield "PID", models.PID.history.filter(theme_id=theme.pk)
    yield "approved PID", models.PIDVersion.history.filter(theme_id=theme.pk)
    yield "Milestone", models.Milestone.history.filter(theme_id=theme.pk)
    yield "Measure", models.Measure.history.filter(theme_id=theme.pk)
    # Readings' history has no theme column; the caller passes the theme's measure ids.
    yield "Reading", None
    yield "Risk or issue", models.Risk.history.filter(theme_id=theme.pk)
    yield "Highlight report", models.HighlightReport.history.filter(theme_id=theme.pk)
    yield (
        "Team member",
        models.TeamMembership.history.filter(theme_id=theme.pk).select_related("user"),
    )
    yield "Comment", models.Comment.history.filter(theme_id=theme.pk)
    yield "Evidence", models.Evidence.history.filter(theme_id=theme.pk)


def _value(record, model_field, names):
    """A field's value as a person would write it: names not ids, dates in the house style,
    Yes and No, text with its line endings normalised (a browser's CRLF is no change)."""
    value = getattr(record, model_field.attname)
    if value in (None, ""):
        return "(blank)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return names.get((model_field.related_model, value), "(removed)")
    if isinstance(model_field, BooleanField):
        return "Yes" if value else "No"
    if isinstance(model_field, DateTimeField):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(model_field, DateField):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if model_field.decimal_places == 2 else str(value.normalize())
    if isinstance(model_field, FileField):
        return value.rsplit("/", 1)[-1]
    text = str(value).replace("\r\n", "\n").strip()
    return text if len(text) <= 200 else text[:200] + "…"


def _names(records_by_kind, fields_by_kind) -> dict:
    """What each foreign key in the records points at, one query per related model."""
    wanted = {}
    for kind, records in records_by_kind.items():
        for model_field in fields_by_kind[kind]:
            if model_field.is_relation:
                ids = wanted.setdefault(model_field.related_model, set())
                ids.update(getattr(r, model_field.attname) for r in records)
    names = {}
    User = get_user_model()
    for model, ids in wanted.items():
        ids.discard(None)
        if not ids:
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            name = (obj.get_full_name() or obj.get_username()) if model is User else str(obj)
            names[(model, obj.pk)] = name
    return names


def _label(record, theme, measures) -> str:
    """What the record is, without a query: its theme and measure are already in hand."""
    instance = record.instance
    if isinstance(instance, models.Theme):
        return str(instance)
    if hasattr(instance, "theme_id"):
        instance.theme = theme
    if isinstance(instance, models.TeamMembership):
        user = record.user  # joined in the history query
        name = (user.get_full_name() or user.username) if user else "a former user"
        return f"{name} on {theme}"
    if isinstance(instance, models.MeasureReading):
        measure = measures.get(instance.measure_id)
        if measure is None:
            return f"{instance.value} on {instance.date:%-d %B %Y}"
        instance.measure = measure
    return str(instance)[:120]


def theme_history(theme, limit: int = 150) -> list[HistoryEntry]:
    """The latest `limit` changes to the theme and everything in it."""
    entries = []
    measures = {m.pk: m for m in models.Measure.objects.filter(theme=theme)}
    measure_ids = list(measures)
    loaded = []
    for kind, queryset in _sources(theme):
        if queryset is None:
            queryset = models.MeasureReading.history.filter(measure_id__in=measure_ids)
        records = list(
            queryset.select_related("history_user").order_by("-history_date", "-history_id")[
                : limit * 2
            ]
        )
        # Each record's previous state is the next older record of the same object in the list.
        previous = {}
        for record in reversed(records):
            record.prev = previous.get(record.id)
            previous[record.id] = record
        model = queryset.model.instance_type
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in _SKIP and not isinstance(f, JSONField)
        ]
        loaded.append((kind, records, fields))
    names = _names({k: r for k, r, _ in loaded}, {k: f for k, _, f in loaded})
    for kind, records, fields in loaded:
        for record in records[:limit]:
            changes = []
            if record.history_type == "~" and record.prev is not None:
                for model_field in fields:
                    before = _value(record.prev, model_field, names)
                    after = _value(record, model_field, names)
                    if before != after:
                        changes.append(
                            {
                                "field": _field_label(model_field),
                                "before": before,
                                "after": after,
                            }
                        )
                if not changes:
                    continue  # a save that changed nothing people can see
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=record.history_user,
                    action=_ACTIONS.get(record.history_type, record.history_type),
                    kind=kind if kind.startswith("PID") else kind[:1].lower() + kind[1:],
                    label=_label(record, theme, measures),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _field_label(model_field) -> str:
    label = str(model_field.verbose_name)
    return label[:1].upper() + label[1:]
