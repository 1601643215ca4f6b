from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    """The code that joins the four apps: loading a programme file, the demo, the scale data,
    each person's home and the page about the programme. It reads (and, loading, writes through)
    every app; no app and nothing in havering_improve imports it."""

    name = "programme"
    verbose_name = "Programme"
