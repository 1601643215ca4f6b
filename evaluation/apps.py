from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "Evaluation"

    def ready(self):
        from themes.tabs import register_tab

        from .views import theme_evidence_context

        register_tab(
            key="evaluation-evidence",
            label="Evaluation evidence",
            template="evaluation/_theme_evidence_tab.html",
            context=theme_evidence_context,
            order=70,
        )
