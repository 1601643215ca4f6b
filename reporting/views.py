"""The pages of packs and progress reports. Their addresses are the board's (`/board/packs/…`,
`/board/reports/…`) and so are their names (`board:pack`…): see `havering_improve/urls.py`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from board import access as board_access
from board.models import Board
from board.pages import form_page, say_how_the_job_went
from havering_improve import editing, roles, summaries
from havering_improve.errors import AlreadyDone
from havering_improve.forms import add_service_errors
from themes import selectors as theme_selectors
from themes.charts import serves_svg, svg_response
from themes.selectors import current_programme

from . import access, forms, selectors
from .actions import packs, reports
from .documents import pack_chart_svg, pack_charts, render_report_html, with_chart_addresses
from .models import MeetingPack, ProgressReport, ReportSchedule
from .snapshot import report_snapshot

# Meeting packs -------------------------------------------------------------------------------


@require_POST
@roles.programme_reader_required
def pack_build(request, pk):
    meeting = board_access.get_meeting_for_user(request.user, pk, manage=True)
    try:
        pack = packs.pack_request(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(meeting)
    pack.refresh_from_db()
    if pack.status == MeetingPack.Status.READY:
        messages.success(request, "The pack is ready. Check it, then publish it to the board.")
    elif pack.status == MeetingPack.Status.BUILDING:
        messages.success(request, "The pack is being built. Refresh the page in a moment.")
    return redirect(meeting)


def _stored_html(record) -> str:
    """A built pack's or report's stored HTML ("" before it is built)."""
    if not record.html:
        return ""
    with record.html.open("rb") as stored:
        return stored.read().decode()


@require_safe
@roles.programme_reader_required
def pack_detail(request, pk):
    pack = access.get_pack_for_user(request.user, pk, kept=True)
    is_manager = roles.can_manage_board(request.user)

    def page() -> str:
        body = with_chart_addresses(
            _stored_html(pack),
            lambda key: reverse("board:pack_chart", kwargs={"pk": pack.pk, "key": key}),
        )
        return render_to_string(
            "reporting/_pack_page.html",
            {"pack": pack, "meeting": pack.meeting, "body": body, "is_manager": is_manager},
        )

    # A built pack never changes; its state (published, withdrawn) is programme data.
    html = summaries.cached(("pack-page", pack.pk, is_manager), page, areas=[summaries.BOARD])
    return render(
        request, "reporting/pack_detail.html", {"pack": pack, "meeting": pack.meeting, "page": html}
    )


@require_safe
@roles.programme_reader_required
@serves_svg
def pack_chart(request, pk, key):
    """One of a pack's charts, to whoever may read the pack; the key is the chart's own
    fingerprint, so an address never shows anything else."""
    pack = access.get_pack_for_user(request.user, pk, kept=True)
    charts = summaries.cached(
        ("pack-charts", pack.pk),
        lambda: pack_charts(_stored_html(pack)),
        areas=[summaries.BOARD],
    )
    if key not in charts:
        raise Http404("This pack has no such chart.")
    return svg_response(pack_chart_svg(charts[key]))


@require_safe
@roles.programme_reader_required
def pack_pdf(request, pk):
    pack = access.get_pack_for_user(request.user, pk)
    name = f"{pack.meeting.board.slug}-{pack.meeting.date:%Y-%m-%d}-v{pack.version}.pdf"
    return _pdf_download(pack, "pack", name)


def _pdf_download(record, noun, name):
    """A pack's or report's PDF, as a download called `name`; Not Found while it has none."""
    if not record.pdf:
        raise Http404(f"This {noun} has no PDF yet.")
    return FileResponse(
        record.pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@roles.programme_reader_required
def pack_publish(request, pk):
    pack = access.get_pack_for_user(request.user, pk, manage=True)
    warnings = selectors.pack_warnings(pack)
    error = ""
    if request.method == "POST":
        if warnings and request.POST.get("confirm") != "yes":
            error = "Confirm that you have read the warnings, or rebuild the pack first"
        else:
            editing.button_action(
                request,
                lambda: packs.pack_publish(pack=pack, actor=request.user),
                success="Pack published. Board members and the focus themes' leads can now "
                "open it: each is e-mailed a link.",
            )
            return redirect(pack.meeting)
    return render(
        request,
        "reporting/pack_publish.html",
        {"pack": pack, "meeting": pack.meeting, "warnings": warnings, "error": error},
        status=400 if error else 200,
    )


@roles.programme_reader_required
def pack_reissue(request, pk):
    pack = access.get_pack_for_user(request.user, pk, manage=True)
    if not pack.is_published:
        raise Http404("Only a published pack is re-issued; rebuild a draft instead.")
    form = forms.ReissueForm(editing.posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            packs.pack_reissue(pack=pack, reason=form.cleaned_data["reason"], actor=request.user)
        except AlreadyDone as exc:
            messages.info(request, f"{exc.message} Nothing new was started.")
            return redirect(pack.meeting)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "A new version of the pack is being built.")
            return redirect(pack.meeting)
    return render(
        request,
        "board/form.html",
        {
            "form": form,
            "title": f"Re-issue the pack (version {pack.version + 1})",
            "back": pack.meeting,
            "intro": "The published version stays as it is; board members see the new version "
            "once you publish it.",
        },
    )


# Scheduled progress reports ------------------------------------------------------------------


@require_safe
@roles.programme_reader_required
def reports_index(request):
    board_access.require_report_reader(request.user)
    programme = current_programme()
    bodies = list(
        Board.objects.filter(programme=programme, kind=Board.Kind.REPORTING_BODY)
        .select_related("report_schedule")
        .order_by("order")
    )
    reports = (
        ProgressReport.objects.filter(schedule__board__programme=programme)
        .select_related("schedule__board")
        .prefetch_related("deliveries")[:100]
    )
    return render(
        request,
        "reporting/reports.html",
        {
            "bodies": bodies,
            "reports": reports,
            "is_manager": roles.can_manage_board(request.user),
        },
    )


@roles.programme_reader_required
def schedule_edit(request, pk):
    body = access.get_reporting_body_for_manager(request.user, pk)
    instance = ReportSchedule.objects.filter(board=body).first()
    return form_page(
        request,
        forms.ReportScheduleForm(editing.posted(request), instance=instance),
        lambda form: editing.save_versioned(
            form, reports.schedule_save, board=body, actor=request.user
        ),
        title=f"Progress reports to {body}",
        success=f"Report schedule for {body} saved.",
        done=reverse("board:reports"),
        intro="Public bodies never receive decisions or actions marked restricted."
        if body.is_public
        else "",
        back_url=reverse("board:reports"),
    )


@require_safe
@roles.programme_reader_required
def schedule_preview(request, pk):
    body = access.get_reporting_body_for_manager(request.user, pk)
    schedule = get_object_or_404(ReportSchedule, board=body)
    # A preview renders today's figures as HTML only; the real report is made by its task.
    today = theme_selectors.today()
    start, end = reports.report_period(schedule.frequency, containing=today)
    snapshot = report_snapshot(schedule=schedule, period_start=start, period_end=end)
    return render(
        request,
        "reporting/report_detail.html",
        {
            "snapshot": snapshot,
            "body": render_report_html(snapshot),
            "preview": True,
            "schedule": schedule,
        },
    )


@require_POST
@roles.programme_reader_required
def schedule_make_now(request, pk):
    body = access.get_reporting_body_for_manager(request.user, pk)
    schedule = get_object_or_404(ReportSchedule, board=body)
    try:
        report = reports.report_make_now(schedule=schedule, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("board:reports")
    say_how_the_job_went(
        request,
        report,
        done=(ProgressReport.Status.SENT, f"The report to {body} was made and sent."),
        failed=lambda report: f"The report to {body} could not be made: {report.error}",
        waiting=f"The report to {body} is being made. Refresh the page in a moment.",
    )
    return redirect("board:report", pk=report.pk)


@require_safe
@roles.programme_reader_required
def report_detail(request, pk):
    report = access.get_report_for_user(request.user, pk)
    body = _stored_html(report)
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "snapshot": report.snapshot or {},
            "body": body,
            "schedule": report.schedule,
            "deliveries": report.deliveries.all(),
            "is_manager": roles.can_manage_board(request.user),
        },
    )


@require_safe
@roles.programme_reader_required
def report_pdf(request, pk):
    report = access.get_report_for_user(request.user, pk)
    return _pdf_download(report, "report", f"progress-report-{report.period_start:%Y-%m}.pdf")


@require_POST
@roles.programme_reader_required
def report_retry(request, pk):
    report = access.get_report_for_user(request.user, pk)
    board_access.require_manager(request.user)
    editing.button_action(
        request,
        lambda: reports.report_retry(report=report, actor=request.user),
        success="Trying the report again.",
    )
    return redirect("board:report", pk=report.pk)
