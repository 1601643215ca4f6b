"""The parts a meeting pack or a progress report is made of, read from the programme as it
stands when the pack is built (or as at a report's day): the highlight reports shown and how they
stand against the reporting convention, the budget, evaluation activity, what happened since the
last meeting, the focus themes' measures, milestones and risks. Each part is plain JSON."""

import datetime as dt
import re
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.dateformat import format as date_format

from board.models import Action, Decision, Meeting
from budget.models import BudgetAllocation
from budget.selectors import budget_report, theme_spend
from evaluation import selectors as evaluation
from evaluation.selectors import evidence_for_theme
from havering_improve.fy import period_month_name
from havering_improve.templatetags.improve import gbp
from themes.charts import (
    chart_note,
    chart_points,
    month_ends,
)
from themes.models import HighlightReport, Measure, MeasureReading, Milestone, Risk, Theme
from themes.selectors import (
    overdue_milestones,
    recent_submitted_reports,
    report_due_date,
    report_standing,
)


def shown_day(value: dt.date | None) -> str:
    return date_format(value, "j F Y") if value else ""


def person_name(user) -> str:
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


def report_data(report: HighlightReport | None) -> dict | None:
    """The whole highlight report as the lead wrote it: the overall and six area ratings with
    their reasons, the summary and every section."""
    if report is None:
        return None
    return {
        "id": report.pk,
        "period": date_format(report.period, "F Y"),
        "due": shown_day(report_due_date(report.period)),
        "revision": report.revision,
        "revision_reason": report.revision_reason,
        "rag": report.overall_rag,
        "rag_label": report.get_overall_rag_display() if report.overall_rag else "",
        "reason": report.overall_reason,
        "summary": report.status_summary,
        "submitted": shown_day(timezone.localdate(report.submitted_at))
        if report.submitted_at
        else "",
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
        "due": shown_day(standing.due),
        # The report the pack shows and the day that report was due (the one wording of it).
        "shown": date_format(standing.period, "F Y") if standing.period else "",
        "shown_due": shown_day(report_due_date(standing.period)) if standing.period else "",
    }


def latest_reports(programme, themes, *, as_of) -> dict[int, list[HighlightReport]]:
    """Each theme's latest submitted highlight report and the one for the period before, as
    known at `as_of` (an empty list for a theme with none)."""
    recent = recent_submitted_reports(programme, as_of=as_of, periods=2)
    return {theme.pk: recent.get(theme.pk, []) for theme in themes}


def action_row(action: Action, *, on: dt.date) -> dict:
    return {
        "id": action.pk,
        "description": action.description,
        "owner": person_name(action.owner),
        "due_date": shown_day(action.due_date),
        "theme": action.theme.title if action.theme else "",
        "status": action.get_status_display(),
        "overdue": action.is_overdue(on),
        "raised": shown_day(action.meeting.date),
        "progress_note": action.progress_note,
        "restricted": action.restricted,
    }


def budget_section(*, programme, focus_ids: set[int]) -> dict | None:
    """The budget monitoring headline and each focus theme's share of spend, as the budget app
    works them out (money as strings of pounds and pence: JSON has no Decimal)."""
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

    def themes_of(obj) -> str:
        return ", ".join(t.title for t in obj.themes.all())

    def due(activities) -> list[dict]:
        return [
            {
                "title": a.title,
                "strand": a.strand.title,
                "due": shown_day(a.end_date or a.start_date),
                "themes": themes_of(a),
            }
            for a in activities
        ]

    return {
        "since": shown_day(since),
        "done": [
            {
                "title": a.title,
                "strand": a.strand.title,
                "completed_on": shown_day(a.completed_on),
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
    return [
        {
            "date": shown_day(item.date),
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
            "on": shown_day(timezone.localdate(row.history_date)),
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
        "since": shown_day(since_day),
        "previous": shown_day(previous.date) if previous else "",
        "milestones_completed": [
            {"theme": m.theme.title, "title": m.title, "on": shown_day(m.completed_on)}
            for m in completed
        ],
        "milestones_overdue": [
            {"theme": m.theme.title, "title": m.title, "due_date": shown_day(m.due_date)}
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
                "owner": person_name(a.owner),
                "closed_on": shown_day(a.closed_on),
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
        "date": shown_day(decision.meeting.date),
        "restricted": decision.restricted,
    }


# A measure read weekly for ten years has 520 readings: the pack shows the board a summary
# (every reading stays on the measure's own page). The table holds the last reading of each
# of the latest TABLE_MONTHS months with readings; the chart plots what `chart_points` picks.
TABLE_MONTHS = 6


def readings_by_measure(measures, *, until: dt.date) -> dict[int, list[tuple[dt.date, Decimal]]]:
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


def measure_data(measure: Measure, readings: list[tuple[dt.date, Decimal]]) -> dict:
    shown = month_ends(readings, date=lambda r: r[0])[-TABLE_MONTHS:]
    plotted = chart_points(readings, date=lambda r: r[0])
    total = len(readings)
    table_note = ""
    if total != len(shown):
        table_note = (
            f"The last reading of each month, for the latest {_plural(len(shown), 'month')} "
            f"with readings; {_plural(total, 'reading')} in all since {shown_day(readings[0][0])}. "
            "Every reading is on the measure's own page in the app."
        )
    return {
        "name": measure.name,
        "unit": measure.get_unit_display(),
        "unit_key": measure.unit,
        "direction": measure.get_direction_display(),
        "baseline": str(measure.baseline_value),
        "baseline_date": shown_day(measure.baseline_date),
        "baseline_iso": measure.baseline_date.isoformat(),
        "target": str(measure.target_value),
        "target_date": shown_day(measure.target_date),
        "target_iso": measure.target_date.isoformat(),
        "readings_total": total,
        "table_note": table_note,
        "chart_note": chart_note(readings, date=lambda r: r[0]),
        "readings": [
            {"date": shown_day(date), "short": date.strftime("%b %Y"), "value": str(value)}
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


def board_milestones(
    theme_ids: list[int], *, due_by: dt.date, done_after: dt.date, until: dt.date
) -> tuple[dict[int, list[Milestone]], dict[int, int]]:
    """Each theme's milestones the Board reads, by due date: not done and due before `due_by`
    (overdue ones among them), or done after `done_after` up to `until`; and each theme's count
    of all its milestones. Two queries, however many milestones a theme has."""
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


def board_risks(theme_ids: list[int]) -> tuple[dict[int, list[Risk]], dict[int, int]]:
    """Each theme's open risks the Board reads (escalated first, then by score), and each
    theme's count of all its open risks. Two queries."""
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
