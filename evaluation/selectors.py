from django.db.models import Prefetch

from .models import EvaluationStrand, Inspection, Judgement


def strands(programme):
    return EvaluationStrand.objects.filter(programme=programme).order_by("order")


def baseline_inspection(programme) -> Inspection | None:
    judgements = Judgement.objects.select_related("area").order_by("area__order")
    return (
        Inspection.objects.filter(programme=programme, is_baseline=True)
        .prefetch_related(Prefetch("judgements", queryset=judgements))
        .order_by("-start_date")
        .first()
    )
