from django.shortcuts import get_object_or_404

from havering_improve import roles, summaries

from .models import Theme


def get_theme_for_user(user, slug: str, *, edit: bool = False, kept: bool = False) -> Theme:
    """The theme at `slug` if the user may see it (and edit it, with edit=True).

    404 when there is no such theme; PermissionDenied when the user may not do what is asked.
    `kept`: for a page that only reads it, the theme may come from the summaries cache (never
    older than the data); code that changes things reads it afresh.
    """

    def load():
        return get_object_or_404(Theme.objects.select_related("lead", "programme"), slug=slug)

    # The theme itself and its lead: what a change to the theme row (or to users) changes.
    theme = summaries.cached(("theme", slug), load, areas=[summaries.PROGRAMME]) if kept else load()
    if edit:
        roles.require("can_edit_theme", user, theme)
    else:
        roles.require("can_view_programme", user)
    return theme


def get_theme_for_commenter(user, slug: str) -> Theme:
    """The theme if the user may comment on it and add evidence (its team, its lead, the
    programme manager); 404 / PermissionDenied otherwise."""
    theme = get_theme_for_user(user, slug)
    roles.require("can_comment_on_theme", user, theme)
    return theme


def get_in_theme_for_user(user, slug: str, model, pk: int, *, edit: bool = False):
    """The theme at `slug` and its `model` object `pk`, if the user may see them (and edit them,
    with edit=True): `get_theme_for_user`, then `get_in_theme`."""
    theme = get_theme_for_user(user, slug, edit=edit)
    return theme, get_in_theme(model, theme, pk)


def get_in_theme(model, theme: Theme, pk: int, **extra):
    """An object of `model` that belongs to `theme`; 404 if it belongs to another one, so a
    lead cannot reach another theme's records by changing the number in the address."""
    obj = get_object_or_404(model, pk=pk, theme=theme, **extra)
    obj.theme = theme  # already loaded with its lead; saves a query per use
    return obj
