"""The theme pages: the programme dashboard, a person's own themes, a theme's page in its
parts (each at its own address, kept until its data changes), comments and evidence, and the
team. Milestones, measures and risks are in `record_views`, the PID in `pid_views`, highlight
reports in `report_views`."""

from django.contrib import messages
from django.core.cache import caches
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST, require_safe

from havering_improve import editing, roles, summaries
from havering_improve.pagination import page_number
from havering_improve.uploads import file_download

from . import selectors
from .access import (
    get_in_theme,
    get_in_theme_for_user,
    get_theme_for_commenter,
    get_theme_for_user,
)
from .actions import discussion, team
from .charts import EAGER_CHARTS, measure_chart_html
from .forms import CommentForm, EvidenceForm, TeamMemberForm
from .history import theme_history
from .models import Evidence, Measure, Milestone, Risk, TeamMembership
from .tabs import registered_tabs


@require_safe
@roles.programme_reader_required
def theme_list(request):
    programme = selectors.kept_programme()

    def grid() -> tuple[int, str]:
        dashboard = selectors.programme_dashboard(programme)
        html = render_to_string("themes/_dashboard_grid.html", {"dashboard": dashboard})
        return len(dashboard["rows"]), html

    # The same for everyone, and worked out from every theme's data: kept until any changes.
    count, html = summaries.cached(
        ("dashboard", programme.pk), grid, areas=[summaries.THEMES, summaries.PROGRAMME]
    )
    return render(
        request,
        "themes/theme_list.html",
        {"programme": programme, "theme_count": count, "grid": html},
    )


@require_safe
@roles.programme_reader_required
def my_theme(request):
    """A lead's own theme (or their list, if they lead several); a member's team theme."""
    themes = list(selectors.themes_led_by(request.user)) or list(
        selectors.themes_of_member(request.user)
    )
    if len(themes) == 1:
        return redirect(themes[0])
    if not themes:
        messages.info(request, "You do not lead a theme or belong to a theme's team.")
    return render(request, "themes/my_themes.html", {"themes": themes})


# A theme's page comes in parts, each at its own address under the theme, so that each loads
# only its own records: key → (label, template, context builder). Apps add parts with
# themes.tabs.register_tab; History comes last.


def _pid_part(request, theme):
    return {
        "pid": selectors.pid_for_reading(theme),
        "pid_versions": list(theme.pid_versions.select_related("approved_by")),
        "memberships": theme.memberships.select_related("user").order_by(
            "organisation", "kind", "user__last_name"
        ),
        "measure_count": theme.measures.count(),
        "milestone_count": theme.milestones.count(),
        "risk_count": theme.risks.count(),
    }


def _milestones_part(request, theme):
    milestones = list(selectors.milestones_for_theme(theme))
    today = selectors.today()
    for milestone in milestones:
        milestone.theme = theme  # for its URL, without a query each
        milestone.overdue = milestone.is_overdue(today)
    return {"milestones": milestones}


def _render_card(measure, *, lazy: bool) -> str:
    measure.chart = measure_chart_html(measure, measure.reading_list, lazy=lazy)
    measure.recent_readings = measure.reading_list[-RECENT_READINGS:]
    context = {"measure": measure, "recent": RECENT_READINGS}
    return render_to_string("themes/_measure_card.html", context)


def _measure_cards(theme) -> str:
    """Each measure's card (its chart, status and latest readings) is kept until that measure
    or its readings change, so a new reading redraws one chart, not the theme's ten. A card
    holds its chart's address, not the chart: the browser fetches and keeps each chart."""
    ids = list(theme.measures.order_by("order", "pk").values_list("pk", flat=True))
    lazy = {pk: n >= EAGER_CHARTS for n, pk in enumerate(ids)}
    cache = caches["summaries"]
    keys = {
        pk: summaries.versioned_key(("measure-card", pk, lazy[pk]), areas=_card_areas(pk))
        for pk in ids
    }
    cards = cache.get_many(list(keys.values()))
    missing = [pk for pk in ids if keys[pk] not in cards]
    if missing:
        fresh = selectors.measures_for_theme(theme, only=missing)
        made = {keys[m.pk]: _render_card(m, lazy=lazy[m.pk]) for m in fresh}
        cache.set_many(made, summaries.TIMEOUT)
        cards.update(made)
    return render_to_string(
        "themes/_measure_cards.html", {"cards": [cards[keys[pk]] for pk in ids]}
    )


def _card_areas(measure_id) -> tuple[str, ...]:
    # The measure and its readings; the theme's address (its slug) is the programme's.
    return (summaries.measure_area(measure_id), summaries.PROGRAMME)


RECENT_READINGS = 12


def _measures_part(request, theme):
    # The charts are the costly part, and the same for everyone: kept until the data changes.
    return {
        "measure_cards": summaries.cached(
            ("theme-measures", theme.pk),
            lambda: _measure_cards(theme),
            areas=[summaries.theme_area(theme.pk)],
        )
    }


def _risks_part(request, theme):
    risks = sorted(
        Risk.objects.filter(theme=theme),
        key=lambda r: (r.status != Risk.Status.OPEN, not r.escalated, -r.score, r.pk),
    )
    return {"risks": risks}


def _reports_part(request, theme):
    return {"reports": list(selectors.reports_for_theme(theme))}


def _discussion_part(request, theme):
    return {
        "comments": theme.comments.filter(milestone=None, measure=None).select_related("author"),
        "evidence": theme.evidence.filter(milestone=None, measure=None).select_related(
            "uploaded_by"
        ),
        "comment_form": CommentForm(),
    }


HISTORY_PAGE = 50


def _history_part(request, theme):
    """Fifty changes a page, newest first; each page reads only as far back as it shows."""
    page = page_number(request)
    entries = theme_history(theme, limit=page * HISTORY_PAGE + 1)
    if page > 1 and len(entries) <= (page - 1) * HISTORY_PAGE:
        raise Http404("There is no such page.")
    return {
        "history": entries[(page - 1) * HISTORY_PAGE : page * HISTORY_PAGE],
        "history_page": page,
        "history_has_older": len(entries) > page * HISTORY_PAGE,
    }


_OWN_PARTS = {
    "pid": ("PID", "themes/_tab_pid.html", _pid_part),
    "milestones": ("Milestones", "themes/_tab_milestones.html", _milestones_part),
    "measures": ("Measures", "themes/_tab_measures.html", _measures_part),
    "risks": ("Risks", "themes/_tab_risks.html", _risks_part),
    "reports": ("Reports", "themes/_tab_reports.html", _reports_part),
    "discussion": ("Comments and evidence", "themes/_tab_discussion.html", _discussion_part),
}
_HISTORY = ("History", "themes/_tab_history.html", _history_part)
_LIVE_PARTS = {"discussion"}  # its comment form carries the viewer's own CSRF token


def theme_parts() -> dict[str, tuple]:
    parts = dict(_OWN_PARTS)
    for tab in registered_tabs():
        parts[tab.key] = (tab.label, tab.template, tab.context)
    parts["history"] = _HISTORY
    return parts


@require_safe
@roles.programme_reader_required
def theme_detail(request, slug, section="pid"):
    theme = get_theme_for_user(request.user, slug, kept=True)
    parts = theme_parts()
    if section not in parts:
        raise Http404("This theme has no such part.")
    label, template, build = parts[section]
    permissions = {
        "can_edit": roles.can_edit_theme(request.user, theme),
        "can_comment": roles.can_comment_on_theme(request.user, theme),
        "can_approve": roles.can_approve_pid(request.user),
    }

    def body(with_request=None):
        return render_to_string(
            "themes/_theme_body.html",
            {
                "theme": theme,
                "section": section,
                "section_template": template,
                "sections": [
                    {"key": key, "label": part[0], "url": theme.part_url(key)}
                    for key, part in parts.items()
                ],
                "latest_submitted": selectors.latest_submitted_report(theme),
                "overdue_count": selectors.overdue_milestones(theme=theme).count(),
                **permissions,
                **build(request, theme),
            },
            request=with_request,
        )

    if section in _LIVE_PARTS:
        html = body(with_request=request)
    else:  # the same for everyone with the same permissions: kept until the data changes
        key = ("theme-page", theme.pk, section, request.GET.urlencode(), *permissions.values())
        areas = [summaries.theme_area(theme.pk)]
        if section not in _OWN_PARTS and section != "history":
            areas += [summaries.BUDGET, summaries.EVALUATION, summaries.BOARD]  # other apps' parts
        html = summaries.cached(key, body, areas=areas)
    context = {"theme": theme, "section": section, "section_label": label, "body": html}
    return render(request, "themes/theme_detail.html", context)


# Comments and evidence -------------------------------------------------------------------------


def _target(request, theme):
    """The milestone or measure a comment or file is about (from ?milestone= / ?measure=)."""
    source = request.POST if request.method == "POST" else request.GET
    milestone = measure = None
    if source.get("milestone"):
        milestone = get_in_theme(Milestone, theme, _int(source["milestone"]))
    elif source.get("measure"):
        measure = get_in_theme(Measure, theme, _int(source["measure"]))
    return milestone, measure


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such record") from None


def _target_url(theme, milestone, measure, anchor):
    if milestone is not None:
        return f"{milestone.get_absolute_url()}#{anchor}"
    if measure is not None:
        return f"{measure.get_absolute_url()}#{anchor}"
    return theme.part_url("discussion")


def _add_to_discussion(request, slug, page, form_class, add, *, anchor, **options):
    """A comment or a file, added by the theme's team to its discussion or to one of its
    milestones or measures (`_target`): `page` is `editing.form_action` or `editing.edit_page`;
    on POST `add(form, theme=…, actor=…, milestone=…, measure=…)`, then back to what it is
    about, at its `anchor`. `options`: the `template` and the `success` message."""
    theme = get_theme_for_commenter(request.user, slug)
    milestone, measure = _target(request, theme)
    about = {"theme": theme, "milestone": milestone, "measure": measure}
    return page(
        request,
        form_class(editing.posted(request), request.FILES or None),
        lambda form: add(form, actor=request.user, **about),
        done=_target_url(theme, milestone, measure, anchor),
        context=about,
        **options,
    )


@require_POST
@roles.programme_reader_required
def comment_add(request, slug):
    return _add_to_discussion(
        request,
        slug,
        editing.form_action,
        CommentForm,
        lambda form, **about: discussion.comment_add(body=form.cleaned_data["body"], **about),
        anchor="comments",
        success="Your comment was added.",
        template="themes/comment_form.html",
    )


@roles.programme_reader_required
def evidence_add(request, slug):
    return _add_to_discussion(
        request,
        slug,
        editing.edit_page,
        EvidenceForm,
        lambda form, **about: discussion.evidence_add(
            title=form.cleaned_data["title"], upload=form.cleaned_data["file"], **about
        ),
        anchor="evidence",
        success="The file was added as evidence.",
        template="themes/evidence_form.html",
    )


@require_safe
@roles.programme_reader_required
def evidence_download(request, slug, pk):
    theme, evidence = get_in_theme_for_user(request.user, slug, Evidence, pk)
    # Always a download, under its name with the extension and type of what it is.
    return file_download(evidence.file, name=evidence.original_name, kind=evidence.kind)


# Team ------------------------------------------------------------------------------------------


@roles.programme_reader_required
def team_add(request, slug):
    theme = get_theme_for_user(request.user, slug, edit=True)
    return editing.edit_page(
        request,
        TeamMemberForm(editing.posted(request), theme=theme),
        lambda form: team.team_member_add(
            theme=theme,
            actor=request.user,
            member=form.cleaned_data["member"],
            kind=form.cleaned_data["kind"],
            organisation=form.cleaned_data["organisation"],
        ),
        done=theme.part_url("pid"),
        success=lambda membership: f"{_name(membership.user)} is now on the team.",
        template="themes/team_add.html",
        context={"theme": theme, "title": "Add a team member"},
    )


def _name(user) -> str:
    return user.get_full_name() or user.username


@roles.programme_reader_required
def team_remove(request, slug, pk):
    theme = get_theme_for_user(request.user, slug, edit=True)
    membership = get_object_or_404(
        TeamMembership.objects.select_related("user"), pk=pk, theme=theme
    )
    membership.theme = theme
    if request.method == "POST":
        team.team_member_remove(membership=membership, actor=request.user)
        messages.success(request, f"{_name(membership.user)} was removed from the team.")
        return redirect(theme.part_url("pid"))
    return render(request, "themes/team_remove.html", {"theme": theme, "membership": membership})
