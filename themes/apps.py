from django.apps import AppConfig

from .tabs import autodiscover


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "Themes"

    def ready(self):
        autodiscover()
