"""What the service proposes as evidence for a self-evaluation, gathered from the programme.

Each proposal is a short factual statement that says only what the data says, with a link to
the record it was written from. Only the self-evaluation's own programme is read, and only what
is dated on or before its `as_of` day. A judgement area's section gathers the evidence of the
themes that answer it (audits, findings, recommendations, feedback, measures and the themes'
status over the year); the whole gathers what concerns the programme as a whole (feedback, peer
reviews, independent challenge and inspectors' visits).

`proposals(section)` returns what to propose; `plan_proposals(section)` what the plans could
hold; `flags(self_evaluation)` what the document cannot yet stand behind.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from evaluation.models import (
    FEEDBACK_KINDS,
    ActivityKind,
    AuditResult,
    EvaluationActivity,
    FeedbackResult,
    Finding,
    Inspection,
    Recommendation,
)
from themes.charts import format_value
from themes.models import PID, HighlightReport, Measure, MeasureReading, Milestone, Theme

from .models import Claim

CHALLENGE_KINDS = {
    ActivityKind.PEER_REVIEW,
    ActivityKind.INDEPENDENT_CHALLENGE,
    ActivityKind.OFSTED_VISIT,
}
RECENT = relativedelta(months=12)


def day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def month(value: dt.date) -> str:
    return f"{value:%B %Y}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass
class Proposal:
    kind: str
    source_key: str
    statement: str
    link: str
    dated: dt.date
    measure_id: int | None = None


@dataclass
class PlanProposal:
    source: str
    source_key: str
    text: str
    owner: str = ""
    due: dt.date | None = None


@dataclass
class Scope:
    """What a section reads: the programme, the day, and (for a judgement area) its themes."""

    programme_id: int
    as_of: dt.date
    area_id: int | None = None
    theme_ids: list[int] = field(default_factory=list)
    whole: bool = False


def scope(section) -> Scope:
    evaluation = section.self_evaluation
    found = Scope(
        evaluation.programme_id, evaluation.as_of, section.area_id, whole=section.is_whole
    )
    if section.area_id and not section.is_whole:
        found.theme_ids = list(
            section.area.themes.filter(programme_id=evaluation.programme_id).values_list(
                "pk", flat=True
            )
        )
    return found


# --- Statements --------------------------------------------------------------------------------


def audit_statement(result: AuditResult) -> str:
    grades = "; ".join(f"{label.lower()} {n}" for label, n in result.grade_counts() if n)
    percent = result.percent_good_or_better
    return (
        f"{result.activity.title} ({day(result.date)}), {result.theme.title}: "
        f"{_plural(result.cases_audited, 'case')} audited, {grades}; "
        f"{percent}% good or better."
    )


def finding_statement(finding: Finding) -> str:
    text = (
        f"{finding.activity.title} ({day(finding.recorded_on)}) found "
        f"{finding.get_kind_display().lower()}: {finding.title.rstrip('.')}."
    )
    if finding.kind == Finding.Kind.STRENGTH:
        return text
    if finding.response == Finding.Response.ACCEPTED:
        owner = f", owned by {finding.action_owner}" if finding.action_owner else ""
        due = f", due {day(finding.action_due)}" if finding.action_due else ""
        return f"{text} Response: accepted{owner}{due}."
    return f"{text} Response: {finding.get_response_display().lower()}."


def recommendation_statement(recommendation: Recommendation) -> str:
    inspection = recommendation.inspection
    status = (
        f"met on {day(recommendation.met_on)}"
        if recommendation.status == Recommendation.Status.MET and recommendation.met_on
        else recommendation.get_status_display().lower()
    )
    return (
        f"{inspection.title} ({day(inspection.start_date)}) recommended: "
        f"{recommendation.text.rstrip('.')}. Status: {status}."
    )


def feedback_statement(feedback: FeedbackResult, scores: list) -> str:
    activity = feedback.activity
    who = "Staff" if activity.kind == ActivityKind.STAFF_FEEDBACK else "Service users"
    when = activity.completed_on or activity.end_date or activity.start_date
    text = f"{who}, {activity.title} ({day(when)}): {_plural(feedback.responses, 'response')}."
    shown = [f"{s.question.rstrip('?.')}: {s.score:g} out of {s.out_of:g}" for s in scores[:3]]
    if shown:
        text += " " + "; ".join(shown) + "."
    if len(scores) > 3:
        text += f" {len(scores) - 3} more questions scored."
    return text


def challenge_statement(activity: EvaluationActivity, counts: Counter) -> str:
    when = activity.completed_on or activity.end_date or activity.start_date
    partners = activity.partner_authorities.strip().replace("\n", ", ")
    by = f" with {partners}" if partners else ""
    found = ", ".join(
        _plural(counts[kind], label.lower()) for kind, label in Finding.Kind.choices if counts[kind]
    )
    return (
        f"{activity.get_kind_display()}{by}: {activity.title}, completed {day(when)}; "
        f"{found or 'no findings recorded'}."
    )


def visit_statement(inspection: Inspection, recommendations: int) -> str:
    judged = "; ".join(
        f"{j.area.title}: {j.get_grade_display()}" for j in inspection.judgements.all()
    )
    text = (
        f"{inspection.get_kind_display()} by {inspection.inspector}, {day(inspection.start_date)}"
    )
    text += f". Judgements: {judged}" if judged else ""
    return f"{text}. {_plural(recommendations, 'recommendation')} made."


def measure_statement(measure: Measure, reading: MeasureReading) -> str:
    """ "Supervision audits graded good or better: 62% in October 2026, up from 48% at the June
    2018 baseline; target 80%"."""
    latest, baseline = reading.value, measure.baseline_value
    if latest > baseline:
        travel = "up from"
    elif latest < baseline:
        travel = "down from"
    else:
        travel = "the same as"
    better = (latest > baseline) == (measure.direction == Measure.Direction.HIGHER)
    verdict = "" if latest == baseline else (" (better)" if better else " (worse)")
    return (
        f"{measure.name}: {format_value(measure, latest)} in {month(reading.date)}, {travel} "
        f"{format_value(measure, baseline)} at the {month(measure.baseline_date)} baseline"
        f"{verdict}; target {format_value(measure, measure.target_value)}."
    )


def rag_statement(theme: Theme, reports: list[HighlightReport], as_of: dt.date) -> str:
    counts = Counter(r.get_overall_rag_display().lower() for r in reports)
    latest = reports[0]
    told = ", ".join(_plural(n, f"{rag} month") for rag, n in counts.most_common())
    return (
        f"{theme.title}'s overall status in the twelve months to {month(as_of)}: {told}; "
        f"latest ({month(latest.period)}) {latest.get_overall_rag_display().lower()}."
    )


# --- Gathering ---------------------------------------------------------------------------------


def _theme_filter(scope: Scope, path: str) -> Q:
    return Q(**{f"{path}__in": scope.theme_ids})


def _area_or_themes(scope: Scope, themes_path: str) -> Q:
    return Q(area_id=scope.area_id) | (Q(area__isnull=True) & _theme_filter(scope, themes_path))


def proposals(section) -> list[Proposal]:
    found = scope(section)
    if found.whole:
        return _whole(found)
    return _area(found)


def _area(scope: Scope) -> list[Proposal]:
    out: list[Proposal] = []
    audits = AuditResult.objects.filter(
        activity__programme_id=scope.programme_id,
        theme_id__in=scope.theme_ids,
        date__lte=scope.as_of,
    ).select_related("activity", "theme")
    for result in audits.order_by("-date", "pk"):
        out.append(
            Proposal(
                "audit",
                f"audit:{result.pk}",
                audit_statement(result),
                f"{result.activity.get_absolute_url()}#audit-{result.pk}",
                result.date,
            )
        )
    findings = (
        Finding.objects.filter(
            _area_or_themes(scope, "themes"),
            activity__programme_id=scope.programme_id,
            recorded_on__lte=scope.as_of,
        )
        .select_related("activity")
        .distinct()
    )
    for finding in findings.order_by("-recorded_on", "pk"):
        kind = "challenge" if finding.activity.kind in CHALLENGE_KINDS else "finding"
        out.append(
            Proposal(
                kind,
                f"finding:{finding.pk}",
                finding_statement(finding),
                f"{finding.activity.get_absolute_url()}#finding-{finding.pk}",
                finding.recorded_on,
            )
        )
    recommendations = (
        Recommendation.objects.filter(
            _area_or_themes(scope, "themes"),
            inspection__programme_id=scope.programme_id,
            inspection__start_date__lte=scope.as_of,
        )
        .select_related("inspection")
        .distinct()
    )
    for recommendation in recommendations.order_by("-inspection__start_date", "order", "pk"):
        out.append(
            Proposal(
                "recommendation",
                f"recommendation:{recommendation.pk}",
                recommendation_statement(recommendation),
                recommendation.inspection.get_absolute_url(),
                recommendation.inspection.start_date,
            )
        )
    out += _feedback(scope, themed=True)
    out += _measures(scope)
    out += _rag(scope)
    return out


def _done_on(activity) -> dt.date:
    return activity.completed_on or activity.end_date or activity.start_date


def _feedback(scope: Scope, *, themed: bool) -> list[Proposal]:
    results = FeedbackResult.objects.filter(
        activity__programme_id=scope.programme_id,
        activity__kind__in=FEEDBACK_KINDS,
        activity__start_date__lte=scope.as_of,
    ).select_related("activity")
    if themed:
        results = results.filter(themes__in=scope.theme_ids).distinct()
    out = []
    for feedback in results.prefetch_related("scores").order_by("-activity__start_date", "pk"):
        when = _done_on(feedback.activity)
        if when > scope.as_of:
            continue
        out.append(
            Proposal(
                "feedback",
                f"feedback:{feedback.pk}",
                feedback_statement(feedback, list(feedback.scores.all())),
                f"{feedback.activity.get_absolute_url()}#feedback",
                when,
            )
        )
    return out


def _measures(scope: Scope) -> list[Proposal]:
    out = []
    measures = Measure.objects.filter(theme_id__in=scope.theme_ids).select_related("theme")
    for measure in measures.order_by("theme__number", "order", "pk"):
        reading = measure.readings.filter(date__lte=scope.as_of).order_by("-date", "-pk").first()
        if reading is None:
            continue
        out.append(
            Proposal(
                "measure",
                f"measure:{measure.pk}",
                measure_statement(measure, reading),
                measure.get_absolute_url(),
                reading.date,
                measure.pk,
            )
        )
    return out


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after `day` ends in the service's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def _rag(scope: Scope) -> list[Proposal]:
    since = scope.as_of - RECENT
    end_of_day = _end_of(scope.as_of)
    reports = HighlightReport.objects.filter(
        theme_id__in=scope.theme_ids,
        status=HighlightReport.Status.SUBMITTED,
        submitted_at__lt=end_of_day,
        period__gt=since,
        period__lte=scope.as_of,
    ).exclude(overall_rag="")
    latest: dict[tuple[int, dt.date], HighlightReport] = {}
    for report in reports.order_by("period", "revision"):
        latest[(report.theme_id, report.period)] = report  # the latest revision of each month
    by_theme: dict[int, list[HighlightReport]] = {}
    for (theme_id, _), report in sorted(latest.items(), key=lambda kv: kv[0][1], reverse=True):
        by_theme.setdefault(theme_id, []).append(report)
    out = []
    for theme in Theme.objects.filter(pk__in=by_theme).order_by("number"):
        shown = by_theme[theme.pk]
        out.append(
            Proposal(
                "rag",
                f"rag:{theme.pk}",
                rag_statement(theme, shown, scope.as_of),
                theme.part_url("reports"),
                shown[0].period,
            )
        )
    return out


def _whole(scope: Scope) -> list[Proposal]:
    out = _feedback(scope, themed=False)
    activities = EvaluationActivity.objects.filter(
        programme_id=scope.programme_id, kind__in=CHALLENGE_KINDS, start_date__lte=scope.as_of
    ).prefetch_related("findings")
    for activity in activities.order_by("-start_date", "pk"):
        when = _done_on(activity)
        if activity.completed_on is None or when > scope.as_of:
            continue
        counts = Counter(f.kind for f in activity.findings.all() if f.recorded_on <= scope.as_of)
        out.append(
            Proposal(
                "challenge",
                f"activity:{activity.pk}",
                challenge_statement(activity, counts),
                activity.get_absolute_url(),
                when,
            )
        )
    visits = (
        Inspection.objects.filter(
            programme_id=scope.programme_id, is_baseline=False, start_date__lte=scope.as_of
        )
        .prefetch_related("judgements__area", "recommendations")
        .order_by("-start_date", "pk")
    )
    for visit in visits:
        out.append(
            Proposal(
                "challenge",
                f"inspection:{visit.pk}",
                visit_statement(visit, len(visit.recommendations.all())),
                visit.get_absolute_url(),
                visit.start_date,
            )
        )
    if scope.area_id:
        findings = Finding.objects.filter(
            area_id=scope.area_id,
            activity__programme_id=scope.programme_id,
            recorded_on__lte=scope.as_of,
        ).select_related("activity")
        for finding in findings.order_by("-recorded_on", "pk"):
            out.append(
                Proposal(
                    "finding",
                    f"finding:{finding.pk}",
                    finding_statement(finding),
                    f"{finding.activity.get_absolute_url()}#finding-{finding.pk}",
                    finding.recorded_on,
                )
            )
    return out


# --- Plans -------------------------------------------------------------------------------------


def plan_proposals(section) -> list[PlanProposal]:
    found = scope(section)
    if found.whole:
        return []
    out = []
    pids = PID.objects.filter(theme_id__in=found.theme_ids).select_related("theme")
    for pid in pids.order_by("theme__number"):
        for n, line in enumerate(
            (ln.strip(" -•*\t") for ln in pid.aims.splitlines() if ln.strip(" -•*\t")), 1
        ):
            out.append(PlanProposal("aim", f"aim:{pid.theme_id}:{n}", f"{pid.theme.title}: {line}"))
    # Only milestones that were in the plan by the day (their history says when each was added)
    # and not yet done on it.
    added_by_then = Milestone.history.filter(
        history_type="+", history_date__lt=_end_of(found.as_of)
    ).values("id")
    milestones = Milestone.objects.filter(
        theme_id__in=found.theme_ids,
        due_date__gt=found.as_of,
        due_date__lte=found.as_of + RECENT,
        pk__in=added_by_then,
    ).exclude(completed_on__lte=found.as_of)
    for milestone in milestones.select_related("theme").order_by("due_date", "pk"):
        out.append(
            PlanProposal(
                "milestone",
                f"milestone:{milestone.pk}",
                f"{milestone.theme.title}: {milestone.title}",
                milestone.owner,
                milestone.due_date,
            )
        )
    recommendations = Finding.objects.filter(
        _area_or_themes(found, "themes"),
        activity__programme_id=found.programme_id,
        kind=Finding.Kind.RECOMMENDATION,
        response=Finding.Response.ACCEPTED,
        recorded_on__lte=found.as_of,
        milestone__status__in=[None, "not_started", "in_progress"],
    ).distinct()
    for finding in recommendations.order_by("action_due", "pk"):
        out.append(
            PlanProposal(
                "recommendation",
                f"finding:{finding.pk}",
                finding.title,
                finding.action_owner,
                finding.action_due,
            )
        )
    open_recommendations = Recommendation.objects.filter(
        _area_or_themes(found, "themes"),
        inspection__programme_id=found.programme_id,
        inspection__start_date__lte=found.as_of,
        status=Recommendation.Status.OPEN,
    ).distinct()
    for recommendation in open_recommendations.order_by("order", "pk"):
        out.append(
            PlanProposal(
                "recommendation", f"recommendation:{recommendation.pk}", recommendation.text
            )
        )
    return out


# --- Flags -------------------------------------------------------------------------------------


@dataclass
class Flags:
    unsupported_claims: list[Claim]
    areas_without_recent_evidence: list  # sections

    def __bool__(self) -> bool:
        return bool(self.unsupported_claims or self.areas_without_recent_evidence)


def flags(self_evaluation, sections=None) -> Flags:
    """Claims with no kept evidence; judgement areas with no kept evidence in the twelve months
    to the self-evaluation's day. `sections`: prefetched with their evidence and claims."""
    if sections is None:
        sections = list(self_evaluation.sections.prefetch_related("evidence", "claims__evidence"))
    since = self_evaluation.as_of - RECENT
    unsupported, bare = [], []
    for section in sections:
        kept = [item for item in section.evidence.all() if item.kept]
        for claim in section.claims.all():
            if not any(item.kept for item in claim.evidence.all()):
                unsupported.append(claim)
        if not section.is_whole and not any(item.dated > since for item in kept):
            bare.append(section)
    return Flags(unsupported, bare)
