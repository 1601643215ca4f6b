"""What a theme's team says about it: comments, and files attached as evidence, on the theme or
on one of its milestones or measures."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from havering_improve.actions import action
from havering_improve.uploads import clean_name, display_name, save_with_file, validate_upload

from ..models import Comment, Evidence, Measure, Milestone, Theme


def _check_target(theme: Theme, milestone: Milestone | None, measure: Measure | None) -> None:
    for target in (milestone, measure):
        if target is not None and target.theme_id != theme.pk:
            raise ValidationError("That belongs to another theme.")


@action("can_comment_on_theme", on="theme")
def comment_add(
    *,
    theme: Theme,
    actor,
    body: str,
    milestone: Milestone | None = None,
    measure: Measure | None = None,
) -> Comment:
    _check_target(theme, milestone, measure)
    if not body.strip():
        raise ValidationError({"body": "Write your comment"})
    comment = Comment(theme=theme, milestone=milestone, measure=measure, author=actor, body=body)
    comment.save()
    return comment


@action("can_comment_on_theme", on="theme")
def evidence_add(
    *,
    theme: Theme,
    actor,
    title: str,
    upload: UploadedFile,
    milestone: Milestone | None = None,
    measure: Measure | None = None,
) -> Evidence:
    _check_target(theme, milestone, measure)
    try:  # by content, size and name, as for every upload
        kind = validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    # Names as people see them: no control or bidirectional characters, bounded to the fields.
    name = display_name(upload.name, Evidence._meta.get_field("original_name").max_length)
    evidence = Evidence(
        theme=theme,
        milestone=milestone,
        measure=measure,
        title=clean_name(title)[:200].strip() or display_name(name, 200),
        original_name=name,
        kind=kind,
        size=upload.size,
        uploaded_by=actor,
    )
    evidence.full_clean(exclude=["file"])  # a refusal writes no file
    # Stored under a name of its own with the extension of what it is (evidence_upload_to).
    save_with_file(evidence.file, upload.name, upload, evidence.save)
    return evidence
