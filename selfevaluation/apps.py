from django.apps import AppConfig


class SelfEvaluationConfig(AppConfig):
    name = "selfevaluation"
    verbose_name = "Self-evaluation"
