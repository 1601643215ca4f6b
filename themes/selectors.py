from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404

from .models import Programme, TeamMembership, Theme


def current_programme() -> Programme:
    """The programme this deployment runs: PROGRAMME_SLUG if set, else the first one."""
    slug = getattr(settings, "PROGRAMME_SLUG", None)
    queryset = Programme.objects.all()
    programme = queryset.filter(slug=slug).first() if slug else queryset.order_by("pk").first()
    if programme is None:
        raise Http404("No programme has been loaded yet. Run `manage.py load_programme`.")
    return programme


def themes_with_leads(programme: Programme):
    return (
        Theme.objects.filter(programme=programme)
        .select_related("lead")
        .prefetch_related(
            Prefetch("memberships", queryset=TeamMembership.objects.select_related("user"))
        )
        .order_by("number")
    )
