"""Roles and the object-level rules that go with them — the one place that says who may do what.

Roles are Django groups (a user may hold several). Model permissions on the groups drive the
admin; the object rules below ("is this user the lead of this theme?") drive every view.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied

from havering_improve.apps_list import DATA_APPS

PROGRAMME_MANAGER = "Programme manager"
PROJECT_LEAD = "Project lead"
TEAM_MEMBER = "Theme team member"
BOARD_MEMBER = "Board member"
FINANCE_OFFICER = "Finance officer"
AUDITOR = "Auditor"

ALL_ROLES = [PROGRAMME_MANAGER, PROJECT_LEAD, TEAM_MEMBER, BOARD_MEMBER, FINANCE_OFFICER, AUDITOR]

BUDGET_APPS = ["budget"]

# Model permissions per role, as (app labels, actions). These drive the admin only; views use
# the object rules further down, which are stricter (a lead edits *their* theme, not all).
ROLE_MODEL_PERMISSIONS: dict[str, list[tuple[list[str], list[str]]]] = {
    PROGRAMME_MANAGER: [
        (list(DATA_APPS), ["view", "add", "change", "delete"]),
        (["auth"], ["view", "add", "change"]),
    ],
    FINANCE_OFFICER: [(BUDGET_APPS, ["view", "add", "change"])],
    AUDITOR: [([*DATA_APPS, "auth"], ["view"])],
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
    """What lies behind the budget's figures: ledger rows (the page, its filters and its CSV and
    XLSX downloads), imports, the allocation queue, the matching rules and each post's cost. A
    payroll row, or a post with one holder, is a person's pay, so these are for those who keep
    the budget (the programme manager and finance officers) and the auditor. Everyone else with
    a role reads line totals: the monitoring report, spend by theme, a line's page without its
    posts' costs, a theme's Cost part and the board pack's budget summary."""
    return has_role(user, PROGRAMME_MANAGER, FINANCE_OFFICER, AUDITOR)


def is_theme_lead(user, theme) -> bool:
    return user.is_authenticated and theme.lead_id == user.pk and has_role(user, PROJECT_LEAD)


def is_theme_member(user, theme) -> bool:
    if not user.is_authenticated:
        return False
    return theme.memberships.filter(user_id=user.pk).exists()


def can_edit_theme(user, theme) -> bool:
    return is_programme_manager(user) or is_theme_lead(user, theme)


def can_comment_on_theme(user, theme) -> bool:
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


def can_add_finding(user) -> bool:
    return can_edit_evaluation(user) or has_role(user, PROJECT_LEAD)


def can_edit_finding_record(user, finding) -> bool:
    """`can_edit_finding` for a finding object (its themes prefetched or not)."""
    return can_edit_finding(user, finding.themes.all())


def can_manage_board(user) -> bool:
    """Calendars, rotas, packs, minutes and report schedules belong to the programme manager."""
    return is_programme_manager(user)


def can_read_packs(user) -> bool:
    """Packs, minutes and the actions log are for the board (and the auditor reads everything)."""
    return has_role(user, PROGRAMME_MANAGER, BOARD_MEMBER, AUDITOR)


def can_read_pack(user, pack) -> bool:
    """A pack: those who read packs (drafts are the programme manager's, by the access rule),
    and the lead of a theme in focus at its meeting, who presents it, once it is published."""
    if can_read_packs(user):
        return True
    return (
        pack.is_published
        and has_role(user, PROJECT_LEAD)
        and pack.meeting.slots.filter(theme__lead_id=user.pk).exists()
    )


def can_read_reports(user) -> bool:
    """Progress reports sent to the reporting bodies, and the rota's history."""
    return has_role(user, PROGRAMME_MANAGER, AUDITOR)


def can_update_action(user, action) -> bool:
    return can_manage_board(user) or (user.is_authenticated and action.owner_id == user.pk)


def system(user=None, obj=None) -> bool:
    """Work the application does for itself (a task, a beat job): no person to ask about."""
    return True


# What a person is told when a rule says no: one sentence per rule, used by every view and action.
REFUSALS = {
    "can_view_programme": "Your account has no role in the programme yet.",
    "can_edit_theme": "Only this theme's project lead or the programme manager can do that.",
    "can_comment_on_theme": "Only this theme's team can comment on it or add evidence.",
    "can_approve_pid": "Only the programme manager approves or returns a PID.",
    "can_edit_budget": "Only finance officers and the programme manager change the budget.",
    "can_read_budget_records": (
        "Only finance officers, the programme manager and auditors see this."
    ),
    "is_programme_manager": "Only the programme manager can do that.",
    "can_edit_evaluation": (
        "Only the programme manager can change the evaluation plan and its results."
    ),
    "can_add_finding": "Only the programme manager or a project lead can add a finding.",
    "can_edit_finding_record": (
        "Only the programme manager or the lead of a theme this finding concerns can change it."
    ),
    "can_manage_board": "Only the programme manager can do that.",
    "can_read_packs": "Meeting packs are for board members and the programme manager.",
    "can_read_pack": (
        "Meeting packs are for board members, the programme manager and, once published, "
        "the leads of the themes in focus."
    ),
    "can_read_reports": (
        "Progress reports and the rota's history are for the programme manager and the auditor."
    ),
    "can_update_action": "Only the action's owner or the programme manager can update it.",
}


def require(rule: str, user, *objects) -> None:
    """Ask the rule named `rule` about `user` (and the object it concerns); PermissionDenied,
    with the rule's sentence, when it says no. Anyone without a role is refused first."""
    if rule == "system":
        return
    if not can_view_programme(user):
        raise PermissionDenied(REFUSALS["can_view_programme"])
    if not globals()[rule](user, *objects):
        raise PermissionDenied(REFUSALS[rule])


def programme_reader_required(view):
    """Signed-in users holding any role; others get the 403 page (anonymous: the login page)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_view_programme(request.user):
            raise PermissionDenied("Your account has no role in the programme yet.")
        return view(request, *args, **kwargs)

    return wrapper


def can_join_theme_team(person) -> bool:
    """Who may be put on a theme's team: an active account that holds a role (the team form
    offers only them; the action asks this too)."""
    return person.is_active and person.groups.exists()


# Evaluation: the themes a person may put a finding on, and take a finding onto ----------------


def finding_themes_problem(user, themes, before=()) -> str:
    """Why `user` may not give a finding these `themes` (it had `before`), or "" if they may.
    The programme manager chooses any; a project lead answers for the themes they lead, so they
    choose at least one of those, and leave on it every theme another lead leads (only that
    lead or the programme manager takes it off)."""
    if is_programme_manager(user):
        return ""
    if not any(t.lead_id == user.pk for t in themes):
        return "Select at least one theme you lead."
    chosen = {t.pk for t in themes}
    kept = [t for t in before if t.lead_id != user.pk and t.pk not in chosen]
    if kept:
        names = ", ".join(t.title for t in kept)
        return (
            f"Keep {names}: only that theme's lead or the programme manager can take it off "
            "this finding."
        )
    return ""


def can_set_finding_themes(user, themes, before=()) -> bool:
    return has_role(user, PROGRAMME_MANAGER, PROJECT_LEAD) and not finding_themes_problem(
        user, themes, before
    )


def can_take_finding_onto_theme(user, theme) -> bool:
    """A finding's accepted response becomes a milestone or a risk only on a theme the person
    changes: the programme manager's, or the one its lead leads."""
    return can_edit_theme(user, theme)


# The self-evaluation ------------------------------------------------------------------------


def holds_sign_off(user, programme) -> bool:
    """The "Sign-off" permission the programme manager grants (typically to the DCS)."""
    return user.is_authenticated and programme.sign_offs.filter(user_id=user.pk).exists()


def can_edit_self_evaluation(user, self_evaluation=None) -> bool:
    """Only the programme manager writes the self-evaluation and grants the Sign-off permission."""
    return is_programme_manager(user)


def can_sign_off_self_evaluation(user, self_evaluation) -> bool:
    """The named reviewer, while they hold the Sign-off permission, and no one else."""
    return self_evaluation.reviewer_id == user.pk and holds_sign_off(
        user, self_evaluation.programme
    )


def can_read_self_evaluation(user, self_evaluation) -> bool:
    """The whole of it: the programme manager and its reviewer at any stage; board members and
    the auditor once it is signed off."""
    if is_programme_manager(user) or self_evaluation.reviewer_id == user.pk:
        return True
    return self_evaluation.status == "signed_off" and has_role(user, BOARD_MEMBER, AUDITOR)


def can_read_self_evaluation_version(user, version) -> bool:
    """A frozen version: as the whole, but board members and the auditor read signed-off ones."""
    evaluation = version.self_evaluation
    if is_programme_manager(user) or evaluation.reviewer_id == user.pk:
        return True
    return version.kind == "signed_off" and has_role(user, BOARD_MEMBER, AUDITOR)


def can_read_self_evaluation_section(user, section) -> bool:
    """A section: whoever reads the whole, and a project lead the section of a judgement area
    one of their themes answers."""
    if can_read_self_evaluation(user, section.self_evaluation):
        return True
    if section.area_id is None or not has_role(user, PROJECT_LEAD):
        return False
    return section.area.themes.filter(lead_id=user.pk).exists()


def can_read_engagement(user) -> bool:
    """The annual engagement meeting and Ofsted's letter after it (never published)."""
    return has_role(user, PROGRAMME_MANAGER, BOARD_MEMBER, AUDITOR)


def can_update_engagement_action(user, engagement_action) -> bool:
    return is_programme_manager(user) or (
        user.is_authenticated and engagement_action.owner_id == user.pk
    )


REFUSALS.update(
    {
        "can_set_finding_themes": (
            "A project lead records findings on the themes they lead, and only a theme's lead "
            "or the programme manager takes that theme off a finding."
        ),
        "can_take_finding_onto_theme": (
            "Only the programme manager or the theme's lead can add a finding to that theme's "
            "milestones or risk log."
        ),
        "can_edit_self_evaluation": "Only the programme manager writes the self-evaluation.",
        "can_sign_off_self_evaluation": (
            "Only the senior officer named to sign off this self-evaluation, holding the "
            "Sign-off permission, can do that."
        ),
        "can_read_self_evaluation": (
            "The self-evaluation is read by the programme manager and its reviewer; board "
            "members and the auditor read it once it is signed off."
        ),
        "can_read_self_evaluation_version": (
            "Board members and the auditor read signed-off versions of the self-evaluation."
        ),
        "can_read_self_evaluation_section": (
            "Project leads read the self-evaluation's sections for their own themes."
        ),
        "can_read_engagement": (
            "The annual engagement meeting is for the programme manager, board members and "
            "the auditor."
        ),
        "can_update_engagement_action": (
            "Only the action's owner or the programme manager can update it."
        ),
    }
)
