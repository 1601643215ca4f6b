"""Reads the self-evaluation's pages share. Nothing here writes."""

from django.db.models import Prefetch, Q

from havering_improve import roles

from .models import (
    EngagementAction,
    EngagementMeeting,
    FrozenVersion,
    Section,
    SelfEvaluation,
    SignOffGrant,
)


def self_evaluations(programme):
    return (
        SelfEvaluation.objects.filter(programme=programme)
        .select_related("reviewer")
        .prefetch_related(
            Prefetch("versions", queryset=FrozenVersion.objects.select_related("made_by"))
        )
        .order_by("-year")
    )


def visible_self_evaluations(user, programme) -> list[SelfEvaluation]:
    """Those the user reads whole: all for the programme manager; for anyone else those they
    review and, for board members and the auditor, those signed off."""
    found = self_evaluations(programme)
    if roles.is_programme_manager(user):
        return list(found)
    wide = roles.has_role(user, roles.BOARD_MEMBER, roles.AUDITOR)
    signed = Q(status=SelfEvaluation.Status.SIGNED_OFF) if wide else Q(pk__in=[])
    return list(found.filter(signed | Q(reviewer_id=user.pk)))


def lead_sections(user, programme) -> list[Section]:
    """The sections a project lead reads: those of the judgement areas their themes answer."""
    if not roles.has_role(user, roles.PROJECT_LEAD):
        return []
    return list(
        Section.objects.filter(
            self_evaluation__programme=programme,
            area__themes__lead_id=user.pk,
            is_whole=False,
        )
        .select_related("self_evaluation")
        .distinct()
        .order_by("-self_evaluation__year", "order")
    )


def self_evaluation_detail(pk: int) -> SelfEvaluation | None:
    return (
        SelfEvaluation.objects.select_related("programme", "reviewer", "previous")
        .filter(pk=pk)
        .first()
    )


def section_detail(pk: int) -> Section | None:
    return (
        Section.objects.select_related("self_evaluation__programme", "area").filter(pk=pk).first()
    )


def grants(programme):
    return SignOffGrant.objects.filter(programme=programme).select_related("user").order_by("pk")


def engagement_meetings(programme):
    return (
        EngagementMeeting.objects.filter(programme=programme)
        .select_related("self_evaluation")
        .prefetch_related(
            Prefetch("actions", queryset=EngagementAction.objects.select_related("owner"))
        )
    )


def open_actions_for(user, programme):
    return (
        EngagementAction.objects.filter(owner_id=user.pk, meeting__programme=programme)
        .exclude(status=EngagementAction.Status.DONE)
        .select_related("meeting")
        .order_by("due_date", "pk")
    )


def all_versions(programme):
    return (
        FrozenVersion.objects.filter(self_evaluation__programme=programme)
        .select_related("self_evaluation", "made_by")
        .order_by("self_evaluation__year", "number")
    )
