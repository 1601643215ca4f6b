"""Reads the evaluation pages, the theme page's Evidence tab and the board's pack share.

Each function runs a fixed number of queries whatever the data holds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.db.models.functions import Coalesce

from havering_improve.fy import FinancialYear, quarter_for_date
from themes import selectors as theme_selectors
from themes.models import Measure, MeasureReading, Theme
from themes.selectors import measure_status

from .models import (
    AuditResult,
    EvaluationActivity,
    EvaluationStrand,
    FeedbackResult,
    Finding,
    Inspection,
    Judgement,
    JudgementArea,
    Recommendation,
)


def strands(programme):
    return EvaluationStrand.objects.filter(programme=programme).order_by("order")


def baseline_inspection(programme) -> Inspection | None:
    judgements = Judgement.objects.select_related("area").order_by("area__order")
    return (
        Inspection.objects.filter(programme=programme, is_baseline=True)
        .prefetch_related(Prefetch("judgements", queryset=judgements))
        .order_by("-start_date")
        .first()
    )


def activities(programme):
    return (
        EvaluationActivity.objects.filter(programme=programme)
        .select_related("strand", "lead")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("number")))
        .order_by("start_date", "pk")
    )


@dataclass
class Quarter:
    year: FinancialYear
    number: int
    activities: list = field(default_factory=list)

    @property
    def label(self) -> str:
        start, end = self.year.quarter_start(self.number), self.year.quarter_end(self.number)
        return f"Quarter {self.number} {self.year.label} ({start:%B} to {end:%B %Y})"

    @property
    def slug(self) -> str:
        return f"{self.year.slug}-q{self.number}"


def plan_by_quarter(programme, *, today: dt.date | None = None) -> list[Quarter]:
    """The evaluation plan grouped by financial-year quarter of each activity's start date,
    each activity with its status (done, due or overdue) worked out for `today`."""
    today = today or theme_selectors.today()
    quarters: dict[tuple[int, int], Quarter] = {}
    for activity in activities(programme):
        year = FinancialYear.for_date(activity.start_date)
        key = (year.start_year, quarter_for_date(activity.start_date))
        if key not in quarters:
            quarters[key] = Quarter(year=year, number=key[1])
        activity.status_today = activity.status_on(today)
        quarters[key].activities.append(activity)
    return [quarters[key] for key in sorted(quarters)]


def activity_with_results(pk: int):
    """One activity with everything its page shows, or None."""
    findings = Finding.objects.select_related(
        "area", "milestone__theme", "risk__theme"
    ).prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("number")), "evidence")
    return (
        EvaluationActivity.objects.select_related("strand", "lead", "programme", "feedback")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("number").select_related("lead")),
            Prefetch(
                "audit_results",
                queryset=AuditResult.objects.select_related(
                    "theme", "measure_reading__measure"
                ).order_by("theme__number"),
            ),
            Prefetch("findings", queryset=findings),
            "feedback__scores",
            Prefetch("feedback__themes", queryset=Theme.objects.order_by("number")),
        )
        .filter(pk=pk)
        .first()
    )


def _audits_by_theme(**filters) -> defaultdict[int, list[AuditResult]]:
    """Audit results (those matching `filters`) with their activity, by theme, oldest first:
    one query."""
    found = defaultdict(list)
    for result in (
        AuditResult.objects.filter(**filters).select_related("activity").order_by("date", "pk")
    ):
        found[result.theme_id].append(result)
    return found


def previous_audits(results) -> dict[int, AuditResult | None]:
    """For each audit result, the audit of the same theme just before it (one query)."""
    results = list(results)
    if not results:
        return {}
    history = _audits_by_theme(theme_id__in={r.theme_id for r in results})
    previous = {}
    for result in results:
        earlier = [o for o in history[result.theme_id] if (o.date, o.pk) < (result.date, result.pk)]
        previous[result.pk] = earlier[-1] if earlier else None
    return previous


def inspections(programme):
    judgements = Judgement.objects.select_related("area").order_by("area__order")
    return (
        Inspection.objects.filter(programme=programme)
        .prefetch_related(Prefetch("judgements", queryset=judgements))
        .order_by("-start_date")
    )


def inspection_detail(pk: int):
    judgements = Judgement.objects.select_related("area").order_by("area__order")
    recommendations = Recommendation.objects.select_related("area").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("number"))
    )
    return (
        Inspection.objects.select_related("activity", "programme")
        .prefetch_related(
            Prefetch("judgements", queryset=judgements),
            Prefetch("recommendations", queryset=recommendations),
        )
        .filter(pk=pk)
        .first()
    )


def finding_detail(pk: int):
    """One finding with what its pages show, or None."""
    return (
        Finding.objects.select_related("activity__programme", "area", "milestone", "risk")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("number")))
        .filter(pk=pk)
        .first()
    )


def recommendation_detail(pk: int):
    """One inspection recommendation with its themes, or None."""
    return (
        Recommendation.objects.select_related("inspection__programme")
        .prefetch_related("themes")
        .filter(pk=pk)
        .first()
    )


# --- Evidence for one theme ----------------------------------------------------------------------


@dataclass
class EvidenceItem:
    date: dt.date
    kind: str
    title: str
    url: str
    detail: str = ""
    tag: str = ""


def evidence_for_theme(theme: Theme) -> list[EvidenceItem]:
    """Every activity, finding, audit result, feedback and inspection recommendation that
    touches the theme, newest first."""
    items: list[EvidenceItem] = []
    for activity in (
        EvaluationActivity.objects.filter(themes=theme).select_related("strand").distinct()
    ):
        items.append(
            EvidenceItem(
                date=activity.completed_on or activity.start_date,
                kind="Activity",
                title=activity.title,
                url=activity.get_absolute_url(),
                detail=activity.strand.title,
                tag=activity.get_status_display(),
            )
        )
    for finding in Finding.objects.filter(themes=theme).select_related("activity").distinct():
        items.append(
            EvidenceItem(
                date=finding.recorded_on,
                kind=finding.get_kind_display(),
                title=finding.title,
                url=finding.activity.get_absolute_url() + f"#finding-{finding.pk}",
                detail=f"From {finding.activity.title}",
                tag=finding.get_response_display() if finding.needs_response else "",
            )
        )
    for result in AuditResult.objects.filter(theme=theme).select_related(
        "activity", "measure_reading__measure"
    ):
        detail = (
            f"{result.good_or_better} of {result.cases_audited} cases good or better "
            f"({result.percent_good_or_better}%)"
        )
        if result.measure_reading_id:
            reading = result.measure_reading
            detail += f"; recorded as a reading of “{reading.measure.name}”: {reading.value}%"
        items.append(
            EvidenceItem(
                date=result.date,
                kind="Audit result",
                title=result.activity.title,
                url=result.activity.get_absolute_url() + f"#audit-{result.pk}",
                detail=detail,
            )
        )
    for feedback in FeedbackResult.objects.filter(themes=theme).select_related("activity"):
        items.append(
            EvidenceItem(
                date=feedback.activity.completed_on or feedback.activity.start_date,
                kind="Feedback",
                title=feedback.activity.title,
                url=feedback.activity.get_absolute_url() + "#feedback",
                detail=f"{feedback.responses} responses",
            )
        )
    for recommendation in (
        Recommendation.objects.filter(themes=theme).select_related("inspection").distinct()
    ):
        items.append(
            EvidenceItem(
                date=recommendation.inspection.start_date,
                kind="Inspection recommendation",
                title=recommendation.text,
                url=recommendation.inspection.get_absolute_url() + "#recommendations",
                detail=f"From {recommendation.inspection.title}",
                tag=recommendation.get_status_display(),
            )
        )
    items.sort(key=lambda item: item.date, reverse=True)
    return items


def measures_with_audit_readings(theme: Theme):
    """The theme's measures, each with its readings (those fed by audits show their audit)."""
    readings = MeasureReading.objects.select_related("audit_result__activity").order_by("date")
    return Measure.objects.filter(theme=theme).prefetch_related(
        Prefetch("readings", queryset=readings)
    )


# --- Ofsted readiness ----------------------------------------------------------------------------


@dataclass
class AreaReadiness:
    area: JudgementArea
    baseline: Judgement | None
    latest: Judgement | None
    themes: list
    audit_trend: list  # (theme, [AuditResult oldest first])
    findings: list
    recommendations: list
    finding_counts: dict = field(default_factory=dict)  # by kind, and "awaiting" a response

    @property
    def measure_counts(self) -> tuple[int, int]:
        """(measures on track for their target, measures with a reading) across its themes."""
        on_track = read = 0
        for theme in self.themes:
            for m in theme.measures.all():
                if m.latest_value is None:
                    continue
                read += 1
                on_track += bool(measure_status(m, m.latest_value, m.latest_date).on_track)
        return on_track, read


def readiness(programme, *, framework: str = "ILACS", audits_per_theme: int = 4):
    """For each judgement area: baseline, latest judgement since, and the evidence of the themes
    that answer it (audit trend, findings, RAG, measures) with open recommendations."""
    measures = theme_selectors.measures_with_latest().order_by("order", "pk")
    themes_qs = (
        Theme.objects.filter(programme=programme)
        .annotate(latest_rag=theme_selectors.latest_submitted_report_value("overall_rag"))
        .prefetch_related(Prefetch("measures", queryset=measures))
        .order_by("number")
    )
    areas = list(
        JudgementArea.objects.filter(framework=framework)
        .prefetch_related(Prefetch("themes", queryset=themes_qs))
        .order_by("order")
    )
    judgements = list(
        Judgement.objects.filter(inspection__programme=programme, area__framework=framework)
        .select_related("inspection")
        .order_by("inspection__start_date", "pk")
    )
    baseline, latest = {}, {}
    for judgement in judgements:
        if judgement.inspection.is_baseline:
            baseline[judgement.area_id] = judgement
        else:
            latest[judgement.area_id] = judgement

    audits = _audits_by_theme(activity__programme=programme)

    findings = list(
        Finding.objects.filter(activity__programme=programme)
        .select_related("activity", "milestone")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("pk", "title")))
        .order_by("-recorded_on", "-pk")
    )
    recommendations = list(
        Recommendation.objects.filter(
            inspection__programme=programme, status=Recommendation.Status.OPEN
        )
        .select_related("inspection")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("pk", "title")))
        .order_by("-inspection__start_date", "order", "pk")
    )

    result = []
    for area in areas:
        theme_ids = {t.pk for t in area.themes.all()}

        def concerns(item, area=area, theme_ids=theme_ids):
            if item.area_id is not None:
                return item.area_id == area.pk
            return bool(theme_ids & {t.pk for t in item.themes.all()})

        area_findings = [f for f in findings if concerns(f)]
        result.append(
            AreaReadiness(
                area=area,
                baseline=baseline.get(area.pk),
                latest=latest.get(area.pk),
                themes=list(area.themes.all()),
                audit_trend=[
                    (theme, audits[theme.pk][-audits_per_theme:])
                    for theme in area.themes.all()
                    if audits[theme.pk]
                ],
                findings=[f for f in area_findings][:6],
                recommendations=[r for r in recommendations if concerns(r)],
                finding_counts={
                    **Counter(f.kind for f in area_findings),
                    "awaiting": sum(
                        f.needs_response and f.response == Finding.Response.AWAITING
                        for f in area_findings
                    ),
                },
            )
        )
    return result


def area_themes(programme, area: JudgementArea) -> list[Theme]:
    """The programme's themes that answer the judgement area, in theme order."""
    return list(area.themes.filter(programme=programme).order_by("number"))


@dataclass
class AreaThemesChange:
    when: dt.datetime
    who: object
    themes: list[str]


def area_themes_history(programme, area: JudgementArea) -> list[AreaThemesChange]:
    """Each change of the programme's themes that answer the area, newest first: when, by whom
    and the themes it left (two queries, however long the history)."""
    entries = list(area.history.select_related("history_user").order_by("history_date", "pk"))
    snapshot = area.history.model._meta.get_field(
        f"historical{JudgementArea._meta.model_name}_themes"
    ).related_model
    held = defaultdict(list)
    rows = (
        snapshot.objects.filter(history__in=entries, theme__programme=programme)
        .select_related("theme")
        .order_by("theme__number")
    )
    for row in rows:
        held[row.history_id].append(row.theme.title)
    changes, before = [], []
    for entry in entries:
        themes = held[entry.pk]
        if themes != before:
            changes.append(AreaThemesChange(entry.history_date, entry.history_user, themes))
        before = themes
    return changes[::-1]


# --- For the board's meeting pack ----------------------------------------------------------------


def activity_since(programme, date: dt.date):
    """Activities completed on or after `date`, oldest first, with strand and themes."""
    return activities(programme).filter(completed_on__gte=date).order_by("completed_on", "pk")


def _not_done(programme):
    """Activities not yet done, each with the day it is due (its last day, or its only one)."""
    return (
        activities(programme)
        .filter(completed_on__isnull=True)
        .alias(due=Coalesce("end_date", "start_date"))
    )


def activity_upcoming(programme, *, today: dt.date, days: int = 90):
    """Activities not yet done that fall due from `today` up to `days` after it. Those already
    past their day are overdue (`activity_overdue`), never "coming up"."""
    return _not_done(programme).filter(due__gte=today, due__lte=today + dt.timedelta(days=days))


def activity_overdue(programme, *, today: dt.date):
    """Activities not yet done whose day has passed."""
    return _not_done(programme).filter(due__lt=today)


def findings_since(programme, date: dt.date):
    return (
        Finding.objects.filter(activity__programme=programme, recorded_on__gte=date)
        .select_related("activity", "area")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("number")))
        .order_by("-recorded_on", "-pk")
    )
