"""Reads for packs and progress reports, which never write: what a draft pack no longer shows,
and the warnings the programme manager confirms before publishing it."""

from django.db import models
from django.db.models import Count
from django.utils import timezone

from board.models import Action, Decision, Meeting
from budget.models import (
    BudgetLine,
    Commitment,
    LedgerImport,
    LineMonth,
    PeriodState,
    Post,
    Virement,
)
from evaluation.models import AuditResult, EvaluationActivity, FeedbackResult, Finding
from havering_improve.fy import period_month_name
from themes import selectors as theme_selectors
from themes.models import Measure, MeasureReading, Milestone, Risk

from .models import MeetingPack


def pack_changes(pack: MeetingPack) -> list[str]:
    """What has changed in the programme since a draft pack was built: highlight reports
    submitted, readings of the focus themes' measures added or corrected, budget periods closed.
    A fixed number of queries; empty for a pack not built yet, or published (frozen)."""
    if pack.built_at is None or pack.is_published:
        return []
    meeting = pack.meeting
    since = pack.built_at
    changes = []
    reports = (
        theme_selectors.submitted_reports(programme=meeting.board.programme_id)
        .filter(submitted_at__gt=since)
        .select_related("theme")
        .order_by("theme__number", "period", "revision")
    )
    for report in reports:
        submitted = timezone.localtime(report.submitted_at)
        changes.append(
            f"{report.theme.title}: the {report.period:%B %Y} highlight report was submitted "
            f"on {submitted:%-d %B %Y at %H:%M}."
        )
    readings = (
        MeasureReading.history.filter(
            history_date__gt=since, measure__theme__rota_slots__meeting=meeting
        )
        .values("measure__name", "measure__theme__title")
        .annotate(n=Count("history_id"))
        .order_by("measure__theme__title", "measure__name")
    )
    for row in readings:
        n = row["n"]
        changes.append(
            f"{row['measure__theme__title']}: {n} reading{'s' if n != 1 else ''} of "
            f"“{row['measure__name']}” added or corrected."
        )
    closed = (
        PeriodState.history.filter(
            history_date__gt=since,
            closed=True,
            allocation__programme=meeting.board.programme_id,
        )
        .select_related("allocation")
        .order_by("history_date")
    )
    for state in closed:
        changes.append(
            f"Budget: period {state.period} ({period_month_name(state.period)}) of "
            f"{state.allocation.financial_year.label} was closed on "
            f"{timezone.localtime(state.history_date):%-d %B %Y at %H:%M}."
        )
    return changes + _other_changes(meeting, since)


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _other_changes(meeting: Meeting, since) -> list[str]:
    """The rest of what a pack shows, changed since `since`, read from each record's history:
    milestones (the overview's overdue list and the focus themes' own), risks and issues
    (escalations, the focus themes' risk logs), measures, board actions and decisions,
    evaluation activities and findings, and the budget's imports, lines, posts, commitments
    and virements. One query per kind of record, counted by theme."""
    programme = meeting.board.programme_id
    changes = []
    by_theme = [
        (Milestone, "milestone", "", {"theme__programme": programme}),
        (Risk, "risk or issue", "risks or issues", {"theme__programme": programme}),
        (Measure, "measure", "", {"theme__rota_slots__meeting": meeting}),
    ]
    for model, word, plural, filters in by_theme:
        rows = (
            model.history.filter(history_date__gt=since, **filters)
            .values("theme__number", "theme__title")
            .annotate(n=Count("id", distinct=True))
            .order_by("theme__number")
        )
        for row in rows:
            changes.append(
                f"{row['theme__title']}: {_plural(row['n'], word, plural)} added, changed "
                "or removed."
            )
    programme_wide = [
        (Action.history.filter(meeting__board=meeting.board_id), "Board actions", "action"),
        (
            Decision.history.filter(meeting__board=meeting.board_id),
            "Board decisions",
            "decision",
        ),
        (
            EvaluationActivity.history.filter(programme=programme),
            "Evaluation",
            "activity",
        ),
        (Finding.history.filter(activity__programme=programme), "Evaluation", "finding"),
        (
            AuditResult.history.filter(activity__programme=programme),
            "Evaluation",
            "audit result",
        ),
        (
            FeedbackResult.history.filter(activity__programme=programme),
            "Evaluation",
            "feedback result",
        ),
        (
            LedgerImport.objects.filter(
                allocation__programme=programme, confirmed_at__isnull=False
            ).annotate(history_date=models.F("confirmed_at")),
            "Budget",
            "ledger import",
        ),
        (BudgetLine.history.filter(allocation__programme=programme), "Budget", "budget line"),
        (
            LineMonth.history.filter(line__allocation__programme=programme),
            "Budget",
            "monthly profile or forecast line",
        ),
        (Post.history.filter(line__allocation__programme=programme), "Budget", "post"),
        (
            Commitment.history.filter(line__allocation__programme=programme),
            "Budget",
            "commitment",
        ),
        (Virement.history.filter(allocation__programme=programme), "Budget", "virement"),
    ]
    for queryset, area, word in programme_wide:
        n = queryset.filter(history_date__gt=since).values("id").distinct().count()
        if n:
            plural = word[:-1] + "ies" if word.endswith("y") else ""
            changes.append(f"{area}: {_plural(n, word, plural)} added or changed.")
    return changes


def pack_warnings(pack: MeetingPack) -> list[str]:
    """Every open warning about a pack before it is published: focus themes whose highlight
    report is missing, late or older than expected, and what has changed since it was built."""
    warnings = []
    for theme in (pack.snapshot or {}).get("focus", []):
        check = theme.get("report_check")
        if check and check["flagged"]:
            warnings.append(f"{theme['title']}: {check['message']}")
    return warnings + pack_changes(pack)
