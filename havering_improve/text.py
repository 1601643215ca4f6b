"""Text as stored: one kind of line ending. Browsers send textareas with CRLF; stored as LF, a
save that changes nothing else records no change in the history."""

from django.db import models
from django.db.models.signals import pre_save

from havering_improve.apps_list import DATA_APPS

APPS = {*DATA_APPS, "havering_improve"}


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _normalise_line_endings(sender, instance, raw=False, **kwargs):
    if raw or sender._meta.app_label not in APPS:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and "\r" in value:
                setattr(instance, field.attname, normalise(value))


def connect_signals() -> None:
    pre_save.connect(_normalise_line_endings, dispatch_uid="havering_improve_line_endings")
