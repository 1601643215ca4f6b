from django.shortcuts import render
from django.views.decorators.http import require_safe

from havering_improve import roles

from .access import get_theme_for_user
from .selectors import current_programme, themes_with_leads


@require_safe
@roles.programme_reader_required
def theme_list(request):
    programme = current_programme()
    return render(
        request,
        "themes/theme_list.html",
        {"programme": programme, "themes": themes_with_leads(programme)},
    )


@require_safe
@roles.programme_reader_required
def theme_detail(request, slug):
    theme = get_theme_for_user(request.user, slug)
    return render(
        request,
        "themes/theme_detail.html",
        {
            "theme": theme,
            "memberships": theme.memberships.select_related("user"),
            "can_edit": roles.can_edit_theme(request.user, theme),
        },
    )
