"""Meeting packs: requested (or due by the calendar), built from a snapshot of the programme as
HTML and PDF, published to the Board (each member told once), and re-issued as a new numbered
version. A published pack is frozen."""

import datetime as dt
import hashlib
import json
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from board import selectors as board_selectors
from board.models import Board, Meeting
from havering_improve import actions, outbox, summaries
from havering_improve.errors import AlreadyDone
from havering_improve.mail import send_email, site_url
from themes import selectors as theme_selectors

from ..documents import pdf_of, render_pack
from ..models import MeetingPack
from ..snapshot import pack_snapshot

logger = logging.getLogger(__name__)


def checksum(data: bytes) -> str:
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
    outbox.enqueue("reporting.tasks.pack_build_task", pack.pk, pack.build_attempt)
    return pack


@actions.action("system", atomic=False)
def pack_build(*, pack_id: int, attempt: int, actor=None) -> MeetingPack:
    """Snapshot the programme for the meeting, render the HTML and PDF and store them. Only the
    attempt the pack is waiting for is built: a redelivered or superseded task does nothing."""
    pack = MeetingPack.objects.select_related("meeting__board").get(pk=pack_id)
    if pack.status != MeetingPack.Status.BUILDING or pack.build_attempt != attempt:
        return pack
    try:
        snapshot = pack_snapshot(meeting=pack.meeting, version=pack.version)
        snapshot["pack"]["reason"] = pack.reason
        html, document = render_pack(snapshot)
        pdf = pdf_of(document)
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
        pack.snapshot_sha256 = checksum(data)
        pack.pdf_sha256 = checksum(pdf)
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
    outbox.enqueue("reporting.tasks.pack_tell_board_task", pack.pk)
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
        people = board_selectors.meeting_people(meeting)
        context = {
            "pack": pack,
            "meeting": meeting,
            "focus": [s.theme.title for s in meeting.slots.select_related("theme")],
            "link": site_url(pack.get_absolute_url()),
        }
        sent = 0
        for person in people:
            try:
                send_email("reporting/email/pack_published", context, to=[person.email])
            except Exception:  # the pack stands; the log says who was not told
                logger.exception("Pack publication not e-mailed to %s", person.email)
                continue
            sent += 1
        pack.board_told_at = timezone.now()
        pack.save(update_fields=["board_told_at"])
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
    outbox.enqueue("reporting.tasks.pack_build_task", new.pk, new.build_attempt)
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
        settings = board_selectors.board_settings(board)
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
