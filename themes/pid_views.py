"""A theme's project initiation document: editing and submitting it, the programme manager's
review, and reading and comparing its approved versions (the comparison is `pid_diff`)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from havering_improve import editing, roles
from havering_improve.forms import StateChangeForm

from . import selectors
from .access import get_theme_for_user
from .actions import pid as pid_actions
from .forms import PIDForm, PIDReviewForm
from .models import PID, PIDVersion
from .pid_diff import pid_diff, pid_sections


def _live_sections(pid):
    """The PID as it stands: its text and the theme's measures, milestones, risks and team."""
    return pid_sections(pid, pid_actions.pid_snapshot(pid.theme))


@roles.programme_reader_required
def pid_edit(request, slug):
    theme = get_theme_for_user(request.user, slug, edit=True)
    pid = selectors.pid_for_reading(theme)
    if pid.status == PID.Status.SUBMITTED:
        messages.info(request, "The PID is waiting for approval; it cannot be edited until then.")
        return redirect(theme.part_url("pid"))
    return editing.edit_page(
        request,
        PIDForm(editing.posted(request), instance=pid),
        lambda form: editing.save_versioned(
            form, pid_actions.pid_update, pid=pid, actor=request.user
        ),
        done=theme.part_url("pid"),
        template="themes/pid_form.html",
        context={"pid": pid, "title": "Edit the project initiation document", "theme": theme},
    )


@roles.programme_reader_required
def pid_submit(request, slug):
    theme = get_theme_for_user(request.user, slug, edit=True)
    pid = selectors.pid_for_reading(theme)
    return editing.edit_page(
        request,
        StateChangeForm(editing.posted(request), record=pid),
        lambda form: pid_actions.pid_submit(
            pid=pid, actor=request.user, version=form.cleaned_data["version"]
        ),
        done=theme.part_url("pid"),
        success="The PID was submitted to the programme manager.",
        template="themes/pid_submit.html",
        context={"theme": theme, "pid": pid},
    )


@roles.programme_reader_required
def pid_review(request, slug):
    theme = get_theme_for_user(request.user, slug)
    roles.require("can_approve_pid", request.user)
    pid = selectors.pid_for_reading(theme)
    form = PIDReviewForm(editing.posted(request), record=pid)
    if pid.status != PID.Status.SUBMITTED:
        messages.info(request, "This PID is not waiting for approval.")
        return redirect(theme.part_url("pid"))
    latest = theme.pid_versions.first()
    snapshot = pid_actions.pid_snapshot(theme)
    live = pid_sections(pid, snapshot)
    context = {
        "theme": theme,
        "pid": pid,
        "latest": latest,
        "sections": live,
        "diff": pid_diff(pid_sections(latest), live) if latest else None,
        # What this page shows, posted back with the decision: a PID changed since is refused.
        "fingerprint": pid_actions.pid_fingerprint(pid, snapshot),
    }

    def decide(form):
        decision = {
            "actor": request.user,
            "pid": pid,
            "version": form.cleaned_data["version"],
            "fingerprint": request.POST.get("fingerprint", ""),
        }
        if form.cleaned_data["decision"] == "approve":
            version = pid_actions.pid_approve(**decision, note=form.cleaned_data["comments"])
            return f"Version {version.number} of the PID is approved."
        pid_actions.pid_return(**decision, comments=form.cleaned_data["comments"])
        return "The PID was returned to the lead with your comments."

    return editing.edit_page(
        request,
        form,
        decide,
        done=theme.part_url("pid"),
        success=lambda message: message,
        template="themes/pid_review.html",
        context=context,
    )


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
            "sections": pid_sections(version),
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
            return _live_sections(pid), "the current draft"
        try:
            version = versions[int(value)]
        except (KeyError, TypeError, ValueError):
            raise Http404("No such version of the PID") from None
        return pid_sections(version), f"version {version.number}"

    numbers = sorted(versions)
    default_to = "draft"
    default_from = str(numbers[-1]) if numbers else "draft"
    before, before_label = pick(request.GET.get("from", default_from))
    after, after_label = pick(request.GET.get("to", default_to))
    return render(
        request,
        "themes/pid_compare.html",
        {
            "theme": theme,
            "diff": pid_diff(before, after),
            "before_label": before_label,
            "after_label": after_label,
            "numbers": numbers,
            "from_value": request.GET.get("from", default_from),
            "to_value": request.GET.get("to", default_to),
        },
    )
