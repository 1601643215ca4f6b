"""The rota: which themes are in focus at each meeting to come. Pins put a theme in focus at a
meeting (or keep it off); "Generate the rota" previews the planner's answer (`board.rota`) and,
once confirmed, a run applies it and tells each lead whose theme's next focus date moved."""

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from havering_improve import actions, outbox
from havering_improve.actions import history_user, lock_current
from havering_improve.mail import email_message, site_url
from themes import selectors as theme_selectors
from themes.models import Theme
from themes.selectors import expected_report_period

from .. import selectors
from ..models import Board, Meeting, RotaPin, RotaRun, RotaSlot
from ..rota import RotaImpossible, rota_build
from .calendar import calendar_changed

logger = logging.getLogger(__name__)


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
        return hashlib.sha256(
            json.dumps([self.plan(), self.error], sort_keys=True).encode()
        ).hexdigest()[:16]


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
                meeting.save(update_fields=calendar_changed(meeting))
    _tell_leads(board, focus_before, _next_focus(board, told_from))
    return finish(
        RotaRun.Status.DONE,
        f"Planned {len(plan)} meetings; {changed} focus changes."
        if plan
        else "No meetings to plan: add meetings to the calendar first.",
    )
