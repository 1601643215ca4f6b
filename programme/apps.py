from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    """The programme itself: the model every app's records belong to. It imports only the core;
    every app may import it."""

    name = "programme"
    verbose_name = "Programme"
