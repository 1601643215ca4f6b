"""Roles and the object-level rules that go with them — the one place that says who may do what.

Roles are Django groups (a user may hold several). Model permissions on the groups drive the
admin; the object rules below ("is this user the lead of this theme?") drive every view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission

if TYPE_CHECKING:  # pragma: no cover
    from themes.models import Theme

PROGRAMME_MANAGER = "Programme manager"
PROJECT_LEAD = "Project lead"
TEAM_MEMBER = "Theme team member"
BOARD_MEMBER = "Board member"
FINANCE_OFFICER = "Finance officer"
AUDITOR = "Auditor"

ALL_ROLES = [PROGRAMME_MANAGER, PROJECT_LEAD, TEAM_MEMBER, BOARD_MEMBER, FINANCE_OFFICER, AUDITOR]

PROGRAMME_APPS = ["themes", "budget", "evaluation", "board"]
BUDGET_APPS = ["budget"]

# Model permissions per role, as (app labels, actions). These drive the admin only; views use
# the object rules further down, which are stricter (a lead edits *their* theme, not all).
ROLE_MODEL_PERMISSIONS: dict[str, list[tuple[list[str], list[str]]]] = {
    PROGRAMME_MANAGER: [
        (PROGRAMME_APPS, ["view", "add", "change", "delete"]),
        (["auth"], ["view", "add", "change"]),
    ],
    FINANCE_OFFICER: [(BUDGET_APPS, ["view", "add", "change"])],
    AUDITOR: [(PROGRAMME_APPS + ["auth"], ["view"])],
    PROJECT_LEAD: [],
    TEAM_MEMBER: [],
    BOARD_MEMBER: [],
}


def sync_role_groups() -> dict[str, Group]:
    """Create the role groups and give them their model permissions. Safe to run repeatedly."""
    groups = {}
    for role in ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = Permission.objects.none()
        for app_labels, actions in ROLE_MODEL_PERMISSIONS[role]:
            wanted = wanted | Permission.objects.filter(
                content_type__app_label__in=app_labels,
                codename__regex=r"^(" + "|".join(actions) + r")_",
            )
        wanted_ids = set(wanted.values_list("id", flat=True))
        current_ids = set(group.permissions.values_list("id", flat=True))
        if wanted_ids != current_ids:
            group.permissions.set(wanted_ids)
        groups[role] = group
    return groups


def role_names(user) -> list[str]:
    """The user's role names, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_role_names_cache", None)
    if cached is None:
        cached = sorted(user.groups.values_list("name", flat=True))
        if user.is_superuser and PROGRAMME_MANAGER not in cached:
            cached = sorted([*cached, PROGRAMME_MANAGER])
        user._role_names_cache = cached
    return cached


def has_role(user, *roles: str) -> bool:
    names = role_names(user)
    return any(role in names for role in roles)


def is_programme_manager(user) -> bool:
    return has_role(user, PROGRAMME_MANAGER)


def can_view_programme(user) -> bool:
    """Anyone holding a role reads the programme; a signed-in user with no role does not."""
    return bool(role_names(user))


def can_edit_budget(user) -> bool:
    return has_role(user, PROGRAMME_MANAGER, FINANCE_OFFICER)


def can_read_budget_records(user) -> bool:
    """Ledger imports, the allocation queue and the rules: those who keep the budget, and audit."""
    return has_role(user, PROGRAMME_MANAGER, FINANCE_OFFICER, AUDITOR)


def is_theme_lead(user, theme: Theme) -> bool:
    return user.is_authenticated and theme.lead_id == user.pk and has_role(user, PROJECT_LEAD)


def is_theme_member(user, theme: Theme) -> bool:
    if not user.is_authenticated:
        return False
    return theme.memberships.filter(user_id=user.pk).exists()


def can_edit_theme(user, theme: Theme) -> bool:
    return is_programme_manager(user) or is_theme_lead(user, theme)


def can_comment_on_theme(user, theme: Theme) -> bool:
    return can_edit_theme(user, theme) or is_theme_member(user, theme)


def can_edit_evaluation(user) -> bool:
    """Plan evaluation activities, record their results, inspections and recommendations."""
    return is_programme_manager(user)


def can_edit_finding(user, themes) -> bool:
    """A finding (and its response) is the programme manager's, or the lead's of any theme it
    concerns. `themes` is the finding's themes (pass the prefetched list)."""
    if is_programme_manager(user):
        return True
    return has_role(user, PROJECT_LEAD) and any(t.lead_id == user.pk for t in themes)


def can_approve_pid(user) -> bool:
    return is_programme_manager(user)


def programme_reader_required(view):
    """Signed-in users holding any role; others get the 403 page (anonymous: the login page)."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.core.exceptions import PermissionDenied

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_view_programme(request.user):
            raise PermissionDenied("Your account has no role in the programme yet.")
        return view(request, *args, **kwargs)

    return wrapper
