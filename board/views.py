from django.shortcuts import render

from havering_improve import roles
from themes.selectors import current_programme

from .selectors import boards


@roles.programme_reader_required
def board_index(request):
    programme = current_programme()
    return render(
        request, "board/index.html", {"programme": programme, "boards": boards(programme)}
    )
