from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from simple_history.utils import get_history_model_for_model

from havering_improve import editing, roles
from themes import selectors as theme_selectors
from themes.models import Theme
from themes.selectors import expected_report_period, report_due_date

from . import access, forms, hooks, selectors
from .actions import calendar, decisions, minutes, rota, settings, tracker
from .ical import rota_calendar
from .models import (
    Action,
    RotaRun,
    RotaSlot,
)
from .pages import form_page, improvement_board_page, say_how_the_job_went


def _meeting_form_view(make_form, save, title, success):
    """The view of a form about one meeting, for the programme manager: the form is
    `make_form(data, meeting)`; on POST `save(meeting=…, actor=…, **its fields)`, then back to
    the meeting, saying `success`. `title` is the page's."""

    @roles.programme_reader_required
    def view(request, pk):
        meeting = access.get_meeting_for_user(request.user, pk, manage=True)
        return form_page(
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
    board = improvement_board_page(request)
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


@roles.programme_reader_required
def meeting_add(request):
    board = improvement_board_page(request, manage=True)
    return form_page(
        request,
        forms.MeetingForm(editing.posted(request)),
        lambda form: calendar.meeting_create(board=board, actor=request.user, **form.cleaned_data),
        title="Add a meeting",
        success=lambda meeting: f"Meeting added for {meeting.date:%-d %B %Y}.",
        done=reverse("board:index"),
    )


@roles.programme_reader_required
def meeting_schedule(request):
    board = improvement_board_page(request, manage=True)

    def schedule(form):
        data = form.cleaned_data
        dates = calendar.recurrence_dates(
            first=data["first_date"],
            count=data["count"],
            every_weeks=data["every_weeks"],
            monthly=data["repeat"] == "monthly",
        )
        created = calendar.meetings_schedule(
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

    return form_page(
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
            "pack_changes": hooks.changes_since_built(current) if current and is_manager else [],
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
    forms.MeetingForm, calendar.meeting_update, "Change the meeting", "Meeting details saved."
)


@roles.programme_reader_required
def meeting_cancel(request, pk):
    """Confirm, then cancel a meeting: it stays on record and in the calendar as cancelled, and
    everyone it was sent to is sent the cancellation."""
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    if meeting.is_cancelled:  # a second click, or someone else got there first
        messages.info(request, "This meeting is already cancelled.")
        return redirect(meeting)
    return form_page(
        request,
        forms.MeetingCancelForm(editing.posted(request), record=meeting),
        lambda form: calendar.meeting_cancel(
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
        return rota.pins_save(
            meeting=meeting,
            actor=request.user,
            version=form.cleaned_data["version"],
            states={theme: form.cleaned_data[f"theme_{theme.pk}"] for theme in form.themes},
        )

    return form_page(
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
    board = improvement_board_page(request, manage=True)
    if not board.themes_per_meeting:
        messages.error(request, f"{board} does not meet on a rota.")
        return redirect("board:index")
    error = ""
    if request.method == "POST":
        fingerprint = request.POST.get("fingerprint", "")
        try:
            run = rota.rota_request(board=board, actor=request.user, fingerprint=fingerprint)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            say_how_the_job_went(
                request,
                run,
                done=(RotaRun.Status.DONE, lambda run: f"Rota generated. {run.message}"),
                failed=lambda run: f"The rota could not be applied: {run.message}",
                waiting="The rota is being applied. Refresh the page shortly.",
            )
            return redirect("board:index")
    proposal = rota.rota_propose(board=board)
    context = {"board": board, "proposal": proposal, "error": error}
    return render(request, "board/rota_preview.html", context)


@require_safe
@roles.programme_reader_required
def rota_ics(request):
    board = improvement_board_page(request)
    body = rota_calendar(board=board, meetings=selectors.meetings_with_rota(board, cancelled=True))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{board.slug}-rota.ics"'
    return response


@require_safe
@roles.programme_reader_required
def rota_history(request):
    access.require_report_reader(request.user)
    board = improvement_board_page(request)
    history = (
        get_history_model_for_model(RotaSlot)
        .objects.filter(meeting__board=board)
        .select_related("history_user", "theme", "meeting")
        .order_by("-history_date", "-history_id")[:200]
    )
    return render(request, "board/rota_history.html", {"board": board, "history": history})


@roles.programme_reader_required
def board_settings(request):
    board = improvement_board_page(request, manage=True)
    return form_page(
        request,
        forms.BoardSettingsForm(editing.posted(request), instance=selectors.board_settings(board)),
        lambda form: editing.save_versioned(
            form, settings.board_settings_save, board=board, actor=request.user
        ),
        title="Pack and reminder timing",
        success="Settings saved.",
        done=reverse("board:index"),
    )


# Minutes, decisions and actions ---------------------------------------------------------------


minutes_edit = _meeting_edit_view(
    forms.MinutesForm, minutes.minutes_save, "Minutes", "Minutes saved."
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
    return form_page(
        request,
        form,
        lambda form: decisions.decision_add(
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
    forms.ActionForm, tracker.action_add, "Add an action", "Action added."
)


@require_safe
@roles.programme_reader_required
def actions_list(request):
    board = improvement_board_page(request)
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
    return form_page(
        request,
        forms.ActionUpdateForm(editing.posted(request), instance=action),
        lambda form: tracker.action_update(action=action, actor=request.user, **form.cleaned_data),
        title="Update the action",
        success="Action updated.",
        done=reverse("board:actions"),
        intro=f"{action.description} (due {action.due_date:%-d %B %Y})",
        back_url=reverse("board:actions"),
    )
