"""What a meeting pack holds, and how it is rendered to HTML and PDF.

The snapshot is plain JSON taken from the programme when the pack is built; the HTML and PDF
are rendered from the snapshot alone. That is what makes a published pack frozen: its files
and snapshot are stored with checksums, and nothing later in the programme is read again.
"""

import base64
import datetime as dt
import hashlib
import itertools
import logging
import re
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from havering_improve.mail import site_url
from themes.charts import (
    EAGER_CHARTS,
    TrendChart,
    chart_note,
    chart_points,
    month_ends,
    trend_chart_html,
)
from themes.charts import format_number as format_in_unit
from themes.models import HighlightReport, Measure, MeasureReading, Milestone, Risk, Theme
from themes.selectors import (
    overdue_milestones,
    recent_submitted_reports,
    report_due_date,
    report_standing,
)

from . import selectors
from .models import Action, Meeting, MeetingPack

# WeasyPrint logs every layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _day(value: dt.date | None) -> str:
    return date_format(value, "j F Y") if value else ""


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


# A lead who has nothing to ask the Board often writes so ("None this month."): that is not a
# decision to put before it.
_NOTHING_ASKED = re.compile(r"^\s*(none|nil|n/?a|no decisions?|nothing)\b[^\n]{0,40}$", re.I)


def asks_the_board(text: str) -> bool:
    """Whether a report's "Decisions needed from the Board" asks for anything."""
    return bool(text.strip()) and not _NOTHING_ASKED.match(text.strip())


# The sections of a highlight report after its ratings, in the order the report shows them.
REPORT_SECTIONS = [
    ("achievements", "Achievements this period", "None recorded."),
    ("next_period", "Planned for next period", "None recorded."),
    ("path_to_green", "Path to green", "Not needed."),
    ("key_risks_issues", "Key risks and issues", "None recorded."),
    ("decisions_needed", "Decisions needed from the Board", "None."),
    ("lessons", "Lessons learned", "None recorded."),
]


def _report_data(report: HighlightReport | None) -> dict | None:
    """The whole highlight report as the lead wrote it: the overall and six area ratings with
    their reasons, the summary and every section."""
    if report is None:
        return None
    return {
        "id": report.pk,
        "period": date_format(report.period, "F Y"),
        "due": _day(report_due_date(report.period)),
        "revision": report.revision,
        "revision_reason": report.revision_reason,
        "rag": report.overall_rag,
        "rag_label": report.get_overall_rag_display() if report.overall_rag else "",
        "reason": report.overall_reason,
        "summary": report.status_summary,
        "submitted": _day(timezone.localdate(report.submitted_at)) if report.submitted_at else "",
        "areas": [
            {"label": str(a["label"]), "rag": a["rag"], "reason": a["reason"]}
            for a in report.areas()
        ],
        "sections": [
            {"key": key, "title": title, "text": getattr(report, key), "none": none}
            for key, title, none in REPORT_SECTIONS
        ],
        "decisions_needed": report.decisions_needed,
        "asks_board": asks_the_board(report.decisions_needed),
    }


def report_check(report: HighlightReport | None, *, built_on: dt.date) -> dict:
    """Which period's report a focus theme shows and how it stands against the reporting
    convention on the day the pack is built: `flagged` when it is missing, late or older than
    expected, with the sentence that says so."""
    standing = report_standing(
        period=report.period if report else None,
        submitted_on=timezone.localdate(report.submitted_at)
        if report and report.submitted_at
        else None,
        by=built_on,
    )
    return {
        "key": standing.key,
        "flagged": standing.flagged,
        "message": standing.message,
        "expected": date_format(standing.expected, "F Y"),
        "due": _day(standing.due),
        # The report the pack shows and the day that report was due (the one wording of it).
        "shown": date_format(standing.period, "F Y") if standing.period else "",
        "shown_due": _day(report_due_date(standing.period)) if standing.period else "",
    }


def _latest_reports(programme, themes, *, as_of) -> dict[int, list[HighlightReport]]:
    """Each theme's latest submitted highlight report and the one for the period before, as
    known at `as_of` (an empty list for a theme with none)."""
    recent = recent_submitted_reports(programme, as_of=as_of, periods=2)
    return {theme.pk: recent.get(theme.pk, []) for theme in themes}


def action_row(action: Action, *, on: dt.date) -> dict:
    return {
        "id": action.pk,
        "description": action.description,
        "owner": _person(action.owner),
        "due_date": _day(action.due_date),
        "theme": action.theme.title if action.theme else "",
        "status": action.get_status_display(),
        "overdue": action.is_overdue(on),
        "raised": _day(action.meeting.date),
        "progress_note": action.progress_note,
        "restricted": action.restricted,
    }


def budget_section(*, programme, focus_ids: set[int]) -> dict | None:
    """The budget monitoring headline and each focus theme's share of spend, as the budget app
    works them out (money as strings of pounds and pence: JSON has no Decimal)."""
    from budget.models import BudgetAllocation
    from budget.selectors import budget_report, theme_spend
    from havering_improve.fy import period_month_name
    from havering_improve.templatetags.improve import gbp

    allocation = BudgetAllocation.objects.filter(programme=programme).order_by("start_year").last()
    if allocation is None:
        return None
    report = budget_report(allocation)
    total = report.total
    return {
        "year": allocation.financial_year.label,
        "as_at": period_month_name(report.as_at) if report.as_at else "",
        "budget": gbp(total.latest),
        "actual_to_date": gbp(total.actual_to_date),
        "commitments": gbp(total.commitments),
        "forecast_outturn": gbp(total.latest_outturn),
        "forecast_variance": gbp(total.forecast_variance),
        "rag": total.rag,
        "focus": [
            {
                "title": spend.theme.title,
                "budget": gbp(spend.budget),
                "actual_to_date": gbp(spend.actual_to_date),
                "forecast_outturn": gbp(spend.forecast_outturn),
            }
            for spend in theme_spend(programme, allocation.financial_year, report=report)
            if spend.theme.pk in focus_ids
        ],
    }


def evaluation_section(*, programme, since: dt.date, until: dt.date) -> dict:
    """Evaluation done since the last meeting, its findings, what is overdue (flagged on its
    own, never as coming up) and what is coming up."""
    from evaluation import selectors as evaluation

    def themes_of(obj) -> str:
        return ", ".join(t.title for t in obj.themes.all())

    def due(activities) -> list[dict]:
        return [
            {
                "title": a.title,
                "strand": a.strand.title,
                "due": _day(a.end_date or a.start_date),
                "themes": themes_of(a),
            }
            for a in activities
        ]

    return {
        "since": _day(since),
        "done": [
            {
                "title": a.title,
                "strand": a.strand.title,
                "completed_on": _day(a.completed_on),
                "themes": themes_of(a),
            }
            for a in evaluation.activity_since(programme, since).filter(completed_on__lte=until)
        ],
        "findings": [
            {
                "title": f.title,
                "kind": f.get_kind_display(),
                "activity": f.activity.title,
                "themes": themes_of(f),
            }
            for f in evaluation.findings_since(programme, since).filter(recorded_on__lte=until)
        ],
        "overdue": due(evaluation.activity_overdue(programme, today=until)),
        "upcoming": due(evaluation.activity_upcoming(programme, today=until, days=60)),
    }


def theme_evidence(theme: Theme, *, after: dt.date, until: dt.date) -> list[dict]:
    """The evaluation evidence touching a focus theme dated after `after` and up to `until`,
    newest first. The evaluation app's selector runs a fixed number of queries per theme, so
    the pack's query count does not grow with the evidence."""
    from evaluation.selectors import evidence_for_theme

    return [
        {
            "date": _day(item.date),
            "kind": item.kind,
            "title": item.title,
            "detail": item.detail,
            "tag": item.tag,
        }
        for item in evidence_for_theme(theme)
        if after < item.date <= until
    ]


def _risk_changes(programme_id, *, since: dt.datetime, until: dt.datetime) -> dict[str, list]:
    """Risks and issues opened, closed and escalated between two moments, read from the risks'
    history: each risk's state before `since` against each of its changes up to `until`."""
    rows = list(
        Risk.history.filter(
            theme__programme=programme_id, history_date__gt=since, history_date__lte=until
        )
        .select_related("theme")
        .order_by("id", "history_date", "history_id")
    )
    before = {}
    earlier = Risk.history.filter(id__in={r.id for r in rows}, history_date__lte=since).order_by(
        "id", "-history_date", "-history_id"
    )
    for row in earlier.only("id", "status", "escalated"):
        before.setdefault(row.id, row)
    found: dict[str, dict[int, dict]] = {"opened": {}, "closed": {}, "escalated": {}}
    for row in rows:
        last = before.get(row.id)
        item = {
            "theme": row.theme.title,
            "kind": row.get_kind_display(),
            "description": row.description,
            "score": row.likelihood * row.impact,
            "on": _day(timezone.localdate(row.history_date)),
        }
        if row.history_type == "+":
            found["opened"][row.id] = item
        elif row.history_type == "~" and last is not None:
            if row.status == Risk.Status.CLOSED and last.status != Risk.Status.CLOSED:
                found["closed"][row.id] = item
        if row.escalated and (last is None or not last.escalated) and row.history_type != "-":
            found["escalated"][row.id] = item
        before[row.id] = row
    return {key: list(items.values()) for key, items in found.items()}


def _money(value: str) -> Decimal:
    return Decimal(value.replace("£", "").replace(",", "") or "0")


def _budget_movement(budget: dict | None, before: dict | None) -> list[str]:
    """How the budget's headline figures moved since the pack the Board last saw."""
    if not budget:
        return []
    if not before:
        return [
            f"Spent to date {budget['actual_to_date']}; forecast outturn "
            f"{budget['forecast_outturn']} (no earlier pack to compare with)."
        ]
    lines = []
    if before.get("as_at") != budget.get("as_at") and budget.get("as_at"):
        lines.append(
            f"Actuals now run to the end of {budget['as_at']} "
            f"(at the last meeting: {before.get('as_at') or 'no period closed'})."
        )
    for key, label in (
        ("actual_to_date", "Spent to date"),
        ("commitments", "Committed"),
        ("forecast_outturn", "Forecast outturn"),
        ("forecast_variance", "Forecast variance"),
    ):
        now, then = budget.get(key), before.get(key)
        if now is None or then is None or now == then:
            continue
        change = _money(now) - _money(then)
        sign = "up" if change > 0 else "down"
        lines.append(f"{label}: {now}, {sign} £{abs(change):,.2f} from {then} at the last meeting.")
    return lines or ["The budget's headline figures are as they were at the last meeting."]


def since_last_meeting(
    *,
    meeting: Meeting,
    previous: Meeting | None,
    since_day: dt.date,
    pack_day: dt.date,
    now: dt.datetime,
    overview: list[dict],
    budget: dict | None,
    earlier_snapshot: dict | None,
) -> dict:
    """What moved between the last meeting and this pack's build: milestones completed or newly
    overdue, risks opened, closed or escalated, RAG changes, budget movement, actions done and
    the decisions the Board recorded. A fixed number of queries."""
    from .models import Decision

    programme_id = meeting.board.programme_id
    since = timezone.make_aware(dt.datetime.combine(since_day, dt.time.max))
    until = min(now, timezone.make_aware(dt.datetime.combine(meeting.date, dt.time.max)))
    completed = (
        Milestone.objects.filter(
            theme__programme=programme_id,
            status=Milestone.Status.DONE,
            completed_on__gt=since_day,
            completed_on__lte=pack_day,
        )
        .select_related("theme")
        .order_by("theme__number", "completed_on", "pk")
    )
    newly_overdue = (
        overdue_milestones(programme=programme_id, on=pack_day)
        .filter(due_date__gte=since_day)
        .order_by("theme__number", "due_date", "pk")
    )
    actions_done = (
        Action.objects.filter(
            meeting__board=meeting.board_id,
            status=Action.Status.DONE,
            closed_on__gt=since_day,
            closed_on__lte=pack_day,
        )
        .select_related("owner", "theme", "meeting")
        .order_by("closed_on", "pk")
    )
    decisions = (
        Decision.objects.filter(meeting=previous, recorded_at__lte=until)
        .select_related("theme", "meeting")
        .order_by("pk")
        if previous is not None
        else Decision.objects.none()
    )
    return {
        "since": _day(since_day),
        "previous": _day(previous.date) if previous else "",
        "milestones_completed": [
            {"theme": m.theme.title, "title": m.title, "on": _day(m.completed_on)}
            for m in completed
        ],
        "milestones_overdue": [
            {"theme": m.theme.title, "title": m.title, "due_date": _day(m.due_date)}
            for m in newly_overdue
        ],
        "risks": _risk_changes(programme_id, since=since, until=until),
        "rag_changes": [
            {"title": row["title"], "from": row["rag_last"], "to": row["rag"]}
            for row in overview
            if row["rag"] != row["rag_last"]
        ],
        "budget": _budget_movement(budget, (earlier_snapshot or {}).get("budget")),
        "actions_done": [
            {
                "description": a.description,
                "owner": _person(a.owner),
                "closed_on": _day(a.closed_on),
                "progress_note": a.progress_note,
            }
            for a in actions_done
        ],
        "decisions": [decision_row(d) for d in decisions],
    }


def decision_row(decision) -> dict:
    return {
        "id": decision.pk,
        "text": decision.text,
        "theme": decision.theme.title if decision.theme else "",
        "outcome": decision.get_outcome_display() if decision.outcome else "",
        "outcome_key": decision.outcome,
        "conditions": decision.conditions,
        "asked": decision.asked,
        "date": _day(decision.meeting.date),
        "restricted": decision.restricted,
    }


# A measure read weekly for ten years has 520 readings: the pack shows the board a summary
# (every reading stays on the measure's own page). The table holds the last reading of each
# of the latest TABLE_MONTHS months with readings; the chart plots what `chart_points` picks.
TABLE_MONTHS = 6


def _readings_by_measure(measures, *, until: dt.date) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """Each measure's readings up to `until`, oldest first, as (date, value): one query, and
    plain tuples rather than model instances (ten years of weekly readings is a lot of them)."""
    found: dict[int, list[tuple[dt.date, Decimal]]] = {m.pk: [] for m in measures}
    rows = (
        MeasureReading.objects.filter(measure__in=list(found), date__lte=until)
        .order_by("measure", "date", "pk")
        .values_list("measure_id", "date", "value")
    )
    for measure_id, date, value in rows.iterator(chunk_size=5000):
        found[measure_id].append((date, value))
    return found


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _measure_data(measure: Measure, readings: list[tuple[dt.date, Decimal]]) -> dict:
    shown = month_ends(readings, date=lambda r: r[0])[-TABLE_MONTHS:]
    plotted = chart_points(readings, date=lambda r: r[0])
    total = len(readings)
    table_note = ""
    if total != len(shown):
        table_note = (
            f"The last reading of each month, for the latest {_plural(len(shown), 'month')} "
            f"with readings; {_plural(total, 'reading')} in all since {_day(readings[0][0])}. "
            "Every reading is on the measure's own page in the app."
        )
    return {
        "name": measure.name,
        "unit": measure.get_unit_display(),
        "unit_key": measure.unit,
        "direction": measure.get_direction_display(),
        "baseline": str(measure.baseline_value),
        "baseline_date": _day(measure.baseline_date),
        "baseline_iso": measure.baseline_date.isoformat(),
        "target": str(measure.target_value),
        "target_date": _day(measure.target_date),
        "target_iso": measure.target_date.isoformat(),
        "readings_total": total,
        "table_note": table_note,
        "chart_note": chart_note(readings, date=lambda r: r[0]),
        "readings": [
            {"date": _day(date), "short": date.strftime("%b %Y"), "value": str(value)}
            for date, value in shown
        ],
        "trend": [
            {"date": date.isoformat(), "short": date.strftime("%b %Y"), "value": str(value)}
            for date, value in plotted
        ],
    }


# What a focus theme's section lists for the Board (the rest are counted and linked).
BOARD_RISK_SCORE = 12  # open risks scored this or more, and every escalated one
NO_NEXT_MEETING_DAYS = 60  # "due before the next meeting" when none is in the calendar yet


def _board_milestones(
    theme_ids: list[int], *, due_by: dt.date, done_after: dt.date, until: dt.date
) -> tuple[dict[int, list[Milestone]], dict[int, int]]:
    """Each theme's milestones the Board reads, by due date: not done and due before `due_by`
    (overdue ones among them), or done after `done_after` up to `until`; and each theme's count
    of all its milestones. Two queries, however many milestones a theme has."""
    from django.db.models import Count, Q

    listed: dict[int, list[Milestone]] = {pk: [] for pk in theme_ids}
    rows = Milestone.objects.filter(
        Q(due_date__lt=due_by) & ~Q(status=Milestone.Status.DONE)
        | Q(status=Milestone.Status.DONE, completed_on__gt=done_after, completed_on__lte=until),
        theme__in=theme_ids,
    ).order_by("due_date", "pk")
    for m in rows:
        listed[m.theme_id].append(m)
    totals = dict.fromkeys(theme_ids, 0)
    for row in (
        Milestone.objects.filter(theme__in=theme_ids).values("theme").annotate(n=Count("pk"))
    ):
        totals[row["theme"]] = row["n"]
    return listed, totals


def _board_risks(theme_ids: list[int]) -> tuple[dict[int, list[Risk]], dict[int, int]]:
    """Each theme's open risks the Board reads (escalated first, then by score), and each
    theme's count of all its open risks. Two queries."""
    from django.db.models import Count, F, Q

    open_risks = Risk.objects.filter(theme__in=theme_ids, status=Risk.Status.OPEN)
    listed: dict[int, list[Risk]] = {pk: [] for pk in theme_ids}
    rows = (
        open_risks.annotate(product=F("likelihood") * F("impact"))
        .filter(Q(escalated=True) | Q(product__gte=BOARD_RISK_SCORE))
        .order_by("-escalated", "-product", "pk")
    )
    for r in rows:
        listed[r.theme_id].append(r)
    totals = dict.fromkeys(theme_ids, 0)
    for row in open_risks.values("theme").annotate(n=Count("pk")):
        totals[row["theme"]] = row["n"]
    return listed, totals


def pack_snapshot(*, meeting: Meeting, version: int = 1, now=None) -> dict:
    now = now or timezone.now()
    board = meeting.board
    themes = list(
        Theme.objects.filter(programme=board.programme_id).select_related("lead").order_by("number")
    )
    focus_ids = set(meeting.slots.values_list("theme_id", flat=True))
    previous = selectors.previous_meeting(meeting)
    next_one = (
        Meeting.objects.filter(board=board, date__gt=meeting.date, cancelled_at__isnull=True)
        .order_by("date")
        .first()
    )
    # A pack is as at its build: nothing submitted, read or dated after it appears, and a pack
    # rebuilt after the meeting shows no more than was known on the meeting's day.
    meeting_end = timezone.make_aware(dt.datetime.combine(meeting.date, dt.time.max))
    reports = _latest_reports(board.programme_id, themes, as_of=min(now, meeting_end))
    # Evidence runs up to the day the pack is built (never past the meeting), from the
    # previous meeting or, for a board's first meeting, from the month before.
    pack_day = min(timezone.localdate(now), meeting.date)
    evidence_after = previous.date if previous else pack_day - dt.timedelta(days=31)

    # "Last time" is what the board was shown at the previous meeting, from its frozen pack.
    shown_before: dict[str, str] = {}
    earlier_snapshot = None
    if previous is not None:
        earlier = (
            MeetingPack.objects.filter(meeting=previous, status=MeetingPack.Status.PUBLISHED)
            .order_by("-version")
            .first()
        )
        if earlier and earlier.snapshot:
            earlier_snapshot = earlier.snapshot
            shown_before = {row["title"]: row["rag"] for row in earlier.snapshot["overview"]}

    overview = []
    for theme in themes:
        latest = reports[theme.pk]
        now_rag = latest[0].overall_rag if latest else ""
        if theme.title in shown_before:
            last_rag = shown_before[theme.title]
        else:
            last_rag = latest[1].overall_rag if len(latest) > 1 else ""
        overview.append(
            {
                "number": theme.number,
                "title": theme.title,
                "lead": _person(theme.lead),
                "rag": now_rag,
                "rag_last": last_rag,
                "period": date_format(latest[0].period, "F Y") if latest else "",
                "in_focus": theme.pk in focus_ids,
                "milestones_url": site_url(theme.part_url("milestones")),
            }
        )

    overdue = overdue_milestones(programme=board.programme_id, on=pack_day).order_by(
        "theme__number", "due_date", "pk"
    )
    escalated = (
        Risk.objects.filter(theme__in=themes, escalated=True, status=Risk.Status.OPEN)
        .select_related("theme")
        .order_by("theme__number", "pk")
    )

    focus = []
    focus_themes = [t for t in themes if t.pk in focus_ids]
    focus_pks = [t.pk for t in focus_themes]
    measures = list(Measure.objects.filter(theme__in=focus_pks).order_by("theme", "order", "pk"))
    readings = _readings_by_measure(measures, until=pack_day)
    # The Board reads what needs it: due before the next meeting (so overdue too) and not done,
    # or done since the last one; risks scored BOARD_RISK_SCORE or more, or escalated. The rest
    # are counted, with a link to the theme's own pages.
    due_by = next_one.date if next_one else meeting.date + dt.timedelta(days=NO_NEXT_MEETING_DAYS)
    milestones_by_theme, milestones_total = _board_milestones(
        focus_pks, due_by=due_by, done_after=evidence_after, until=pack_day
    )
    risks_by_theme, risks_total = _board_risks(focus_pks)
    for theme in focus_themes:
        focus.append(
            {
                "number": theme.number,
                "title": theme.title,
                "lead": _person(theme.lead),
                "report": _report_data(reports[theme.pk][0] if reports[theme.pk] else None),
                "report_check": report_check(
                    reports[theme.pk][0] if reports[theme.pk] else None, built_on=pack_day
                ),
                "measures": [
                    _measure_data(measure, readings[measure.pk])
                    for measure in measures
                    if measure.theme_id == theme.pk
                ],
                "milestones": [
                    {
                        "title": m.title,
                        "owner": m.owner,
                        "due_date": _day(m.due_date),
                        "status": m.get_status_display(),
                        "overdue": m.is_overdue(pack_day),
                    }
                    for m in milestones_by_theme[theme.pk]
                ],
                "milestones_due_by": _day(due_by),
                "milestones_done_since": _day(evidence_after),
                "milestones_rest": milestones_total[theme.pk] - len(milestones_by_theme[theme.pk]),
                "milestones_url": site_url(theme.part_url("milestones")),
                "risks": [
                    {**r.snapshot(), "escalated": r.escalated} for r in risks_by_theme[theme.pk]
                ],
                "risk_score": BOARD_RISK_SCORE,
                "risks_rest": risks_total[theme.pk] - len(risks_by_theme[theme.pk]),
                "risks_url": site_url(theme.part_url("risks")),
                "evidence_since": _day(evidence_after),
                "evidence": theme_evidence(theme, after=evidence_after, until=pack_day),
            }
        )

    actions = [
        action_row(a, on=pack_day)
        for a in selectors.open_actions(board).filter(meeting__date__lt=meeting.date)
    ]
    focus_titles = [f["title"] for f in focus]
    decisions_asked = [
        {
            "number": f["number"],
            "theme": f["title"],
            "lead": f["lead"],
            "report_id": f["report"]["id"],
            "period": f["report"]["period"],
            "text": f["report"]["decisions_needed"],
        }
        for f in focus
        if f["report"] and f["report"]["asks_board"]
    ]
    budget = budget_section(programme=board.programme, focus_ids=focus_ids)
    agenda = [
        "Welcome, introductions and apologies",
        f"Minutes and actions of the last meeting ({_day(previous.date)})"
        if previous
        else "Terms of reference",
        "Decisions for the Board",
        "Since the last meeting",
        "Programme overview: RAG status, overdue milestones and escalated risks",
        *[f"Focus theme: {title}" for title in focus_titles],
        "Budget summary",
        "Evaluation activity since the last meeting",
        "Actions log",
        "Any other business",
        f"Date of next meeting: {_day(next_one.date)}" if next_one else "Date of next meeting",
    ]
    return {
        "pack": {
            "version": version,
            "built_at": now.isoformat(),
            "built": date_format(timezone.localtime(now), "j F Y, H:i"),
            "built_on": _day(pack_day),
            "reason": "",
        },
        "meeting": {
            "board": board.name,
            "board_short": board.short_name or board.name,
            "date": _day(meeting.date),
            "iso_date": meeting.date.isoformat(),
            "time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
            "venue": meeting.venue,
            "online_link": meeting.online_link,
            "chair": meeting.chair,
            "previous": _day(previous.date) if previous else "",
        },
        "agenda": agenda,
        "decisions_asked": decisions_asked,
        "since_last": since_last_meeting(
            meeting=meeting,
            previous=previous,
            since_day=evidence_after,
            pack_day=pack_day,
            now=now,
            overview=overview,
            budget=budget,
            earlier_snapshot=earlier_snapshot,
        ),
        "overview": overview,
        "overdue_milestones": [
            {
                "theme": m.theme.title,
                "title": m.title,
                "owner": m.owner,
                "due_date": _day(m.due_date),
                "status": m.get_status_display(),
            }
            for m in overdue
        ],
        "escalated_risks": [{"theme": r.theme.title, **r.snapshot()} for r in escalated],
        "focus": focus,
        "budget": budget,
        "evaluation": evaluation_section(
            programme=board.programme,
            since=previous.date if previous else meeting.date - dt.timedelta(days=90),
            until=pack_day,
        ),
        "actions": actions,
    }


_UNIT_KEYS = {label: key for key, label in Measure.Unit.choices}


def _iso_or(value: str | None, shown: str, fmt: str) -> dt.date:
    """A snapshot's date: its ISO form, or (packs built before it was kept) the shown text."""
    if value:
        return dt.date.fromisoformat(value)
    return dt.datetime.strptime(shown, fmt).date()


def snapshot_chart(measure: dict) -> TrendChart:
    """A measure's chart from the snapshot's figures alone, for the same chart function that
    draws the theme page (themes.charts)."""
    # Packs built before the snapshot had a "trend" plot every reading.
    points = measure.get("trend", measure["readings"])
    return TrendChart(
        name=measure["name"],
        unit=measure.get("unit_key") or _UNIT_KEYS.get(measure["unit"], "score"),
        direction=measure["direction"],
        baseline=(
            _iso_or(measure.get("baseline_iso"), measure["baseline_date"], "%d %B %Y"),
            Decimal(measure["baseline"]),
        ),
        target=(
            _iso_or(measure.get("target_iso"), measure["target_date"], "%d %B %Y"),
            Decimal(measure["target"]),
        ),
        readings=[
            (_iso_or(r.get("date"), r["short"], "%b %Y"), Decimal(r["value"])) for r in points
        ],
        note=measure.get("chart_note", ""),
    )


def _with_charts(snapshot: dict) -> dict:
    """Charts are drawn from the snapshot's figures at render time, never from live data, and
    every figure is shown in its measure's unit. The snapshot itself is left as it is: only the
    focus themes and their measures are new dicts."""

    def shown(measure: dict) -> dict:
        chart = snapshot_chart(measure)
        return {
            **measure,
            "chart": trend_chart_html(chart),
            "baseline_shown": chart.fmt(chart.baseline[1]),
            "target_shown": chart.fmt(chart.target[1]),
            "readings": [
                {**r, "shown": format_in_unit(chart.unit, r["value"])} for r in measure["readings"]
            ],
        }

    focus = [
        {**theme, "measures": [shown(m) for m in theme["measures"]]} for theme in snapshot["focus"]
    ]
    return {**snapshot, "focus": focus}


# The overview lists the latest few overdue milestones of a theme not in focus; the rest are
# counted and linked to the theme's milestones.
OVERVIEW_OVERDUE = 5


def overdue_groups(snapshot: dict) -> list[dict]:
    """The overview's overdue milestones by theme: each theme's count, and the milestones it
    lists (none for a focus theme, whose own section lists them; the latest OVERVIEW_OVERDUE
    of another), with the address of the theme's milestones when the snapshot has it."""
    focus = {f["title"] for f in snapshot["focus"]}
    urls = {row["title"]: row.get("milestones_url", "") for row in snapshot["overview"]}
    groups: dict[str, list[dict]] = {}
    for m in snapshot["overdue_milestones"]:
        groups.setdefault(m["theme"], []).append(m)
    found = []
    for theme, milestones in groups.items():
        shown = [] if theme in focus else milestones[-OVERVIEW_OVERDUE:]
        found.append(
            {
                "theme": theme,
                "count": len(milestones),
                "in_focus": theme in focus,
                "milestones": shown,
                "more": len(milestones) - len(shown),
                "url": urls.get(theme, ""),
            }
        )
    return found


def escalated_split(snapshot: dict) -> dict:
    """The overview's escalated risks: those of themes not in focus, listed; a focus theme's
    counted, as its own section lists them."""
    focus = [f["title"] for f in snapshot["focus"]]
    risks = snapshot["escalated_risks"]
    counts = [(title, sum(1 for r in risks if r["theme"] == title)) for title in focus]
    return {
        "elsewhere": [r for r in risks if r["theme"] not in focus],
        "in_focus": [(title, n) for title, n in counts if n],
    }


def _pack_context(snapshot: dict) -> dict:
    s = _with_charts(snapshot)
    # A focus theme's overdue milestones and escalated risks are listed in its own section.
    return {"s": s, "overdue_groups": overdue_groups(s), "escalated": escalated_split(s)}


def render_pack(snapshot: dict) -> tuple[str, str]:
    """The pack's page fragment and its whole document for the PDF, from one drawing of its
    charts."""
    context = _pack_context(snapshot)
    return (
        render_to_string("board/pack_body.html", context),
        render_to_string("board/pack_document.html", context),
    )


def render_pack_html(snapshot: dict) -> str:
    """The pack's body as an HTML fragment, shown inside the site's page."""
    return render_to_string("board/pack_body.html", _pack_context(snapshot))


def render_pack_document(snapshot: dict) -> str:
    """The whole pack as one HTML document for the PDF: cover, contents, sections."""
    return render_to_string("board/pack_document.html", _pack_context(snapshot))


# A chart in a pack's stored HTML: an <img> holding its SVG as a data URI, as the pack was
# built (and its PDF). The pack's page links each chart at an address of its own instead, so the
# page stays light and the browser keeps the charts: a published pack never changes.
_CHART_SRC = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def _chart_key(data: str) -> str:
    """The last part of a chart's address: a fingerprint of the chart itself."""
    return hashlib.sha256(data.encode("ascii")).hexdigest()[:20]


def pack_charts(html: str) -> dict[str, str]:
    """The charts in a built pack's HTML, by their key, each as base64 (see `pack_chart_svg`)."""
    return {_chart_key(match[1]): match[1] for match in _CHART_SRC.finditer(html)}


def pack_chart_svg(data: str) -> bytes:
    return base64.b64decode(data)


def with_chart_addresses(html: str, address) -> str:
    """A built pack's HTML with each chart linked at `address(key)` instead of embedded; those
    after the first EAGER_CHARTS load as the reader scrolls to them. Their alt text stays."""
    count = itertools.count()

    def linked(match) -> str:
        lazy = ' loading="lazy"' if next(count) >= EAGER_CHARTS else ""
        return f'src="{address(_chart_key(match[1]))}"{lazy}'

    return _CHART_SRC.sub(linked, html)


class LocalOnlyFetcher(URLFetcher):
    """Packs are rendered from the snapshot alone: nothing is fetched over the network (an
    address typed into a highlight report must not make the worker call out)."""

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            raise ValueError(f"Meeting packs do not fetch {url}")
        return super().fetch(url, headers)


# The PDF's own stylesheet, read once when the renderer loads.
PDF_CSS = (Path(__file__).resolve().parent / "pack.css").read_text(encoding="utf-8")


# Every generated PDF is a tagged PDF/UA-1 document (WeasyPrint's "pdf/ua-1" variant): its
# language from <html lang>, its <title> shown in the window (DisplayDocTitle), bookmarks from
# the headings, headings, tables and lists tagged as such, each chart a Figure with its alt
# text, and a structure tree in the order of the content. tests/board/test_tagged_pdfs.py
# checks the structure.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(document: str) -> bytes:
    return HTML(string=document, url_fetcher=LocalOnlyFetcher()).write_pdf(
        stylesheets=[CSS(string=PDF_CSS)], pdf_variant=PDF_VARIANT
    )


def report_snapshot(
    *, schedule, period_start: dt.date, period_end: dt.date, now=None, as_of=None
) -> dict:
    """A progress report's content, as known at `as_of` (default now): highlight reports
    submitted later are left out. Items marked restricted never reach a public body."""
    from .models import Decision

    now = now or timezone.now()
    as_of = min(as_of or now, now)
    board = schedule.board
    programme_id = board.programme_id
    themes = list(
        Theme.objects.filter(programme=programme_id).select_related("lead").order_by("number")
    )
    reports = _latest_reports(programme_id, themes, as_of=as_of)
    public = board.is_public
    sections = [key for key in schedule.Section.values if key in schedule.sections]
    decisions = Decision.objects.filter(
        meeting__board__programme=programme_id,
        meeting__board__kind="improvement_board",
        meeting__date__gte=period_start,
        meeting__date__lte=period_end,
    ).select_related("meeting", "theme")
    actions = (
        Action.objects.filter(meeting__board__programme=programme_id, meeting__date__lte=period_end)
        .exclude(status=Action.Status.DONE)
        .select_related("owner", "theme", "meeting")
    )
    if public:
        decisions = decisions.exclude(restricted=True)
        actions = actions.exclude(restricted=True)
    same_month = period_start.month == period_end.month
    period = (
        date_format(period_start, "F Y")
        if same_month
        else f"{date_format(period_start, 'F')} to {date_format(period_end, 'F Y')}"
    )
    return {
        "body": board.name,
        "public": public,
        "period": period,
        "generated": _day(timezone.localdate(now)),
        "as_at": _day(timezone.localdate(as_of)),
        "sections": sections,
        "section_titles": dict(schedule.Section.choices),
        "overview": [
            {
                "number": t.number,
                "title": t.title,
                "lead": _person(t.lead),
                "rag": reports[t.pk][0].overall_rag if reports[t.pk] else "",
                "rag_last": reports[t.pk][1].overall_rag if len(reports[t.pk]) > 1 else "",
            }
            for t in themes
        ],
        "milestones": [
            {
                "theme": m.theme.title,
                "title": m.title,
                "due_date": _day(m.due_date),
                "status": m.get_status_display(),
            }
            # Overdue at the period's end, as it stood then: done only after it is not done.
            for m in overdue_milestones(programme=programme_id, as_of=period_end)
        ],
        "risks": [
            {
                "theme": r.theme.title,
                "description": r.description,
                "score": r.score,
                "mitigation": r.mitigation,
            }
            for r in Risk.objects.filter(
                theme__in=themes, escalated=True, status=Risk.Status.OPEN
            ).select_related("theme")
        ],
        "decisions": [decision_row(d) for d in decisions],
        "actions": [action_row(a, on=period_end) for a in actions],
    }


def render_report_html(snapshot: dict) -> str:
    return render_to_string("board/report_body.html", {"s": snapshot})


def render_report_document(snapshot: dict) -> str:
    return render_to_string("board/report_document.html", {"s": snapshot})
