"""A theme's monthly highlight reports: starting one pre-filled from live data, editing the
draft, submitting it (which locks it) and correcting a submitted one as a new revision."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from havering_improve import editing, roles
from havering_improve.actions import StaleEdit
from havering_improve.errors import AlreadyDone
from havering_improve.forms import StateChangeForm, add_service_errors

from . import hooks
from .access import get_in_theme_for_user, get_theme_for_user
from .actions.reports import (
    highlight_report_correct,
    highlight_report_problems,
    highlight_report_start,
    highlight_report_submit,
    highlight_report_update,
)
from .forms import CorrectionForm, HighlightReportForm, ReportStartForm
from .models import HighlightReport


@roles.programme_reader_required
def report_start(request, slug):
    theme = get_theme_for_user(request.user, slug, edit=True)
    # ?period=2026-11-01 (a reminder's link) chooses that month when it is one on offer.
    form = ReportStartForm(editing.posted(request), initial={"period": request.GET.get("period")})
    if request.method == "POST" and form.is_valid():
        try:
            report = highlight_report_start(
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
                request,
                "The report was started from the theme's live data: its milestones, measures, "
                "risks and budget. Check each rating and reason; scope, quality and the overall "
                "status are yours to give.",
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
    theme, report = get_in_theme_for_user(request.user, slug, HighlightReport, pk)
    seen_in = hooks.seen_in(report)  # the published packs that showed it, if any
    return render(
        request,
        "themes/report_detail.html",
        {
            "theme": theme,
            "report": report,
            "revisions": _report_siblings(report),
            "can_edit": roles.can_edit_theme(request.user, theme),
            "problems": {} if report.is_locked else highlight_report_problems(report),
            "seen_in": seen_in,
            "seen_whole": any(place["whole"] for place in seen_in),
        },
    )


@roles.programme_reader_required
def report_edit(request, slug, pk):
    theme, report = get_in_theme_for_user(request.user, slug, HighlightReport, pk, edit=True)
    if report.is_locked:
        messages.info(
            request,
            "This report was submitted and is locked. Start a correction to change it.",
        )
        return redirect("themes:report", slug=theme.slug, pk=report.pk)
    return editing.edit_page(
        request,
        HighlightReportForm(editing.posted(request), instance=report),
        lambda form: editing.save_versioned(
            form, highlight_report_update, report=report, actor=request.user
        ),
        done=reverse("themes:report", kwargs={"slug": theme.slug, "pk": report.pk}),
        template="themes/report_form.html",
        context={
            "report": report,
            "title": f"Highlight report for {report.period:%B %Y}",
            "theme": theme,
        },
    )


@roles.programme_reader_required
def report_submit(request, slug, pk):
    theme, report = get_in_theme_for_user(request.user, slug, HighlightReport, pk, edit=True)
    if report.is_locked:
        messages.info(request, "This report has been submitted already.")
        return redirect("themes:report", slug=theme.slug, pk=report.pk)
    problems = highlight_report_problems(report)
    form = StateChangeForm(editing.posted(request), record=report)
    stale = None
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationError(form.non_field_errors())
            highlight_report_submit(
                report=report, actor=request.user, version=form.cleaned_data["version"]
            )
        except AlreadyDone as exc:
            messages.info(request, " ".join(exc.messages))
            return redirect("themes:report", slug=theme.slug, pk=report.pk)
        except StaleEdit as exc:
            stale, report = exc, exc.obj
            form = StateChangeForm(record=report)
            problems = highlight_report_problems(report)
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
    theme, report = get_in_theme_for_user(request.user, slug, HighlightReport, pk, edit=True)
    return editing.edit_page(
        request,
        CorrectionForm(editing.posted(request)),
        lambda form: highlight_report_correct(
            report=report, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        done=lambda revision: reverse(
            "themes:report_edit", kwargs={"slug": theme.slug, "pk": revision.pk}
        ),
        success=lambda revision: (
            f"Revision {revision.revision} was started; the submitted one stays."
        ),
        template="themes/report_correct.html",
        context={"theme": theme, "report": report},
    )
