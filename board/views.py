from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from simple_history.utils import get_history_model_for_model

from havering_improve import editing, roles, summaries
from havering_improve.errors import AlreadyDone
from havering_improve.forms import add_service_errors
from themes import selectors as theme_selectors
from themes.charts import serves_svg, svg_response
from themes.models import Theme
from themes.selectors import current_programme, expected_report_period, report_due_date

from . import access, forms, selectors, services
from .ical import rota_calendar
from .models import (
    Action,
    Board,
    MeetingPack,
    ProgressReport,
    ReportSchedule,
    RotaRun,
    RotaSlot,
)
from .packs import pack_chart_svg, pack_charts, with_chart_addresses


def _board(request, *, manage=False) -> Board:
    """The programme's improvement board; `manage`: for the programme manager only."""
    if manage:
        access.require_manager(request.user)
    board = selectors.improvement_board(current_programme())
    if board is None:
        raise Http404("This programme has no improvement board.")
    return board


def _form_page(request, form, call, *, title, success, back=None, done=None, **context):
    """A board/form.html page: the form; on POST `call(form)`, then on to `done` (by default
    the meeting the form is about, `back`)."""
    return editing.edit_page(
        request,
        form,
        call,
        done=done or back.get_absolute_url(),
        success=success,
        template="board/form.html",
        context={"title": title, "back": back, **context},
    )


def _meeting_form_view(make_form, save, title, success):
    """The view of a form about one meeting, for the programme manager: the form is
    `make_form(data, meeting)`; on POST `save(meeting=…, actor=…, **its fields)`, then back to
    the meeting, saying `success`. `title` is the page's."""

    @roles.programme_reader_required
    def view(request, pk):
        meeting = access.get_meeting_for_user(request.user, pk, manage=True)
        return _form_page(
            request,
            make_form(editing.posted(request), meeting),
            lambda form: save(meeting=meeting, actor=request.user, **form.cleaned_data),
            title=title,
            success=success,
            back=meeting,
        )

    return view


def _meeting_edit_view(form_class, save, title, success):
    """A form that changes the meeting itself (see `_meeting_form_view`)."""
    return _meeting_form_view(
        lambda data, meeting: form_class(data, instance=meeting), save, title, success
    )


def _meeting_record_view(form_class, save, title, success):
    """A form that records something at the meeting, about one of the programme's themes or
    none (see `_meeting_form_view`)."""
    return _meeting_form_view(
        lambda data, meeting: form_class(data, programme=meeting.board.programme_id),
        save,
        title,
        success,
    )


# The calendar and the rota -----------------------------------------------------------------


@require_safe
@roles.programme_reader_required
def board_index(request):
    board = _board(request)
    today = theme_selectors.today()
    meetings = list(selectors.meetings_with_rota(board))
    for meeting in meetings:
        meeting.current_pack = selectors.current_pack(meeting)
        meeting.published = selectors.published_pack(meeting)
    upcoming = [m for m in meetings if m.date >= today]
    past = [m for m in meetings if m.date < today]
    is_manager = roles.can_manage_board(request.user)
    return render(
        request,
        "board/index.html",
        {
            "board": board,
            "next_meeting": upcoming[0] if upcoming else None,
            "upcoming": upcoming,
            "past": list(reversed(past)),
            "is_manager": is_manager,
            "can_read_packs": roles.can_read_packs(request.user),
            "last_run": RotaRun.objects.filter(board=board).first() if is_manager else None,
            "other_boards": selectors.boards(board.programme).exclude(pk=board.pk),
            "my_open_actions": selectors.my_actions(request.user)
            .exclude(status=Action.Status.DONE)
            .count(),
        },
    )


def _say_how_the_job_went(request, job, *, done, failed, waiting):
    """After a job is queued (with no broker it has already run): say it is done (`done` is its
    finished status and message), failed, or still waiting. A message may be a function of the
    job as it now stands."""
    job.refresh_from_db()
    done_status, done_message = done

    def said(message):
        return message(job) if callable(message) else message

    if job.status == done_status:
        messages.success(request, said(done_message))
    elif job.status == type(job).Status.FAILED:
        messages.error(request, said(failed))
    else:
        messages.success(request, said(waiting))


@roles.programme_reader_required
def meeting_add(request):
    board = _board(request, manage=True)
    return _form_page(
        request,
        forms.MeetingForm(editing.posted(request)),
        lambda form: services.meeting_create(board=board, actor=request.user, **form.cleaned_data),
        title="Add a meeting",
        success=lambda meeting: f"Meeting added for {meeting.date:%-d %B %Y}.",
        done=reverse("board:index"),
    )


@roles.programme_reader_required
def meeting_schedule(request):
    board = _board(request, manage=True)

    def schedule(form):
        data = form.cleaned_data
        dates = services.recurrence_dates(
            first=data["first_date"],
            count=data["count"],
            every_weeks=data["every_weeks"],
            monthly=data["repeat"] == "monthly",
        )
        created = services.meetings_schedule(
            board=board,
            actor=request.user,
            dates=dates,
            start_time=data["start_time"],
            venue=data["venue"],
            online_link=data["online_link"],
            chair=data["chair"],
        )
        skipped = len(dates) - len(created)
        note = f" ({skipped} already in the calendar)" if skipped else ""
        return f"{len(created)} meetings added{note}."

    return _form_page(
        request,
        forms.RecurrenceForm(editing.posted(request)),
        schedule,
        title="Set a recurring meeting",
        success=lambda message: message,
        done=reverse("board:index"),
        button="Add the meetings",
    )


@require_safe
@roles.programme_reader_required
def meeting_detail(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    is_manager = roles.can_manage_board(request.user)
    can_read_packs = roles.can_read_packs(request.user)
    slots = list(meeting.slots.select_related("theme__lead"))
    # The lead of a theme in focus presents it: they read the published pack and the
    # decisions about their theme.
    presenting = [s.theme for s in slots if roles.is_theme_lead(request.user, s.theme)]
    deadline = selectors.pack_deadline(meeting, selectors.board_settings(meeting.board))
    packs = list(meeting.packs.order_by("-version")) if can_read_packs or presenting else []
    if not is_manager:
        packs = [p for p in packs if p.is_published]
    current = packs[0] if packs else None
    decisions = list(meeting.decisions.select_related("theme", "report"))
    if not can_read_packs:
        decisions = [d for d in decisions if d.theme in presenting]
    asks = []
    if current is not None and current.snapshot and (is_manager or can_read_packs):
        for ask in current.snapshot.get("decisions_asked", []):
            answers = [d for d in decisions if d.report_id == ask["report_id"]]
            asks.append({**ask, "answers": answers})
    return render(
        request,
        "board/meeting_detail.html",
        {
            "meeting": meeting,
            "slots": slots,
            "pins": meeting.pins.select_related("theme"),
            "packs": packs,
            "current_pack": current,
            # The manager sees what a draft pack no longer shows, and can rebuild it.
            "pack_changes": selectors.pack_changes(current) if current and is_manager else [],
            "is_manager": is_manager,
            "can_read_packs": can_read_packs,
            "presenting": presenting,
            "asks": asks,
            "decisions": decisions,
            "actions": meeting.actions.select_related("owner", "theme") if can_read_packs else [],
            "deadline": deadline,
            "expected_period": expected_report_period(deadline),
            "expected_due": report_due_date(expected_report_period(deadline)),
            "today": theme_selectors.today(),
        },
    )


meeting_edit = _meeting_edit_view(
    forms.MeetingForm, services.meeting_update, "Change the meeting", "Meeting details saved."
)


@roles.programme_reader_required
def meeting_cancel(request, pk):
    """Confirm, then cancel a meeting: it stays on record and in the calendar as cancelled, and
    everyone it was sent to is sent the cancellation."""
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    if meeting.is_cancelled:  # a second click, or someone else got there first
        messages.info(request, "This meeting is already cancelled.")
        return redirect(meeting)
    return _form_page(
        request,
        forms.MeetingCancelForm(editing.posted(request), record=meeting),
        lambda form: services.meeting_cancel(
            meeting=meeting, actor=request.user, version=form.cleaned_data["version"]
        ),
        title=f"Cancel the meeting on {meeting.date:%-d %B %Y}?",
        success="Meeting cancelled. Everyone it was sent to is sent the cancellation, and "
        "calendars subscribed to the board show it as cancelled.",
        back=meeting,
        intro="It stays on record and in the board's calendar, marked cancelled. Board members "
        "and the focus themes' leads are e-mailed a cancellation that takes it out of their "
        "calendars. It leaves the rota: no pack is built and no reminders are sent for it, and "
        "the next rota plans its themes into other meetings. This cannot be undone.",
        button="Cancel the meeting",
        warning=True,
    )


@roles.programme_reader_required
def meeting_pins(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    themes = Theme.objects.filter(programme=meeting.board.programme_id).order_by("number")
    pins = {p.theme_id: p for p in meeting.pins.all()}

    def save(form):
        return services.pins_save(
            meeting=meeting,
            actor=request.user,
            version=form.cleaned_data["version"],
            states={theme: form.cleaned_data[f"theme_{theme.pk}"] for theme in form.themes},
        )

    return _form_page(
        request,
        forms.PinsForm(editing.posted(request), themes=themes, pins=pins, record=meeting),
        save,
        title=f"Pin themes to the meeting on {meeting.date:%-d %B %Y}",
        success="Pins saved. Generate the rota to re-balance the other meetings.",
        back=meeting,
        intro="A pinned theme is in focus at this meeting; a theme kept off is not. "
        "The rota plans the rest around them.",
    )


@roles.programme_reader_required
def rota_generate(request):
    """Show what the rota would change, meeting by meeting; apply it only on confirmation."""
    board = _board(request, manage=True)
    if not board.themes_per_meeting:
        messages.error(request, f"{board} does not meet on a rota.")
        return redirect("board:index")
    error = ""
    if request.method == "POST":
        fingerprint = request.POST.get("fingerprint", "")
        try:
            run = services.rota_request(board=board, actor=request.user, fingerprint=fingerprint)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            _say_how_the_job_went(
                request,
                run,
                done=(RotaRun.Status.DONE, lambda run: f"Rota generated. {run.message}"),
                failed=lambda run: f"The rota could not be applied: {run.message}",
                waiting="The rota is being applied. Refresh the page shortly.",
            )
            return redirect("board:index")
    proposal = services.rota_propose(board=board)
    context = {"board": board, "proposal": proposal, "error": error}
    return render(request, "board/rota_preview.html", context)


@require_safe
@roles.programme_reader_required
def rota_ics(request):
    board = _board(request)
    body = rota_calendar(board=board, meetings=selectors.meetings_with_rota(board, cancelled=True))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{board.slug}-rota.ics"'
    return response


@require_safe
@roles.programme_reader_required
def rota_history(request):
    access.require_report_reader(request.user)
    board = _board(request)
    history = (
        get_history_model_for_model(RotaSlot)
        .objects.filter(meeting__board=board)
        .select_related("history_user", "theme", "meeting")
        .order_by("-history_date", "-history_id")[:200]
    )
    return render(request, "board/rota_history.html", {"board": board, "history": history})


@roles.programme_reader_required
def board_settings(request):
    board = _board(request, manage=True)
    return _form_page(
        request,
        forms.BoardSettingsForm(editing.posted(request), instance=selectors.board_settings(board)),
        lambda form: editing.save_versioned(
            form, services.board_settings_save, board=board, actor=request.user
        ),
        title="Pack and reminder timing",
        success="Settings saved.",
        done=reverse("board:index"),
    )


# Minutes, decisions and actions ---------------------------------------------------------------


minutes_edit = _meeting_edit_view(
    forms.MinutesForm, services.minutes_save, "Minutes", "Minutes saved."
)


@roles.programme_reader_required
def decision_add(request, pk):
    """Record a decision; with ?report=<id>, the Board's answer to what that highlight report
    asked it (its lead is told)."""
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    asked = selectors.asked_report(meeting, request.POST.get("report") or request.GET.get("report"))
    form = forms.DecisionForm(
        editing.posted(request), programme=meeting.board.programme_id, asked=asked
    )
    return _form_page(
        request,
        form,
        lambda form: services.decision_add(
            meeting=meeting, actor=request.user, **form.cleaned_data
        ),
        title=f"The Board's answer: {asked.theme.title}" if asked else "Record a decision",
        success=lambda d: (
            f"Decision recorded: {d.get_outcome_display().lower()}. "
            f"{d.theme.lead.get_full_name() or d.theme.lead.username} is told."
            if d.outcome and d.report_id and d.theme.lead
            else "Decision recorded."
        ),
        back=meeting,
        asked=asked,
    )


action_add = _meeting_record_view(
    forms.ActionForm, services.action_add, "Add an action", "Action added."
)


@require_safe
@roles.programme_reader_required
def actions_list(request):
    board = _board(request)
    if roles.can_read_packs(request.user):
        actions, title = selectors.actions_log(board), "Actions log"
    else:
        actions, title = selectors.my_actions(request.user), "Your actions"
    return render(
        request,
        "board/actions.html",
        {"actions": actions, "title": title, "today": theme_selectors.today()},
    )


@roles.programme_reader_required
def action_update(request, pk):
    action = access.get_action_for_user(request.user, pk)
    return _form_page(
        request,
        forms.ActionUpdateForm(editing.posted(request), instance=action),
        lambda form: services.action_update(action=action, actor=request.user, **form.cleaned_data),
        title="Update the action",
        success="Action updated.",
        done=reverse("board:actions"),
        intro=f"{action.description} (due {action.due_date:%-d %B %Y})",
        back_url=reverse("board:actions"),
    )


# Meeting packs -------------------------------------------------------------------------------


@require_POST
@roles.programme_reader_required
def pack_build(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    try:
        pack = services.pack_request(meeting=meeting, actor=request.user)
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
            "board/_pack_page.html",
            {"pack": pack, "meeting": pack.meeting, "body": body, "is_manager": is_manager},
        )

    # A built pack never changes; its state (published, withdrawn) is programme data.
    html = summaries.cached(("pack-page", pack.pk, is_manager), page, areas=[summaries.BOARD])
    return render(
        request, "board/pack_detail.html", {"pack": pack, "meeting": pack.meeting, "page": html}
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
                lambda: services.pack_publish(pack=pack, actor=request.user),
                success="Pack published. Board members and the focus themes' leads can now "
                "open it: each is e-mailed a link.",
            )
            return redirect(pack.meeting)
    return render(
        request,
        "board/pack_publish.html",
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
            services.pack_reissue(pack=pack, reason=form.cleaned_data["reason"], actor=request.user)
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
    access.require_report_reader(request.user)
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
        "board/reports.html",
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
    return _form_page(
        request,
        forms.ReportScheduleForm(editing.posted(request), instance=instance),
        lambda form: editing.save_versioned(
            form, services.schedule_save, board=body, actor=request.user
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
    from . import packs

    # A preview renders today's figures as HTML only; the real report is made by its task.
    today = theme_selectors.today()
    start, end = services.report_period(schedule.frequency, containing=today)
    snapshot = packs.report_snapshot(schedule=schedule, period_start=start, period_end=end)
    return render(
        request,
        "board/report_detail.html",
        {
            "snapshot": snapshot,
            "body": packs.render_report_html(snapshot),
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
        report = services.report_make_now(schedule=schedule, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("board:reports")
    _say_how_the_job_went(
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
        "board/report_detail.html",
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
    access.require_manager(request.user)
    editing.button_action(
        request,
        lambda: services.report_retry(report=report, actor=request.user),
        success="Trying the report again.",
    )
    return redirect("board:report", pk=report.pk)
