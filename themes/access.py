from django.shortcuts import get_object_or_404

from havering_improve import roles

from .models import Theme


def get_theme_for_user(user, slug: str, *, edit: bool = False) -> Theme:
    """The theme at `slug` if the user may see it (and edit it, with edit=True).

    404 when there is no such theme; PermissionDenied when the user may not do what is asked.
    """
    from django.core.exceptions import PermissionDenied

    theme = get_object_or_404(Theme.objects.select_related("lead", "programme"), slug=slug)
    if not roles.can_view_programme(user):
        raise PermissionDenied("Your account has no role in the programme yet.")
    if edit and not roles.can_edit_theme(user, theme):
        raise PermissionDenied(
            "Only this theme's project lead or the programme manager can do that."
        )
    return theme
