from django.shortcuts import render
from django.views.decorators.http import require_safe

from havering_improve import roles
from themes.selectors import current_programme

from .selectors import baseline_inspection, strands


@require_safe
@roles.programme_reader_required
def evaluation_index(request):
    programme = current_programme()
    return render(
        request,
        "evaluation/index.html",
        {
            "programme": programme,
            "strands": strands(programme),
            "baseline": baseline_inspection(programme),
        },
    )
