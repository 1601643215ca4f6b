from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = "Improvement Board"

    def ready(self):
        from themes.tabs import register_tab

        from .tabs import theme_rota_context

        register_tab(
            key="board",
            label="Board rota",
            template="board/theme_tab.html",
            context=theme_rota_context,
            order=80,
        )
