"""Who is on a theme's team: practitioners, managers and partner representatives."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from havering_improve import roles
from havering_improve.actions import action

from ..models import TeamMembership, Theme


@action("can_edit_theme", on="theme")
def team_member_add(
    *, theme: Theme, actor, member: AbstractBaseUser, kind: str, organisation: str = ""
) -> TeamMembership:
    """Put `member` on the theme's team (practitioner, manager or partner representative)."""
    if not roles.can_join_theme_team(member):
        raise ValidationError({"member": "Only a person with an account and a role can join"})
    if TeamMembership.objects.filter(theme=theme, user=member).exists():
        raise ValidationError({"member": "That person is already on the team"})
    if kind == TeamMembership.Kind.PARTNER and not organisation.strip():
        raise ValidationError({"organisation": "Say which organisation the partner represents"})
    membership = TeamMembership(theme=theme, user=member, kind=kind, organisation=organisation)
    membership.full_clean()
    membership.save()
    return membership


@action("can_edit_theme", on="membership.theme")
def team_member_remove(*, membership: TeamMembership, actor) -> None:
    membership.delete()
