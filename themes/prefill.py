"""A new highlight report's starting text, from the theme's live data, never copied forward
from last month's report: what the data says, each rating with a reason quoting the facts.

- Time, from the milestones: overdue ones (red for two or more, amber for one), or those the
  lead marked at risk (amber).
- Benefits, from the measures of success against their trajectories: red when half or more
  of those with readings are off track or missed their target, amber when any is.
- Risk, from the open risks and issues: red when one scores `RISK_RED` or more, amber from
  `RISK_AMBER`.
- Cost, and anything else another app knows, from `themes.hooks` (the budget rates the theme's
  share of the forecast with its own thresholds).

Scope, quality and the overall status are the lead's judgement: they start blank, as does any
area whose data says nothing (a theme with no measure readings, or no share of a budget).
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from . import hooks, selectors
from .charts import format_value
from .models import RAG, Milestone, Risk, Theme

# A risk's score (likelihood × impact, 1–25) from which it makes the risk area red or amber.
RISK_RED, RISK_AMBER = 15, 8


def _lines(items) -> str:
    return "\n".join(f"- {item}" for item in items)


def _day(value: dt.date) -> str:
    return f"{value:%-d %B %Y}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def time_rating(milestones: list[Milestone], on: dt.date) -> dict:
    overdue = [m for m in milestones if m.is_overdue(on)]
    if overdue:
        return {
            "time_rag": RAG.RED if len(overdue) > 1 else RAG.AMBER,
            "time_reason": f"{_count(len(overdue), 'milestone')} overdue: "
            + "; ".join(f"{m.title} (due {_day(m.due_date)})" for m in overdue),
        }
    at_risk = [m for m in milestones if m.status == Milestone.Status.AT_RISK]
    if at_risk:
        return {
            "time_rag": RAG.AMBER,
            "time_reason": f"No milestone is overdue; {_count(len(at_risk), 'milestone')} "
            "marked at risk: " + "; ".join(f"{m.title} (due {_day(m.due_date)})" for m in at_risk),
        }
    if not milestones:
        return {}
    return {"time_rag": RAG.GREEN, "time_reason": "No milestone is overdue or at risk."}


def benefits_rating(measures: list) -> dict:
    read = [m for m in measures if m.status.on_track is not None]
    if not read:
        return {}
    behind = [m for m in read if not m.status.on_track]

    def fact(m) -> str:
        value = format_value(m, m.latest_value)
        if m.status.key == "missed":
            return f"{m.name} ({value}: target of {format_value(m, m.target_value)} missed)"
        expected = format_value(m, m.status.expected.quantize(Decimal("0.1")))
        return f"{m.name} ({value} against {expected} expected by now)"

    if not behind:
        return {
            "benefits_rag": RAG.GREEN,
            "benefits_reason": f"All {_count(len(read), 'measure')} with readings are on track "
            "or have met their target.",
        }
    return {
        "benefits_rag": RAG.RED if 2 * len(behind) >= len(read) else RAG.AMBER,
        "benefits_reason": f"{len(behind)} of {_count(len(read), 'measure')} with readings "
        "behind: " + "; ".join(fact(m) for m in behind),
    }


def risk_rating(risks: list[Risk]) -> dict:
    if not risks:
        return {"risk_rag": RAG.GREEN, "risk_reason": "No open risks or issues."}
    high = [r for r in risks if r.score >= RISK_RED]
    if high:
        return {
            "risk_rag": RAG.RED,
            "risk_reason": f"Open risks or issues scoring {RISK_RED} or more: "
            + "; ".join(f"{r.description} (score {r.score})" for r in high),
        }
    top = risks[0]
    return {
        "risk_rag": RAG.AMBER if top.score >= RISK_AMBER else RAG.GREEN,
        "risk_reason": f"No open risk or issue scores {RISK_RED} or "
        f"more; the highest scores {top.score}: {top.description}",
    }


def highlight_report_prefill(*, theme: Theme, period: dt.date) -> dict:
    """Starting text and ratings for a period's report from the theme's live data."""
    on = timezone.localdate()
    following = selectors.next_period(period)
    after = selectors.next_period(following)
    milestones = list(Milestone.objects.filter(theme=theme).order_by("due_date", "pk"))
    done = [
        f"{m.title} (done {_day(m.completed_on)})"
        for m in milestones
        if m.status == Milestone.Status.DONE
        and m.completed_on
        and period <= m.completed_on < following
    ]
    due_next = [
        f"{m.title} (due {_day(m.due_date)}, {m.owner or 'no owner'})"
        for m in milestones
        if m.status != Milestone.Status.DONE and following <= m.due_date < after
    ]
    measures = selectors.measures_for_theme(theme)
    measure_lines = []
    for measure in measures:
        if measure.latest_value is None:
            measure_lines.append(f"{measure.name}: no readings yet")
            continue
        change = ""
        if measure.previous_value is not None:
            change = f", from {format_value(measure, measure.previous_value)}"
        measure_lines.append(
            f"{measure.name}: {format_value(measure, measure.latest_value)} on "
            f"{_day(measure.latest_date)}{change} ({measure.status.label.lower()})"
        )
    risks = sorted(
        Risk.objects.filter(theme=theme, status=Risk.Status.OPEN),
        key=lambda r: (-r.score, r.pk),
    )
    return {
        "status_summary": "Measures of success:\n" + _lines(measure_lines) if measure_lines else "",
        "achievements": _lines(done),
        "next_period": _lines(due_next),
        "key_risks_issues": _lines(
            f"{r.get_kind_display()}: {r.description} (score {r.score}"
            f"{', escalated' if r.escalated else ''})"
            for r in risks[:6]
        ),
        **time_rating(milestones, on),
        **benefits_rating(measures),
        **risk_rating(risks),
        **hooks.ratings_for(theme),
    }
