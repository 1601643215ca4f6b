from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    """The code that joins the programme's apps: loading a programme file, the demo, the scale
    data, each person's home and the page about the programme. It reads (and, loading, writes
    through) every app; nothing imports it but the site's addresses and settings."""

    name = "portfolio"
    verbose_name = "Portfolio"
