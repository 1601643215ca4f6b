"""The workflow, as for a PID: draft, then review by the named senior officer, then signed off.
Submitting and signing off each freeze a numbered version with its snapshot and date; a
signed-off self-evaluation changes no more."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from havering_improve.actions import action, lock_current
from havering_improve.errors import AlreadyDone

from .. import snapshot
from ..models import FrozenVersion, SelfEvaluation


def _freeze(self_evaluation: SelfEvaluation, kind: str, actor) -> FrozenVersion:
    last = self_evaluation.versions.order_by("-number").first()
    now = timezone.now()
    frozen = FrozenVersion(
        self_evaluation=self_evaluation,
        number=(last.number if last else 0) + 1,
        kind=kind,
        made_on=timezone.localdate(now),
        made_at=now,
        made_by=actor,
        snapshot=snapshot.take(self_evaluation),
    )
    frozen.save()
    return frozen


def _moved(self_evaluation: SelfEvaluation, version: int | None, status: str, already: str):
    """The self-evaluation under a row lock: AlreadyDone if it is already at `status` (a second
    press of the button), StaleEdit if it changed since the page was opened."""
    current = SelfEvaluation.objects.select_for_update().get(pk=self_evaluation.pk)
    if current.status == status:
        raise AlreadyDone(already, current)
    return lock_current(current, version, required=False)


@action("can_edit_self_evaluation", on="self_evaluation")
def self_evaluation_submit(
    *, actor, self_evaluation: SelfEvaluation, version: int | None
) -> FrozenVersion:
    current = _moved(
        self_evaluation,
        version,
        SelfEvaluation.Status.IN_REVIEW,
        f"The {self_evaluation.year} self-evaluation is already with its reviewer.",
    )
    if current.status != SelfEvaluation.Status.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.")
    if current.reviewer_id is None:
        raise ValidationError("Name the senior officer who signs it off first.")
    if not current.programme.sign_offs.filter(user_id=current.reviewer_id).exists():
        raise ValidationError("Its reviewer no longer holds the Sign-off permission.")
    current.status = SelfEvaluation.Status.IN_REVIEW
    current.review_note = ""
    current.version += 1
    current.save()
    return _freeze(current, FrozenVersion.Kind.FOR_REVIEW, actor)


@action("can_sign_off_self_evaluation", on="self_evaluation")
def self_evaluation_sign_off(
    *, actor, self_evaluation: SelfEvaluation, version: int | None
) -> FrozenVersion:
    current = _moved(
        self_evaluation,
        version,
        SelfEvaluation.Status.SIGNED_OFF,
        f"The {self_evaluation.year} self-evaluation is already signed off.",
    )
    if current.status != SelfEvaluation.Status.IN_REVIEW:
        raise ValidationError("Only a self-evaluation submitted for review can be signed off.")
    current.status = SelfEvaluation.Status.SIGNED_OFF
    current.version += 1
    current.save()
    return _freeze(current, FrozenVersion.Kind.SIGNED_OFF, actor)


@action("can_sign_off_self_evaluation", on="self_evaluation")
def self_evaluation_return(
    *, actor, self_evaluation: SelfEvaluation, version: int | None, note: str
) -> SelfEvaluation:
    current = _moved(
        self_evaluation,
        version,
        SelfEvaluation.Status.DRAFT,
        f"The {self_evaluation.year} self-evaluation is already back with the programme manager.",
    )
    if current.status != SelfEvaluation.Status.IN_REVIEW:
        raise ValidationError("Only a self-evaluation in review can be returned.")
    if not note.strip():
        raise ValidationError({"note": "Say what needs to change before you sign it off."})
    current.status = SelfEvaluation.Status.DRAFT
    current.review_note = note.strip()
    current.version += 1
    current.save()
    return current
