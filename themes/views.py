import difflib

from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from havering_improve import editing, roles, summaries
from havering_improve.errors import AlreadyDone
from havering_improve.forms import StateChangeForm, add_service_errors
from havering_improve.pagination import page_number, page_or_404

from . import selectors, services
from .access import get_in_theme, get_theme_for_commenter, get_theme_for_user
from .charts import measure_chart_html, measure_chart_summary
from .forms import (
    CommentForm,
    CorrectionForm,
    EvidenceForm,
    HighlightReportForm,
    MeasureForm,
    MilestoneForm,
    PIDForm,
    PIDReviewForm,
    ReadingForm,
    ReportStartForm,
    RiskForm,
    TeamMemberForm,
)
from .history import theme_history
from .models import (
    PID,
    Evidence,
    HighlightReport,
    Measure,
    Milestone,
    PIDVersion,
    Risk,
    TeamMembership,
)
from .tabs import registered_tabs


def _tab_url(theme, tab: str) -> str:
    """The address of one part of a theme's page (its PID is the page itself)."""
    if tab == "pid":
        return theme.get_absolute_url()
    return reverse("themes:section", args=[theme.slug, tab])


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


def _render_cards(theme, measures) -> list[str]:
    for measure in measures:
        measure.chart = measure_chart_html(measure, measure.reading_list)
        measure.recent_readings = measure.reading_list[-RECENT_READINGS:]
    return [
        render_to_string("themes/_measure_card.html", {"measure": m, "recent": RECENT_READINGS})
        for m in measures
    ]


def _measure_cards(theme) -> str:
    """Each measure's card (its chart, status and latest readings) is kept until that measure
    or its readings change, so a new reading redraws one chart, not the theme's ten."""
    ids = list(theme.measures.order_by("order", "pk").values_list("pk", flat=True))
    cache = caches["summaries"]
    keys = {pk: summaries.versioned_key(("measure-card", pk), areas=_card_areas(pk)) for pk in ids}
    cards = cache.get_many(list(keys.values()))
    missing = [pk for pk in ids if keys[pk] not in cards]
    if missing:
        fresh = _render_cards(theme, selectors.measures_for_theme(theme, only=missing))
        made = {keys[pk]: card for pk, card in zip(missing, fresh, strict=True)}
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
                    {"key": key, "label": part[0], "url": _tab_url(theme, key)}
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


# Editing helpers -------------------------------------------------------------------------------


# Milestones, measures and risks: one add/edit page each, built the same way ------------------


# (form, create service, update service, template, titles for add and edit, tab to return to)
RECORD_FORMS = {
    "milestone": (
        MilestoneForm,
        services.milestone_create,
        services.milestone_update,
        "themes/milestone_form.html",
        ("Add a milestone", "Edit milestone"),
        "milestones",
    ),
    "measure": (
        MeasureForm,
        services.measure_create,
        services.measure_update,
        "themes/measure_form.html",
        ("Add a measure", "Edit measure"),
        "measures",
    ),
    "risk": (
        RiskForm,
        services.risk_create,
        services.risk_update,
        "themes/risk_form.html",
        ("Add a risk or issue", "Edit risk or issue"),
        "risks",
    ),
}


def _record_form_page(request, theme, kind: str, record=None):
    """Add or edit one of a theme's milestones, measures or risks (optimistic concurrency)."""
    form_class, create, update, template, titles, tab = RECORD_FORMS[kind]
    form = form_class(request.POST or None, instance=record)
    context = {kind: record, "title": titles[record is not None]}
    if request.method != "POST":
        return render(request, template, {**context, "theme": theme, "form": form})

    def save(form):
        if record is None:
            return create(theme=theme, actor=request.user, data=form.content())
        return update(
            **{kind: record},
            actor=request.user,
            version=form.cleaned_data["version"],
            data=form.content(),
        )

    return editing.form_action(
        request,
        form,
        save,
        done=_tab_url(theme, tab),
        template=template,
        context={**context, "theme": theme},
    )


@roles.programme_reader_required
def milestone_add(request, slug):
    theme = get_theme_for_user(request.user, slug, edit=True)
    return _record_form_page(request, theme, "milestone")


@roles.programme_reader_required
def milestone_edit(request, slug, pk):
    theme = get_theme_for_user(request.user, slug, edit=True)
    return _record_form_page(request, theme, "milestone", get_in_theme(Milestone, theme, pk))


@require_safe
@roles.programme_reader_required
def milestone_detail(request, slug, pk):
    theme = get_theme_for_user(request.user, slug)
    milestone = get_in_theme(Milestone, theme, pk)
    milestone.overdue = milestone.is_overdue()
    return render(
        request,
        "themes/milestone_detail.html",
        {
            "theme": theme,
            "milestone": milestone,
            "comments": milestone.comments.select_related("author"),
            "evidence": milestone.evidence.select_related("uploaded_by"),
            "comment_form": CommentForm(),
            "can_edit": roles.can_edit_theme(request.user, theme),
            "can_comment": roles.can_comment_on_theme(request.user, theme),
        },
    )


# Measures --------------------------------------------------------------------------------------


@roles.programme_reader_required
def measure_add(request, slug):
    theme = get_theme_for_user(request.user, slug, edit=True)
    return _record_form_page(request, theme, "measure")


@roles.programme_reader_required
def measure_edit(request, slug, pk):
    theme = get_theme_for_user(request.user, slug, edit=True)
    return _record_form_page(request, theme, "measure", get_in_theme(Measure, theme, pk))


READINGS_PAGE = 52  # a year of weekly readings


@require_safe
@roles.programme_reader_required
def measure_detail(request, slug, pk):
    theme = get_theme_for_user(request.user, slug)
    measure = get_object_or_404(selectors.measures_with_latest(), pk=pk, theme=theme)
    measure.theme = theme

    def chart():
        readings = list(measure.readings.order_by("date", "pk"))
        return measure_chart_html(measure, readings), measure_chart_summary(measure, readings)

    chart_html, chart_summary = summaries.cached(
        ("measure-chart", measure.pk), chart, areas=[summaries.measure_area(measure.pk)]
    )
    readings = measure.readings.select_related("recorded_by").order_by("-date", "-pk")
    page = page_or_404(readings, READINGS_PAGE, request)
    return render(
        request,
        "themes/measure_detail.html",
        {
            "theme": theme,
            "measure": measure,
            "status": selectors.measure_status(measure),
            "readings": page.object_list,
            "page": page,
            "chart": chart_html,
            "chart_summary": chart_summary,
            "comments": measure.comments.select_related("author"),
            "evidence": measure.evidence.select_related("uploaded_by"),
            "comment_form": CommentForm(),
            "can_edit": roles.can_edit_theme(request.user, theme),
            "can_comment": roles.can_comment_on_theme(request.user, theme),
        },
    )


@roles.programme_reader_required
def reading_add(request, slug, pk):
    theme = get_theme_for_user(request.user, slug, edit=True)
    measure = get_in_theme(Measure, theme, pk)
    form = ReadingForm(request.POST or None, instance=None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_reading_add(
                measure=measure,
                actor=request.user,
                **{k: form.cleaned_data[k] for k in ("value", "date", "source", "note")},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The reading for {measure.name} was added.")
            return redirect(measure)
    return render(
        request, "themes/reading_form.html", {"theme": theme, "measure": measure, "form": form}
    )


# Risks -----------------------------------------------------------------------------------------


@roles.programme_reader_required
def risk_add(request, slug):
    theme = get_theme_for_user(request.user, slug, edit=True)
    return _record_form_page(request, theme, "risk")


@roles.programme_reader_required
def risk_edit(request, slug, pk):
    theme = get_theme_for_user(request.user, slug, edit=True)
    return _record_form_page(request, theme, "risk", get_in_theme(Risk, theme, pk))


# PID -------------------------------------------------------------------------------------------


@roles.programme_reader_required
def pid_edit(request, slug):
    theme = get_theme_for_user(request.user, slug, edit=True)
    pid = services.pid_for_theme(theme)
    if pid.status == PID.Status.SUBMITTED:
        messages.info(request, "The PID is waiting for approval; it cannot be edited until then.")
        return redirect(_tab_url(theme, "pid"))
    form = PIDForm(request.POST or None, instance=pid)
    context = {"pid": pid, "title": "Edit the project initiation document"}
    if request.method != "POST":
        return render(request, "themes/pid_form.html", {**context, "theme": theme, "form": form})

    return editing.form_action(
        request,
        form,
        lambda form: services.pid_update(
            pid=pid,
            actor=request.user,
            version=form.cleaned_data.get("version"),
            data=form.content(),
        ),
        done=_tab_url(theme, "pid"),
        template="themes/pid_form.html",
        context={**context, "theme": theme},
    )


@roles.programme_reader_required
def pid_submit(request, slug):
    theme = get_theme_for_user(request.user, slug, edit=True)
    pid = services.pid_for_theme(theme)
    form = StateChangeForm(editing.posted(request), record=pid)
    if request.method != "POST":
        return render(request, "themes/pid_submit.html", {"theme": theme, "pid": pid, "form": form})
    return editing.form_action(
        request,
        form,
        lambda form: services.pid_submit(
            pid=pid, actor=request.user, version=form.cleaned_data["version"]
        ),
        done=_tab_url(theme, "pid"),
        success="The PID was submitted to the programme manager.",
        template="themes/pid_submit.html",
        context={"theme": theme, "pid": pid},
    )


@roles.programme_reader_required
def pid_review(request, slug):
    theme = get_theme_for_user(request.user, slug)
    roles.require("can_approve_pid", request.user)
    pid = services.pid_for_theme(theme)
    form = PIDReviewForm(editing.posted(request), record=pid)
    if pid.status != PID.Status.SUBMITTED:
        messages.info(request, "This PID is not waiting for approval.")
        return redirect(_tab_url(theme, "pid"))
    latest = theme.pid_versions.first()
    context = {
        "theme": theme,
        "pid": pid,
        "latest": latest,
        "diff": _pid_diff(_pid_sections(latest), _pid_sections(pid, live=True)) if latest else None,
    }
    if request.method != "POST":
        return render(request, "themes/pid_review.html", {**context, "form": form})

    def decide(form):
        decision = {"actor": request.user, "pid": pid, "version": form.cleaned_data["version"]}
        if form.cleaned_data["decision"] == "approve":
            version = services.pid_approve(**decision, note=form.cleaned_data["comments"])
            return f"Version {version.number} of the PID is approved."
        services.pid_return(**decision, comments=form.cleaned_data["comments"])
        return "The PID was returned to the lead with your comments."

    return editing.form_action(
        request,
        form,
        decide,
        done=_tab_url(theme, "pid"),
        success=lambda message: message,
        template="themes/pid_review.html",
        context=context,
    )


_SNAPSHOT_SECTIONS = [
    ("measures", "Measures of success", "{name}: baseline {baseline}; target {target}"),
    ("milestones", "Milestones", "{title} — due {due} ({status}); owner {owner}"),
    ("risks", "Risks and issues", "{kind}: {description} (score {score}, {status})"),
    ("team", "Team", "{name}, {kind}{organisation_text}"),
]


def _pid_sections(source, *, live: bool = False) -> list[tuple[str, list[str]]]:
    """A PID (draft or approved version) as titled sections of lines, for showing and diffing."""
    sections = [
        (PIDForm._meta.labels[name], (getattr(source, name) or "").splitlines())
        for name in PID.TEXT_FIELDS
    ]
    snapshot = services.pid_snapshot(source.theme) if live else source.snapshot
    for key, title, pattern in _SNAPSHOT_SECTIONS:
        lines = []
        for item in snapshot.get(key, []):
            org = item.get("organisation")
            lines.append(pattern.format(**item, organisation_text=f", {org}" if org else ""))
        sections.append((title, lines))
    return sections


def _pid_diff(before, after) -> list[dict]:
    """Per section, each line marked same / added / removed."""
    result = []
    for (title, old), (_, new) in zip(before, after, strict=True):
        lines = []
        for line in difflib.ndiff(old, new):
            code, text = line[:2], line[2:]
            if code == "? ":
                continue
            kind = {"+ ": "added", "- ": "removed"}.get(code, "same")
            lines.append({"kind": kind, "text": text})
        result.append(
            {"title": title, "lines": lines, "changed": any(x["kind"] != "same" for x in lines)}
        )
    return result


@require_safe
@roles.programme_reader_required
def pid_version(request, slug, number):
    theme = get_theme_for_user(request.user, slug)
    version = get_object_or_404(
        PIDVersion.objects.select_related("approved_by", "submitted_by"), theme=theme, number=number
    )
    version.theme = theme
    return render(
        request,
        "themes/pid_version.html",
        {
            "theme": theme,
            "version": version,
            "sections": _pid_sections(version),
            "versions": list(theme.pid_versions.values_list("number", flat=True)),
        },
    )


@require_safe
@roles.programme_reader_required
def pid_compare(request, slug):
    """Compare two approved versions, or an approved version with the current draft."""
    theme = get_theme_for_user(request.user, slug)
    versions = {v.number: v for v in theme.pid_versions.all()}
    for v in versions.values():
        v.theme = theme

    def pick(value):
        if value == "draft":
            pid = selectors.pid_for_reading(theme)
            return pid, _pid_sections(pid, live=True), "the current draft"
        try:
            version = versions[int(value)]
        except (KeyError, TypeError, ValueError):
            raise Http404("No such version of the PID") from None
        return version, _pid_sections(version), f"version {version.number}"

    numbers = sorted(versions)
    default_to = "draft"
    default_from = str(numbers[-1]) if numbers else "draft"
    _, before, before_label = pick(request.GET.get("from", default_from))
    _, after, after_label = pick(request.GET.get("to", default_to))
    return render(
        request,
        "themes/pid_compare.html",
        {
            "theme": theme,
            "diff": _pid_diff(before, after),
            "before_label": before_label,
            "after_label": after_label,
            "numbers": numbers,
            "from_value": request.GET.get("from", default_from),
            "to_value": request.GET.get("to", default_to),
        },
    )


# Highlight reports -----------------------------------------------------------------------------


@roles.programme_reader_required
def report_start(request, slug):
    theme = get_theme_for_user(request.user, slug, edit=True)
    form = ReportStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.highlight_report_start(
                theme=theme, period=form.cleaned_data["period"], actor=request.user
            )
        except AlreadyDone as exc:
            messages.info(request, f"{exc.message} Here it is; nothing new was started.")
            name = "themes:report" if exc.obj.is_locked else "themes:report_edit"
            return redirect(name, slug=theme.slug, pk=exc.obj.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "The report was started from the theme's milestones, measures and risks."
            )
            return redirect("themes:report_edit", slug=theme.slug, pk=report.pk)
    return render(request, "themes/report_start.html", {"theme": theme, "form": form})


def _report_siblings(report):
    return list(
        HighlightReport.objects.filter(theme=report.theme, period=report.period)
        .select_related("submitted_by")
        .order_by("-revision")
    )


@require_safe
@roles.programme_reader_required
def report_detail(request, slug, pk):
    theme = get_theme_for_user(request.user, slug)
    report = get_in_theme(HighlightReport, theme, pk)
    return render(
        request,
        "themes/report_detail.html",
        {
            "theme": theme,
            "report": report,
            "revisions": _report_siblings(report),
            "can_edit": roles.can_edit_theme(request.user, theme),
            "problems": {} if report.is_locked else services.highlight_report_problems(report),
        },
    )


@roles.programme_reader_required
def report_edit(request, slug, pk):
    theme = get_theme_for_user(request.user, slug, edit=True)
    report = get_in_theme(HighlightReport, theme, pk)
    if report.is_locked:
        messages.info(
            request,
            "This report was submitted and is locked. Start a correction to change it.",
        )
        return redirect("themes:report", slug=theme.slug, pk=report.pk)
    form = HighlightReportForm(request.POST or None, instance=report)
    context = {"report": report, "title": f"Highlight report for {report.period:%B %Y}"}
    if request.method != "POST":
        return render(request, "themes/report_form.html", {**context, "theme": theme, "form": form})

    def save(form):
        return services.highlight_report_update(
            report=report,
            actor=request.user,
            version=form.cleaned_data["version"],
            data=form.content(),
        )

    return editing.form_action(
        request,
        form,
        save,
        done=reverse("themes:report", kwargs={"slug": theme.slug, "pk": report.pk}),
        template="themes/report_form.html",
        context={**context, "theme": theme},
    )


@roles.programme_reader_required
def report_submit(request, slug, pk):
    theme = get_theme_for_user(request.user, slug, edit=True)
    report = get_in_theme(HighlightReport, theme, pk)
    if report.is_locked:
        messages.info(request, "This report has been submitted already.")
        return redirect("themes:report", slug=theme.slug, pk=report.pk)
    problems = services.highlight_report_problems(report)
    form = StateChangeForm(editing.posted(request), record=report)
    stale = None
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationError(form.non_field_errors())
            services.highlight_report_submit(
                report=report, actor=request.user, version=form.cleaned_data["version"]
            )
        except services.StaleEdit as exc:
            stale, report = exc, exc.obj
            form = StateChangeForm(record=report)
            problems = services.highlight_report_problems(report)
        except ValidationError as exc:
            problems = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages[0]}
        else:
            messages.success(
                request, f"The {report.period:%B %Y} report was submitted and is now locked."
            )
            return redirect("themes:report", slug=theme.slug, pk=report.pk)
    return render(
        request,
        "themes/report_submit.html",
        {"theme": theme, "report": report, "problems": problems, "form": form, "stale": stale},
    )


@roles.programme_reader_required
def report_correct(request, slug, pk):
    theme = get_theme_for_user(request.user, slug, edit=True)
    report = get_in_theme(HighlightReport, theme, pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.highlight_report_correct(
                report=report, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Revision {revision.revision} was started; the submitted one stays."
            )
            return redirect("themes:report_edit", slug=theme.slug, pk=revision.pk)
    return render(
        request, "themes/report_correct.html", {"theme": theme, "report": report, "form": form}
    )


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


def _target_url(theme, milestone, measure, anchor="comments"):
    if milestone is not None:
        return f"{milestone.get_absolute_url()}#{anchor}"
    if measure is not None:
        return f"{measure.get_absolute_url()}#{anchor}"
    return _tab_url(theme, "discussion")


@require_POST
@roles.programme_reader_required
def comment_add(request, slug):
    theme = get_theme_for_commenter(request.user, slug)
    milestone, measure = _target(request, theme)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                theme=theme,
                actor=request.user,
                body=form.cleaned_data["body"],
                milestone=milestone,
                measure=measure,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your comment was added.")
            return redirect(_target_url(theme, milestone, measure))
    return render(
        request,
        "themes/comment_form.html",
        {"theme": theme, "form": form, "milestone": milestone, "measure": measure},
    )


@roles.programme_reader_required
def evidence_add(request, slug):
    theme = get_theme_for_commenter(request.user, slug)
    milestone, measure = _target(request, theme)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_add(
                theme=theme,
                actor=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                milestone=milestone,
                measure=measure,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The file was added as evidence.")
            return redirect(_target_url(theme, milestone, measure, "evidence"))
    return render(
        request,
        "themes/evidence_form.html",
        {"theme": theme, "form": form, "milestone": milestone, "measure": measure},
    )


@require_safe
@roles.programme_reader_required
def evidence_download(request, slug, pk):
    theme = get_theme_for_user(request.user, slug)
    evidence = get_in_theme(Evidence, theme, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage") from None
    # Always a download, never rendered inline, whatever the file claims to be.
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


# Team ------------------------------------------------------------------------------------------


@roles.programme_reader_required
def team_add(request, slug):
    theme = get_theme_for_user(request.user, slug, edit=True)
    form = TeamMemberForm(request.POST or None, theme=theme)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.team_member_add(
                theme=theme,
                actor=request.user,
                member=form.cleaned_data["member"],
                kind=form.cleaned_data["kind"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            name = membership.user.get_full_name() or membership.user.username
            messages.success(request, f"{name} is now on the team.")
            return redirect(_tab_url(theme, "pid"))
    return render(
        request,
        "themes/team_add.html",
        {"theme": theme, "form": form, "title": "Add a team member"},
    )


@roles.programme_reader_required
def team_remove(request, slug, pk):
    theme = get_theme_for_user(request.user, slug, edit=True)
    membership = get_object_or_404(
        TeamMembership.objects.select_related("user"), pk=pk, theme=theme
    )
    membership.theme = theme
    if request.method == "POST":
        services.team_member_remove(membership=membership, actor=request.user)
        name = membership.user.get_full_name() or membership.user.username
        messages.success(request, f"{name} was removed from the team.")
        return redirect(_tab_url(theme, "pid"))
    return render(request, "themes/team_remove.html", {"theme": theme, "membership": membership})
