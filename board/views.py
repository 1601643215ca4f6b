from django.shortcuts import render
from django.views.decorators.http import require_safe

from havering_improve import roles
from themes.selectors import current_programme

from .selectors import boards


@require_safe
@roles.programme_reader_required
def board_index(request):
    programme = current_programme()
    return render(
        request, "board/index.html", {"programme": programme, "boards": boards(programme)}
    )
