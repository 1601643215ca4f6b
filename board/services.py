"""Writes for the board: calendar, rota, minutes and actions, packs, reminders, reports.

Each write is an action (`havering_improve.actions`): atomic, permission-checked, in the history
with who did it, its tasks queued by name once committed; the rest here are the date rules they
follow (recurrences, working days, report periods) and the rota's preview. Tasks call the
`system` actions by id. Those that render or send email (pack and report builds, reminders)
keep their transactions short themselves, so nothing is held open while a PDF is drawn or a
mail server answers.
"""

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from havering_improve import actions, outbox, summaries
from havering_improve.actions import history_user, lock_current
from havering_improve.errors import AlreadyDone
from havering_improve.mail import email_message, send_email, site_url
from themes import selectors as theme_selectors
from themes.models import Theme
from themes.selectors import expected_report_period, report_due_date

from . import selectors
from .models import (
    Action,
    Board,
    Decision,
    Meeting,
    MeetingPack,
    RotaPin,
    RotaRun,
    RotaSlot,
)
from .rota import RotaImpossible, rota_build

logger = logging.getLogger(__name__)


# Calendar ----------------------------------------------------------------------------------


@actions.action("can_manage_board")
def meeting_create(*, board: Board, actor, date: dt.date, **fields) -> Meeting:
    if Meeting.objects.filter(board=board, date=date, cancelled_at__isnull=True).exists():
        raise ValidationError({"date": f"The board already meets on {date:%-d %B %Y}."})
    meeting = Meeting(board=board, date=date, **fields)
    meeting.full_clean()
    meeting.save()
    _invite(meeting)
    return meeting


MEETING_FIELDS = ["date", "start_time", "venue", "online_link", "chair"]
# What a calendar holds of a meeting: a change to any of these is sent as an update.
CALENDAR_FIELDS = {"date", "start_time", "venue", "online_link"}


def _invite(meeting: Meeting) -> None:
    """Once committed, e-mail the meeting's people its invitation (or update, or cancellation)."""
    outbox.enqueue("board.tasks.meeting_invitations_task", meeting.pk)


def _calendar_changed(meeting: Meeting, fields: list[str] | None = None) -> list[str]:
    """The meeting's time, place or focus changed: its calendar SEQUENCE goes up and its
    LAST-MODIFIED moves, so every calendar takes the change; the invitations follow. Returns
    the fields to save."""
    meeting.sequence += 1
    meeting.calendar_changed_at = timezone.now()
    _invite(meeting)
    return [*(fields or []), "sequence", "calendar_changed_at"]


@actions.action("can_manage_board")
def meeting_update(*, meeting: Meeting, actor, version: int, **changes) -> Meeting:
    meeting = lock_current(meeting, version)
    if "date" in changes:
        clash = Meeting.objects.filter(
            board=meeting.board_id, date=changes["date"], cancelled_at__isnull=True
        ).exclude(pk=meeting.pk)
        if clash.exists():
            raise ValidationError({"date": f"The board already meets on {changes['date']}."})
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled; it can no longer be changed.")
    fields = [f for f in MEETING_FIELDS if f in changes]
    moved = [f for f in fields if f in CALENDAR_FIELDS and getattr(meeting, f) != changes[f]]
    for field in fields:
        setattr(meeting, field, changes[field])
    meeting.full_clean()
    meeting.version += 1
    if moved:
        fields = _calendar_changed(meeting, fields)
    meeting.save(update_fields=[*fields, "version"])
    return meeting


@actions.action("can_manage_board")
def meeting_cancel(*, meeting: Meeting, actor, version: int) -> Meeting:
    """Cancel a meeting still to come. It stays on record, and in the calendar as cancelled
    (STATUS:CANCELLED, a higher SEQUENCE); everyone invited is sent the cancellation. It leaves
    the rota and is never packed or reminded of; its date is free for another meeting."""
    if Meeting.objects.select_for_update().get(pk=meeting.pk).is_cancelled:  # a double click
        raise AlreadyDone("This meeting is already cancelled.", obj=meeting)
    meeting = lock_current(meeting, version)
    if meeting.date < theme_selectors.today():
        raise ValidationError("A meeting already held cannot be cancelled.")
    meeting.cancelled_at = timezone.now()
    meeting.version += 1
    meeting.save(update_fields=_calendar_changed(meeting, ["cancelled_at", "version"]))
    return meeting


def recurrence_dates(
    *, first: dt.date, count: int, every_weeks: int | None = None, monthly: bool = False
) -> list[dt.date]:
    """Dates of a recurring meeting: every N weeks, or monthly on the same day of the month
    (the 31st becomes the month's last day)."""
    if count < 1:
        raise ValidationError({"count": "Enter how many meetings, 1 or more."})
    if monthly:
        return [first + relativedelta(months=i) for i in range(count)]
    if not every_weeks or every_weeks < 1:
        raise ValidationError({"every_weeks": "Enter how many weeks apart, 1 or more."})
    return [first + dt.timedelta(weeks=every_weeks * i) for i in range(count)]


@actions.action("can_manage_board")
def meetings_schedule(*, board: Board, actor, dates: list[dt.date], **fields) -> list[Meeting]:
    """Add a run of meetings; dates the board already meets on are left as they are."""
    taken = set(
        Meeting.objects.filter(board=board, date__in=dates, cancelled_at__isnull=True).values_list(
            "date", flat=True
        )
    )
    created = []
    for date in dates:
        if date in taken:
            continue
        meeting = Meeting(board=board, date=date, **fields)
        meeting.full_clean()
        meeting.save()
        _invite(meeting)
        created.append(meeting)
    return created


# Rota --------------------------------------------------------------------------------------


@actions.action("can_manage_board")
def pins_save(*, meeting: Meeting, actor, version: int, states: dict) -> Meeting:
    """The pins of a meeting, from its pins form: `states` maps each theme to "in", "off" or
    "auto". Pins belong to the meeting, so they are saved from the version of the meeting the
    form was opened at (StaleEdit, listing the pins changed since, if someone saved it since)."""
    try:
        current = lock_current(meeting, version)
    except actions.StaleEdit as exc:
        exc.changes = [*exc.changes, *_pins_changed(exc.obj, version)]
        raise
    for theme, state in states.items():
        _pin_set(meeting=current, theme=theme, state=state)
    current.version += 1
    current.save(update_fields=["version"])
    return current


PIN_STATES = {"in": "Pinned to this meeting", "off": "Kept off", "auto": "Rota decides"}


def _pins_changed(meeting: Meeting, version: int) -> list[dict]:
    """The pins of `meeting` that differ now from when the meeting was at `version`."""
    return actions.rows_changed(
        meeting,
        version,
        RotaPin,
        parent="meeting",
        key="theme_id",
        value=lambda pin: "in" if pin.in_focus else "off",
        label=theme_selectors.theme_labels("Pin"),
        show=lambda state: PIN_STATES[state or "auto"],
    )


@actions.action("can_manage_board")
def pin_set(*, meeting: Meeting, theme: Theme, state: str, actor) -> None:
    """One pin, for the application's own use (the pins form saves them all with `pins_save`)."""
    _pin_set(meeting=meeting, theme=theme, state=state)


def _pin_set(*, meeting: Meeting, theme: Theme, state: str) -> None:
    """state: "in" (pinned to the meeting), "off" (kept off it) or "auto" (the rota decides)."""
    if state not in {"in", "off", "auto"}:
        raise ValidationError("Choose pinned, kept off or let the rota decide.")
    pin = RotaPin.objects.filter(meeting=meeting, theme=theme).first()
    if state == "auto":
        if pin is not None:
            pin.delete()
        return
    in_focus = state == "in"
    if pin is None:
        RotaPin(meeting=meeting, theme=theme, in_focus=in_focus).save()
    elif pin.in_focus != in_focus:
        pin.in_focus = in_focus
        pin.save(update_fields=["in_focus"])


@dataclass
class RotaChange:
    """One meeting in a proposed rota: its focus themes now and after the change."""

    meeting: Meeting
    before: list[Theme]
    after: list[Theme]

    @property
    def changed(self) -> bool:
        return {t.pk for t in self.before} != {t.pk for t in self.after}


@dataclass
class RotaProposal:
    """What "Generate the rota" would do, before it does it."""

    changes: list[RotaChange] = dataclasses.field(default_factory=list)
    locked: list[Meeting] = dataclasses.field(default_factory=list)  # to come, but kept as they are
    error: str = ""

    @property
    def changed(self) -> list[RotaChange]:
        return [c for c in self.changes if c.changed]

    def plan(self) -> dict[str, dict[str, list[int]]]:
        """The proposal as JSON: per meeting id, its focus theme ids before and after."""
        return {
            str(c.meeting.pk): {
                "before": sorted(t.pk for t in c.before),
                "after": sorted(t.pk for t in c.after),
            }
            for c in self.changes
        }

    @property
    def fingerprint(self) -> str:
        """Names this exact proposal: confirming a preview that is out of date is refused."""
        return _sha256(json.dumps([self.plan(), self.error], sort_keys=True).encode())[:16]


def _planned_meetings(board: Board, today: dt.date) -> tuple[list[Meeting], list[Meeting]]:
    """Meetings still to be held, split into those whose focus can change and those that keep
    it: a meeting whose pack is published, or whose pack deadline has passed (its leads have
    been working to it, and the pack may be built), is never moved."""
    days = selectors.board_settings(board).pack_days_before
    open_, locked = [], []
    for meeting in selectors.meetings_with_rota(board).filter(date__gte=today):
        published = any(p.is_published for p in meeting.packs.all())
        deadline_passed = meeting.date - dt.timedelta(days=days) < today
        (locked if published or deadline_passed else open_).append(meeting)
    return open_, locked


def rota_propose(*, board: Board, today: dt.date | None = None) -> RotaProposal:
    """Plan the focus themes of every meeting still open to change, without saving anything.
    The pins are kept; `error` says why no rota keeps the rules, if none does."""
    today = today or theme_selectors.today()
    meetings, locked = _planned_meetings(board, today)
    themes = list(Theme.objects.filter(programme=board.programme_id).order_by("number"))
    by_id = {t.pk: t for t in themes}
    proposal = RotaProposal(locked=locked)
    if not meetings:
        return proposal
    earlier = list(selectors.meetings_with_rota(board).filter(date__lt=meetings[0].date))
    pinned = {i: {p.theme_id for p in m.pins.all() if p.in_focus} for i, m in enumerate(meetings)}
    kept_off = {
        i: {p.theme_id for p in m.pins.all() if not p.in_focus} for i, m in enumerate(meetings)
    }
    try:
        plan = rota_build(
            themes=list(by_id),
            meetings=len(meetings),
            per_meeting=board.themes_per_meeting,
            pinned=pinned,
            kept_off=kept_off,
            previous=[s.theme_id for s in earlier[-1].slots.all()] if earlier else (),
            earlier_groups=[[s.theme_id for s in m.slots.all()] for m in earlier],
            current={i: [s.theme_id for s in m.slots.all()] for i, m in enumerate(meetings)},
        )
    except RotaImpossible as exc:
        proposal.error = str(exc)
        return proposal
    for meeting, group in zip(meetings, plan, strict=True):
        proposal.changes.append(
            RotaChange(
                meeting=meeting,
                before=sorted((s.theme for s in meeting.slots.all()), key=lambda t: t.number),
                after=sorted((by_id[t] for t in group), key=lambda t: t.number),
            )
        )
    return proposal


@actions.action("can_manage_board")
def rota_request(*, board: Board, actor, fingerprint: str | None = None) -> RotaRun:
    """Apply the rota. With the `fingerprint` of a previewed proposal, that proposal is what is
    applied, and only if nothing has changed since the preview."""
    if not board.themes_per_meeting:
        raise ValidationError(f"{board} does not meet on a rota.")
    plan = None
    if fingerprint is not None:
        proposal = rota_propose(board=board)
        if proposal.fingerprint != fingerprint:
            raise ValidationError(
                "The calendar, the pins or the rota changed since you previewed it. "
                "Check the changes below and confirm again."
            )
        if proposal.error:
            raise ValidationError(f"The rota could not be planned: {proposal.error}")
        plan = proposal.plan()
    run = RotaRun.objects.create(board=board, requested_by=actor, plan=plan)
    outbox.enqueue("board.tasks.rota_plan_task", run.pk)
    return run


def _next_focus(board: Board, today: dt.date) -> dict[int, Meeting]:
    """{theme id: the next meeting it is in focus at}, from today."""
    found: dict[int, Meeting] = {}
    for meeting in selectors.meetings_with_rota(board).filter(date__gte=today):
        for slot in meeting.slots.all():
            found.setdefault(slot.theme_id, meeting)
    return found


def _tell_leads(board: Board, before: dict[int, Meeting], after: dict[int, Meeting]) -> None:
    """E-mail each lead whose theme's next focus date changed, once the rota is saved."""
    settings = selectors.board_settings(board)
    messages = []
    for theme in Theme.objects.filter(programme=board.programme_id).select_related("lead"):
        old, new = before.get(theme.pk), after.get(theme.pk)
        if (old and old.date) == (new and new.date) or theme.lead is None or not theme.lead.email:
            continue
        deadline = selectors.pack_deadline(new, settings) if new else None
        context = {
            "theme": theme,
            "lead": theme.lead,
            "board": board,
            "old": old,
            "new": new,
            "deadline": deadline,
            "period": expected_report_period(deadline) if deadline else None,
        }
        context["link"] = site_url(theme.part_url("board"))
        messages.append(email_message("board/email/focus_moved", context, to=[theme.lead.email]))

    def send():
        for message in messages:
            try:
                message.send()
            except Exception:  # the rota stands; the log says who was not told
                logger.exception("Focus-date change not e-mailed to %s", message.to[0])

    transaction.on_commit(send)


@actions.action("system")
def rota_plan(*, run_id: int, actor=None, today: dt.date | None = None) -> RotaRun:
    """Apply a rota run: the plan previewed and confirmed (refused if a meeting's focus changed
    since), or a fresh plan. A run already finished is left alone, so a redelivered task is a
    no-op. Each lead whose theme's next focus date moved is e-mailed."""
    run = RotaRun.objects.select_for_update().select_related("board").get(pk=run_id)
    if run.status != RotaRun.Status.PENDING:
        return run
    board, user = run.board, run.requested_by
    today = today or theme_selectors.today()

    def finish(status, message):
        run.status, run.message, run.finished_at = status, message, timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        return run

    if run.plan is None:
        proposal = rota_propose(board=board, today=today)
        if proposal.error:
            return finish(RotaRun.Status.FAILED, proposal.error)
        plan = proposal.plan()
    else:
        plan = run.plan
    meetings = {
        m.pk: m for m in selectors.meetings_with_rota(board).filter(pk__in=[int(k) for k in plan])
    }
    for key, entry in plan.items():
        meeting = meetings.get(int(key))
        current = sorted(s.theme_id for s in meeting.slots.all()) if meeting else None
        if current != entry["before"]:
            return finish(
                RotaRun.Status.FAILED,
                "The rota changed after it was previewed; nothing was applied. Preview it again.",
            )
    # What the leads are told is about meetings still to come, even when the run is planned as
    # of an earlier day (the demo's first rota): a meeting already held is never "next".
    told_from = max(today, theme_selectors.today())
    focus_before = _next_focus(board, told_from)
    by_id = {t.pk: t for t in Theme.objects.filter(programme=board.programme_id)}
    changed = 0
    with history_user(user):  # the plan is the change of the person who asked for it
        for key, entry in plan.items():
            meeting = meetings[int(key)]
            wanted = set(entry["after"])
            for slot in meeting.slots.all():
                if slot.theme_id not in wanted:
                    slot.delete()
                    changed += 1
            for theme_id in sorted(wanted - set(entry["before"])):
                RotaSlot(meeting=meeting, theme=by_id[theme_id]).save()
                changed += 1
            if wanted != set(entry["before"]):  # its focus changed: calendars take the update
                meeting.save(update_fields=_calendar_changed(meeting))
    _tell_leads(board, focus_before, _next_focus(board, told_from))
    return finish(
        RotaRun.Status.DONE,
        f"Planned {len(plan)} meetings; {changed} focus changes."
        if plan
        else "No meetings to plan: add meetings to the calendar first.",
    )


# Minutes, decisions and actions ---------------------------------------------------------------


@actions.action("can_manage_board")
def minutes_save(*, meeting: Meeting, minutes: str, actor, version: int) -> Meeting:
    """Save the minutes, from the version of the meeting the editor opened (StaleEdit if
    someone else changed it since)."""
    meeting = lock_current(meeting, version)
    meeting.minutes = minutes.strip()
    meeting.version += 1
    meeting.save(update_fields=["minutes", "version"])
    return meeting


@actions.action("can_manage_board")
def decision_add(
    *,
    meeting: Meeting,
    text: str,
    actor,
    theme=None,
    restricted=False,
    report=None,
    outcome: str = "",
    conditions: str = "",
) -> Decision:
    """Record a decision of the Board. With `report`, it answers what that highlight report asked
    the Board ("Decisions needed from the Board"): agreed, declined or deferred, with any
    conditions; its lead is e-mailed the answer (through the outbox) and sees it on their home."""
    errors = {}
    if not text.strip():
        errors["text"] = "Enter the decision."
    if outcome and outcome not in Decision.Outcome.values:
        errors["outcome"] = "Choose agreed, declined or deferred."
    if report is not None:
        if report.theme.programme_id != meeting.board.programme_id:
            errors["report"] = "That highlight report is not one of this programme's."
        elif not outcome:
            errors["outcome"] = "Choose whether the Board agreed, declined or deferred it."
        theme = report.theme
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        meeting=meeting,
        text=text.strip(),
        theme=theme,
        restricted=restricted,
        report=report,
        asked=report.decisions_needed.strip() if report is not None else "",
        outcome=outcome,
        conditions=conditions.strip(),
    )
    decision.save()
    if decision.outcome and report is not None and theme.lead_id:
        outbox.enqueue("board.tasks.decision_tell_lead_task", decision.pk)
    return decision


@actions.action("system", atomic=False)
def decision_tell_lead(*, decision_id: int, actor=None) -> bool:
    """E-mail the lead of the theme a decision is about the Board's answer, once: the decision
    keeps when it was sent, so a redelivered task sends nothing."""
    from django.urls import reverse

    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("meeting__board", "theme__lead")
            .get(pk=decision_id)
        )
        lead = decision.theme.lead if decision.theme else None
        if decision.lead_told_at is not None or lead is None or not lead.email:
            return False
        context = {
            "decision": decision,
            "lead": lead,
            "meeting": decision.meeting,
            "link": site_url(
                reverse("board:meeting", kwargs={"pk": decision.meeting_id})
                + f"#decision-{decision.pk}"
            ),
        }
        send_email("board/email/decision", context, to=[lead.email])
        decision.lead_told_at = timezone.now()
        decision.save(update_fields=["lead_told_at"])
    return True


@actions.action("can_manage_board")
def action_add(
    *,
    meeting: Meeting,
    actor,
    description: str,
    owner,
    due_date: dt.date,
    theme=None,
    restricted: bool = False,
) -> Action:
    action = Action(
        meeting=meeting,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
        theme=theme,
        restricted=restricted,
    )
    action.full_clean()
    action.save()
    if owner.email:
        outbox.enqueue("board.tasks.action_tell_owner_task", action.pk)
    return action


@actions.action("system", atomic=False)
def action_tell_owner(*, action_id: int, actor=None) -> bool:
    """E-mail an action's owner that the Board gave it to them, with a link to it. Once: the
    action keeps when they were told, so a redelivered task sends nothing."""
    from django.urls import reverse

    with transaction.atomic():
        action = (
            Action.objects.select_for_update(of=("self",))
            .select_related("meeting__board", "owner", "theme")
            .get(pk=action_id)
        )
        if action.owner_told_at is not None or not action.owner.email or not action.is_open:
            return False
        context = {
            "action": action,
            "owner": action.owner,
            "meeting": action.meeting,
            "link": site_url(reverse("board:action_update", kwargs={"pk": action.pk})),
        }
        send_email("board/email/action_assigned", context, to=[action.owner.email])
        action.owner_told_at = timezone.now()
        action.save(update_fields=["owner_told_at"])
    return True


@actions.action("can_update_action", on="action")
def action_update(
    *, action: Action, actor, version: int, status: str, progress_note: str
) -> Action:
    action = lock_current(action, version)
    if status not in Action.Status.values:
        raise ValidationError({"status": "Choose a status."})
    action.status = status
    action.progress_note = progress_note.strip()
    # Closing an action stamps the day; reopening it clears it, so carry-forward stays right.
    action.closed_on = (
        (action.closed_on or theme_selectors.today()) if status == Action.Status.DONE else None
    )
    action.version += 1
    action.save(update_fields=["status", "progress_note", "closed_on", "version"])
    return action


# Meeting packs -------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot_bytes(snapshot: dict) -> bytes:
    """The canonical bytes of a snapshot, which its checksum is taken over."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":")).encode()


@actions.action("can_manage_board")
def pack_request(*, meeting: Meeting, actor) -> MeetingPack:
    """Build the meeting's pack (version 1), or rebuild its unpublished newest version. A
    published pack is frozen: asking again changes nothing (a re-issue is `pack_reissue`)."""
    return _pack_request(meeting)


def _pack_request(meeting: Meeting) -> MeetingPack:
    if Meeting.objects.select_for_update().get(pk=meeting.pk).is_cancelled:
        raise ValidationError("This meeting was cancelled: it has no pack.")
    pack = MeetingPack.objects.filter(meeting=meeting).order_by("-version").first()
    if pack is None:
        try:
            with transaction.atomic():
                pack = MeetingPack(meeting=meeting, version=1)
                pack.save()
        except IntegrityError:  # someone else made it first: theirs stands
            return MeetingPack.objects.get(meeting=meeting, version=1)
    elif pack.is_published:
        return pack
    else:
        pack.status, pack.error = MeetingPack.Status.BUILDING, ""
        pack.build_attempt += 1
        pack.save(update_fields=["status", "error", "build_attempt"])
    outbox.enqueue("board.tasks.pack_build_task", pack.pk, pack.build_attempt)
    return pack


@actions.action("system", atomic=False)
def pack_build(*, pack_id: int, attempt: int, actor=None) -> MeetingPack:
    """Snapshot the programme for the meeting, render the HTML and PDF and store them. Only the
    attempt the pack is waiting for is built: a redelivered or superseded task does nothing."""
    from . import packs

    pack = MeetingPack.objects.select_related("meeting__board").get(pk=pack_id)
    if pack.status != MeetingPack.Status.BUILDING or pack.build_attempt != attempt:
        return pack
    try:
        snapshot = packs.pack_snapshot(meeting=pack.meeting, version=pack.version)
        snapshot["pack"]["reason"] = pack.reason
        html, document = packs.render_pack(snapshot)
        pdf = packs.render_pdf(document)
    except Exception as exc:  # shown on the page with a retry button; the log has the trace
        logger.exception("Pack %s failed to build", pack_id)
        MeetingPack.objects.filter(pk=pack_id, build_attempt=attempt).update(
            status=MeetingPack.Status.FAILED, error=f"{type(exc).__name__}: {exc}"
        )
        summaries.data_changed(summaries.BOARD)  # an update() sends no model signal
        pack.refresh_from_db()
        return pack
    with transaction.atomic():
        pack = MeetingPack.objects.select_for_update().get(pk=pack_id)
        if pack.status != MeetingPack.Status.BUILDING or pack.build_attempt != attempt:
            return pack
        data = snapshot_bytes(snapshot)
        pack.snapshot = snapshot
        pack.snapshot_sha256 = _sha256(data)
        pack.pdf_sha256 = _sha256(pdf)
        pack.html.save("pack.html", ContentFile(html.encode()), save=False)
        pack.pdf.save("pack.pdf", ContentFile(pdf), save=False)
        pack.status, pack.error, pack.built_at = MeetingPack.Status.READY, "", timezone.now()
        pack.save()
    return pack


@actions.action("can_manage_board")
def pack_publish(*, pack: MeetingPack, actor) -> MeetingPack:
    pack = MeetingPack.objects.select_for_update().get(pk=pack.pk)
    if pack.is_published:  # a double click, or someone else published it a moment ago
        raise AlreadyDone("This pack is already published: board members can open it.", pack)
    if pack.status != MeetingPack.Status.READY:
        raise ValidationError("Only a pack that has finished building can be published.")
    pack.status = MeetingPack.Status.PUBLISHED
    pack.published_at, pack.published_by = timezone.now(), actor
    pack.save(update_fields=["status", "published_at", "published_by"])
    outbox.enqueue("board.tasks.pack_tell_board_task", pack.pk)
    return pack


@actions.action("system", atomic=False)
def pack_tell_board(*, pack_id: int, actor=None) -> int:
    """E-mail each board member (and the lead of each theme in focus, who presents it) that the
    pack is published, with a link to it. Once: the pack keeps when they were told."""

    with transaction.atomic():
        pack = (
            MeetingPack.objects.select_for_update(of=("self",))
            .select_related("meeting__board")
            .get(pk=pack_id)
        )
        if pack.board_told_at is not None or not pack.is_published:
            return 0
        meeting = pack.meeting
        people = _board_and_presenters(meeting)
        context = {
            "pack": pack,
            "meeting": meeting,
            "focus": [s.theme.title for s in meeting.slots.select_related("theme")],
            "link": site_url(pack.get_absolute_url()),
        }
        sent = 0
        for person in people:
            try:
                send_email("board/email/pack_published", context, to=[person.email])
            except Exception:  # the pack stands; the log says who was not told
                logger.exception("Pack publication not e-mailed to %s", person.email)
                continue
            sent += 1
        pack.board_told_at = timezone.now()
        pack.save(update_fields=["board_told_at"])
    return sent


def _board_and_presenters(meeting: Meeting):
    """The meeting's people: every board member, and the lead of each theme in its focus (who
    presents it), active and with an e-mail address."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from havering_improve import roles

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__name=roles.BOARD_MEMBER)
            | Q(groups__name=roles.PROJECT_LEAD, led_themes__rota_slots__meeting=meeting)
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


@actions.action("system", atomic=False)
def meeting_invitations_send(*, meeting_id: int, actor=None) -> int:
    """Put the meeting in its people's calendars (iMIP, RFC 6047): each board member and each
    focus theme's lead is sent a METHOD:REQUEST invitation, and again (same UID, higher
    SEQUENCE) when its time, place or focus changes; a cancelled meeting is sent as
    METHOD:CANCEL to everyone who had it. A lead whose theme leaves the focus is sent a
    cancellation of their own (what Outlook itself does when an organiser removes an
    attendee), and the others' update no longer lists them. The meeting keeps who holds it at
    which sequence, so a redelivered task sends nothing twice. Meetings already held are left
    alone. Returns the number of messages sent."""
    from .invitations import invitation_message

    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("board")
            .get(pk=meeting_id)
        )
        held = set(meeting.invitations.get("to", []))
        if meeting.is_cancelled:
            people, to_request, to_cancel = [], [], sorted(held)
        elif meeting.date < theme_selectors.today():
            return 0
        else:
            people = list(_board_and_presenters(meeting))
            current = {person.email for person in people}
            fresh = meeting.invitations.get("sequence") != meeting.sequence
            to_request = [p for p in people if fresh or p.email not in held]
            to_cancel = sorted(held - current)
        if not to_request and not to_cancel:
            return 0
        attendees = [(p.get_full_name() or p.email, p.email) for p in people] or [
            (email, email) for email in to_cancel
        ]
        sent = 0
        for email, method in [(p.email, "REQUEST") for p in to_request] + [
            (email, "CANCEL") for email in to_cancel
        ]:
            message = invitation_message(
                meeting=meeting,
                method=method,
                to=email,
                # a cancellation for one lead names only them, so it takes the meeting out of
                # their calendar and no one else's
                attendees=attendees if method == "REQUEST" or meeting.is_cancelled else [],
            )
            try:
                message.send()
            except Exception:  # the meeting stands; the log says who was not sent it
                logger.exception("Meeting %s %s not e-mailed to %s", meeting.pk, method, email)
                continue
            sent += 1
            if method == "CANCEL":
                held.discard(email)
            else:
                held.add(email)
        meeting.invitations = {"sequence": meeting.sequence, "to": sorted(held)}
        meeting.skip_history_when_saving = True  # the e-mail's bookkeeping, not a change to it
        meeting.save(update_fields=["invitations"])
    return sent


@actions.action("can_manage_board")
def pack_reissue(*, pack: MeetingPack, reason: str, actor) -> MeetingPack:
    """A new numbered version of a published pack, built from today's data, with its reason."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the pack is being re-issued."})
    Meeting.objects.select_for_update().get(pk=pack.meeting_id)  # one re-issue at a time
    newest = _newest_pack(pack.meeting_id)
    if not newest.is_published:
        raise _already_reissued(newest)
    new = MeetingPack(meeting=newest.meeting, version=newest.version + 1, reason=reason.strip())
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError:  # re-issued a moment ago by a second click: that one stands
        raise _already_reissued(_newest_pack(pack.meeting_id)) from None
    outbox.enqueue("board.tasks.pack_build_task", new.pk, new.build_attempt)
    return new


def _newest_pack(meeting_id: int) -> MeetingPack:
    return MeetingPack.objects.filter(meeting=meeting_id).order_by("-version").first()


def _already_reissued(newest: MeetingPack) -> AlreadyDone:
    return AlreadyDone(
        f"Version {newest.version} of the pack is already being prepared: check it and publish "
        "it, or rebuild it with today's data.",
        newest,
    )


@actions.action("system")
def packs_due(*, actor=None, today: dt.date | None = None) -> list[int]:
    """Start the pack of each meeting whose pack day has come. Version 1 is unique per meeting,
    so running this twice starts each pack once."""
    today = today or theme_selectors.today()
    started = []
    for board in Board.objects.filter(kind=Board.Kind.IMPROVEMENT_BOARD):
        settings = selectors.board_settings(board)
        latest = today + dt.timedelta(days=settings.pack_days_before)
        due = Meeting.objects.filter(
            board=board,
            date__gte=today,
            date__lte=latest,
            packs__isnull=True,
            cancelled_at__isnull=True,
        )
        for meeting in due:
            started.append(_pack_request(meeting).pk)
    return started


# Highlight-report reminders ------------------------------------------------------------------


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The date n working days (Monday to Friday) before `day`. Bank holidays are not known
    to the app, so a reminder may land on one."""
    while n > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


@actions.action("system", atomic=False)
def reminders_send(*, actor=None, today: dt.date | None = None) -> int:
    """Email each focus theme's lead whose highlight report for a coming meeting's pack is not
    in: N working days before the pack deadline, and on the deadline day. A ReminderSent row per
    (meeting, theme, kind) is unique, so running the job twice sends each reminder once."""
    from .models import ReminderSent

    today = today or theme_selectors.today()
    sent = 0
    for board in Board.objects.filter(kind=Board.Kind.IMPROVEMENT_BOARD):
        settings = selectors.board_settings(board)
        upcoming = (
            Meeting.objects.filter(board=board, date__gt=today, cancelled_at__isnull=True)
            .prefetch_related("slots__theme__lead")
            .order_by("date")
        )
        for meeting in upcoming:
            deadline = selectors.pack_deadline(meeting, settings)
            if today == deadline:
                kind = ReminderSent.Kind.DEADLINE
            elif today == working_days_before(deadline, settings.reminder_working_days):
                kind = ReminderSent.Kind.AHEAD
            else:
                continue
            # The convention (themes.selectors): the pack shows the period due by its deadline.
            expected = expected_report_period(deadline)
            for slot in meeting.slots.all():
                theme, lead = slot.theme, slot.theme.lead
                if lead is None or not lead.email:
                    continue
                latest = theme_selectors.latest_submitted_report(theme)
                if latest is not None and latest.period >= expected:
                    continue
                try:
                    with transaction.atomic():
                        record = ReminderSent.objects.create(
                            meeting=meeting, theme=theme, kind=kind, recipient=lead.email
                        )
                except IntegrityError:
                    continue  # already sent by an earlier run
                context = {
                    "meeting": meeting,
                    "theme": theme,
                    "lead": lead,
                    "deadline": deadline,
                    "period": expected,
                    "period_due": report_due_date(expected),
                    "kind": kind,
                    "today": today,
                    "link": site_url(_report_to_write(theme, expected)),
                }
                try:
                    send_email("board/email/reminder", context, to=[lead.email])
                except Exception:
                    # Not sent: drop the record so the next run tries again.
                    logger.exception("Reminder to %s not sent", lead.email)
                    record.delete()
                    continue
                sent += 1
    return sent


def _report_to_write(theme, period: dt.date) -> str:
    """Where a lead writes the period's report: its draft if one is started, else the page that
    starts it with that month chosen."""
    from django.urls import reverse

    draft = (
        theme.highlight_reports.filter(period=period, status="draft").order_by("-revision").first()
    )
    if draft is not None:
        return reverse("themes:report_edit", kwargs={"slug": theme.slug, "pk": draft.pk})
    start = reverse("themes:report_start", kwargs={"slug": theme.slug})
    return f"{start}?period={period:%Y-%m-%d}"


# Scheduled progress reports ------------------------------------------------------------------


def report_period(frequency: str, *, containing: dt.date) -> tuple[dt.date, dt.date]:
    """The month or quarter (January–March, April–June…, so also financial-year quarters)
    that contains a date."""
    from .models import ReportSchedule

    if frequency == ReportSchedule.Frequency.MONTHLY:
        start = containing.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)
    start = containing.replace(month=(containing.month - 1) // 3 * 3 + 1, day=1)
    return start, start + relativedelta(months=3, days=-1)


def report_due_period(schedule, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The last period that has ended and whose send day has come."""
    start, _ = report_period(schedule.frequency, containing=today)
    previous_start, previous_end = report_period(
        schedule.frequency, containing=start - dt.timedelta(days=1)
    )
    send_on = start + dt.timedelta(days=schedule.send_day - 1)
    if today >= send_on:
        return previous_start, previous_end
    return report_period(schedule.frequency, containing=previous_start - dt.timedelta(days=1))


# A schedule started long ago, or a beat down for a long time, catches up at most this many.
CATCH_UP_PERIODS = 24


def report_periods_due(schedule, *, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Every period the schedule owes a report for by `today`, oldest first: from its first
    period (if set) to the last one whose send day has come."""
    start, end = report_due_period(schedule, today=today)
    if schedule.first_period is None:
        return [(start, end)]
    first = report_period(schedule.frequency, containing=schedule.first_period)[0]
    periods = []
    while start >= first and len(periods) < CATCH_UP_PERIODS:
        periods.append((start, end))
        start, end = report_period(schedule.frequency, containing=start - dt.timedelta(days=1))
    return periods[::-1]


def report_send_date(schedule, period_end: dt.date) -> dt.date:
    """The day a period's report goes out: `send_day` of the month after the period."""
    return period_end + dt.timedelta(days=schedule.send_day)


def _report_create(schedule, start: dt.date, end: dt.date):
    """The report for one period, queued to be made and sent; None if it exists already."""
    from .models import ProgressReport

    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                schedule=schedule, period_start=start, period_end=end
            )
            outbox.enqueue("board.tasks.report_generate_task", report.pk)
    except IntegrityError:
        return None
    return report


@actions.action("system", atomic=False)
def reports_due(*, actor=None, today: dt.date | None = None) -> list[int]:
    """Make the reports each active schedule owes. One report per schedule and period (a unique
    constraint), so beat running twice on a day makes and sends each once."""
    from .models import ReportSchedule

    today = today or theme_selectors.today()
    made = []
    for schedule in ReportSchedule.objects.filter(active=True):
        for start, end in report_periods_due(schedule, today=today):
            report = _report_create(schedule, start, end)
            if report is not None:
                made.append(report.pk)
    return made


@actions.action("can_manage_board")
def report_make_now(*, schedule, actor, today: dt.date | None = None):
    """ "Make this report now": the report for the latest period that has ended, without
    waiting for its send day. Refused, naming it, if that report exists."""
    from .models import ProgressReport

    today = today or theme_selectors.today()
    current_start, _ = report_period(schedule.frequency, containing=today)
    start, end = report_period(schedule.frequency, containing=current_start - dt.timedelta(days=1))
    report = _report_create(schedule, start, end)
    if report is None:
        existing = ProgressReport.objects.get(schedule=schedule, period_start=start)
        raise ValidationError(
            f"The report for the period ending {end:%-d %B %Y} has been made already "
            f"({existing.get_status_display().lower()})."
        )
    return report


def report_attachment_name(report) -> str:
    """The PDF's file name: the body it is for and the period, so the reports to two bodies
    for one month never share a name in someone's downloads."""
    board = report.schedule.board
    months = f"{report.period_start:%Y-%m}"
    if report.period_end.replace(day=1) != report.period_start:
        months += f"-to-{report.period_end:%Y-%m}"
    return f"{board.slug}-progress-report-{months}.pdf"


def _progress_report_context(report) -> dict:
    """What a progress report's e-mail says: to whom, what it covers, who sends it."""
    from django.contrib.auth import get_user_model

    from havering_improve import roles

    board = report.schedule.board
    programme = board.programme
    managers = (
        get_user_model()
        .objects.filter(groups__name=roles.PROGRAMME_MANAGER, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    improvement_board = (
        Board.objects.filter(programme=programme, kind=Board.Kind.IMPROVEMENT_BOARD)
        .order_by("order")
        .first()
    )
    return {
        "report": report,
        "board": board,
        "programme": programme,
        "period": report.snapshot["period"],
        "sections": [
            report.snapshot["section_titles"][key]
            for key in report.snapshot.get("sections", [])
            if key in report.snapshot.get("section_titles", {})
        ],
        "senders": [m.get_full_name() or m.username for m in managers],
        "improvement_board": improvement_board,
        "attachment": report_attachment_name(report),
    }


@actions.action("system", atomic=False)
def report_generate(*, report_id: int, actor=None):
    """Render the report from a snapshot, store it, and email it to each recipient not yet sent
    it (a ReportDelivery per recipient is unique)."""
    from . import packs
    from .models import ProgressReport, ReportDelivery

    report = ProgressReport.objects.select_related("schedule__board").get(pk=report_id)
    if report.status == ProgressReport.Status.SENT:
        return report
    schedule = report.schedule
    try:
        if not report.snapshot:
            # A report is as at its send day: one made later (a catch-up) shows no more.
            send_day = report_send_date(schedule, report.period_end)
            as_of = min(
                timezone.now(),
                timezone.make_aware(dt.datetime.combine(send_day, dt.time.max)),
            )
            snapshot = packs.report_snapshot(
                schedule=schedule,
                period_start=report.period_start,
                period_end=report.period_end,
                as_of=as_of,
            )
            html = packs.render_report_html(snapshot)
            pdf = packs.render_pdf(packs.render_report_document(snapshot))
            report.snapshot = snapshot
            report.snapshot_sha256 = _sha256(snapshot_bytes(snapshot))
            report.html.save("report.html", ContentFile(html.encode()), save=False)
            report.pdf.save("report.pdf", ContentFile(pdf), save=False)
            report.generated_at = timezone.now()
            report.save()
        context = _progress_report_context(report)
        done = set(report.deliveries.values_list("recipient", flat=True))
        pdf_bytes = report.pdf.open("rb").read()
        report.pdf.close()
        for recipient in schedule.recipient_list:
            if recipient in done:
                continue
            try:
                with transaction.atomic():
                    ReportDelivery.objects.create(report=report, recipient=recipient)
            except IntegrityError:
                continue
            message = email_message(
                "board/email/progress_report",
                context,
                to=[recipient],
                attachments=[(report_attachment_name(report), pdf_bytes, "application/pdf")],
            )
            try:
                message.send()
            except Exception:
                ReportDelivery.objects.filter(report=report, recipient=recipient).delete()
                raise
    except Exception as exc:
        logger.exception("Progress report %s failed", report_id)
        report.status, report.error = ProgressReport.Status.FAILED, f"{type(exc).__name__}: {exc}"
        report.save(update_fields=["status", "error"])
        return report
    report.status, report.error = ProgressReport.Status.SENT, ""
    report.save(update_fields=["status", "error"])
    return report


@actions.action("can_manage_board")
def report_retry(*, report, actor) -> None:
    from .models import ProgressReport

    if report.status != ProgressReport.Status.FAILED:
        raise ValidationError("Only a failed report can be tried again.")
    report.status = ProgressReport.Status.BUILDING
    report.save(update_fields=["status"])
    outbox.enqueue("board.tasks.report_generate_task", report.pk)


@actions.action("can_manage_board")
def schedule_save(*, board: Board, actor, version: int | None = None, **fields):
    from .models import ReportSchedule

    if board.kind != Board.Kind.REPORTING_BODY:
        raise ValidationError(f"{board} is not a body that receives progress reports.")
    return _board_row_save(ReportSchedule, board, version, fields)


@actions.action("can_manage_board")
def board_settings_save(*, board: Board, actor, version: int | None = None, **fields):
    """When packs are built and leads reminded, for the board."""
    from .models import BoardSettings

    return _board_row_save(BoardSettings, board, version, fields)


def _board_row_save(model, board: Board, version: int | None, fields: dict):
    """The board's one row of `model` (its report schedule, its settings), made or changed from
    the `version` its form was opened at (see `havering_improve.actions.save_current`)."""
    return actions.save_current(
        model.objects.filter(board=board).first() or model(board=board), version, fields
    )
