"""The annual engagement meeting with Ofsted: its date and who attended, Ofsted's follow-up
letter (kept, never published) and the actions arising, which their owners update."""

import datetime as dt

from django.core.exceptions import ValidationError

from havering_improve import roles, uploads
from havering_improve.actions import action, save_current
from programme.models import Programme

from ..models import EngagementAction, EngagementMeeting, SelfEvaluation

LETTER_KINDS = ("pdf", "docx")


@action("can_edit_self_evaluation")
def engagement_meeting_record(
    *,
    actor,
    programme: Programme,
    date: dt.date,
    attendees: str,
    notes: str,
    self_evaluation: SelfEvaluation | None,
) -> EngagementMeeting:
    if self_evaluation is not None and self_evaluation.programme_id != programme.pk:
        raise ValidationError({"self_evaluation": "Choose one of this programme's."})
    meeting = EngagementMeeting(
        programme=programme,
        date=date,
        attendees=attendees.strip(),
        notes=notes.strip(),
        self_evaluation=self_evaluation,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


@action("can_edit_self_evaluation")
def engagement_meeting_update(
    *,
    actor,
    meeting: EngagementMeeting,
    version: int | None,
    date: dt.date,
    attendees: str,
    notes: str,
    self_evaluation: SelfEvaluation | None,
) -> EngagementMeeting:
    fields = {
        "date": date,
        "attendees": attendees.strip(),
        "notes": notes.strip(),
        "self_evaluation": self_evaluation,
    }
    return save_current(meeting, version, fields)


@action("can_edit_self_evaluation")
def engagement_letter_upload(*, actor, meeting: EngagementMeeting, upload) -> EngagementMeeting:
    """Ofsted's letter after the meeting: checked by its content, stored, read only by those
    who read the meeting (it is not published)."""
    kind = uploads.validate_upload(upload, kinds=LETTER_KINDS)
    meeting = EngagementMeeting.objects.select_for_update().get(pk=meeting.pk)
    limit = EngagementMeeting._meta.get_field("letter_name").max_length
    meeting.letter_name = uploads.display_name(upload.name, limit)
    meeting.letter_kind = kind
    meeting.version += 1
    meeting.full_clean(exclude=["letter"])

    def save():
        meeting.save()
        return meeting

    return uploads.save_with_file(
        meeting.letter, uploads.stored_name(upload.name, kind), upload, save
    )


@action("can_edit_self_evaluation")
def engagement_action_add(
    *, actor, meeting: EngagementMeeting, description: str, owner, due_date: dt.date
) -> EngagementAction:
    if not roles.can_view_programme(owner):
        raise ValidationError({"owner": "Choose someone with a role in the programme."})
    arising = EngagementAction(
        meeting=meeting, description=description.strip(), owner=owner, due_date=due_date
    )
    arising.full_clean()
    arising.save()
    return arising


@action("can_update_engagement_action", on="engagement_action")
def engagement_action_update(
    *,
    actor,
    engagement_action: EngagementAction,
    version: int | None,
    status: str,
    progress_note: str,
    closed_on: dt.date | None,
) -> EngagementAction:
    if status == EngagementAction.Status.DONE and closed_on is None:
        raise ValidationError({"closed_on": "Enter the date the action was done."})
    if status != EngagementAction.Status.DONE:
        closed_on = None
    fields = {"status": status, "progress_note": progress_note.strip(), "closed_on": closed_on}
    return save_current(engagement_action, version, fields)
