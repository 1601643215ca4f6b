"""The "Evaluation evidence" tab on a theme's page: the activities, findings and audit results
touching the theme (the same as its page under /evaluation/themes/)."""

from themes.tabs import register_tab

from .views import theme_evidence_context

register_tab(
    key="evaluation-evidence",
    label="Evaluation evidence",
    template="evaluation/_theme_evidence_tab.html",
    context=theme_evidence_context,
    order=70,
)
