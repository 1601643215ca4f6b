"""The "Sign-off" permission: the programme manager grants it to a senior officer, or
withdraws it."""

import datetime as dt

from django.core.exceptions import ValidationError

from havering_improve import roles
from havering_improve.actions import action
from programme.models import Programme

from ..models import SignOffGrant


@action("can_edit_self_evaluation")
def sign_off_grant(
    *, actor, programme: Programme, user, role_title: str, granted_on: dt.date
) -> SignOffGrant:
    if not roles.can_view_programme(user):
        raise ValidationError(
            {"user": "Give this person a role in the programme first (in the admin)."}
        )
    if SignOffGrant.objects.filter(programme=programme, user=user).exists():
        raise ValidationError({"user": "This person already holds the Sign-off permission."})
    grant = SignOffGrant(
        programme=programme, user=user, role_title=role_title.strip(), granted_on=granted_on
    )
    grant.full_clean()
    grant.save()
    return grant


@action("can_edit_self_evaluation")
def sign_off_withdraw(*, actor, grant: SignOffGrant) -> None:
    waiting = grant.programme.self_evaluations.filter(reviewer_id=grant.user_id, status="in_review")
    if waiting.exists():
        raise ValidationError(
            "This person is reviewing a self-evaluation. Return it to draft and name another "
            "reviewer first."
        )
    SignOffGrant.objects.filter(pk=grant.pk).first().delete()
