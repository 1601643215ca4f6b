"""The demo tells one story: `load_programme --demo` builds a timeline relative to today in which
nothing happens in the future, every date follows the one it depends on, and the people, risks
and findings read as a real programme's would."""

import datetime as dt
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from board.models import Action
from budget.models import BudgetAllocation, Commitment, LedgerRow
from evaluation.models import AuditResult, EvaluationActivity, Finding
from havering_improve.fy import FinancialYear
from reporting.models import MeetingPack
from themes.models import (
    PID,
    Comment,
    HighlightReport,
    Measure,
    MeasureReading,
    Milestone,
    PIDVersion,
    Risk,
    TeamMembership,
)

pytestmark = pytest.mark.django_db

SEASONS = {12: "Winter", 1: "Winter", 2: "Winter", 3: "Spring", 4: "Spring", 5: "Spring"}
SEASONS |= {6: "Summer", 7: "Summer", 8: "Summer", 9: "Autumn", 10: "Autumn", 11: "Autumn"}
QUOTED_DATE = re.compile(
    r"\b(\d{1,2} (?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December) \d{4})\b"
)


def _quoted_dates(text):
    return [dt.datetime.strptime(d, "%d %B %Y").date() for d in QUOTED_DATE.findall(text)]


# What people write about a theme, by model: each theme's own words. (A report's time, cost and
# risk reasons, status summary, achievements, plans and risks start as text the service writes
# from the theme's data and its share of the budget, the same words for every theme by design.)
WRITTEN_TEXT = {
    PID: ("outcomes", "governance", "dependencies", "partners"),
    Risk: ("description", "mitigation"),
    HighlightReport: (
        *("overall_reason", "scope_reason", "quality_reason", "benefits_reason"),
        *("path_to_green", "decisions_needed", "lessons"),
    ),
    Comment: ("body",),
    Measure: ("definition",),
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _sentences(text):
    for sentence in SENTENCE_END.split(text or ""):
        sentence = sentence.strip().lstrip("-").strip()
        if sentence:
            yield sentence


def _filler(problems):
    """A sentence written for one theme and found in another's text is filler."""
    themes_of = {}
    for model, fields in WRITTEN_TEXT.items():
        for theme, *texts in model.objects.values_list("theme__slug", *fields):
            for text in texts:
                for sentence in _sentences(text):
                    themes_of.setdefault(sentence, set()).add(theme)
    for sentence, themes in sorted(themes_of.items()):
        if len(themes) > 1:
            problems.append(f"{sentence!r} is written for {len(themes)} themes")


def _partners_named(problems):
    """A theme with partner representatives on its team names them in its PID."""
    for membership in TeamMembership.objects.filter(kind="partner").select_related("theme"):
        pid = PID.objects.get(theme=membership.theme)
        organisation = membership.organisation.split(":")[0]
        if organisation not in pid.partners:
            problems.append(f"{membership.theme.slug}'s PID does not name {organisation}")


def _story_problems(today, now):
    """Every way the generated demo contradicts itself or the calendar, as sentences."""
    problems = []
    year = FinancialYear.for_date(today)

    # The budget is this financial year's, and its ledger has happened.
    allocation = BudgetAllocation.objects.filter(start_year=year.start_year).first()
    if allocation is None:
        problems.append(f"no budget for the current financial year {year.label}")
    rows = LedgerRow.objects.filter(active=True)
    for row in rows.exclude(batch__allocation=allocation):
        problems.append(f"ledger row {row.reference} is not in {year.label}")
    for row in rows.filter(posting_date__gt=today):
        problems.append(f"ledger row {row.reference} is posted in the future")
    for row in rows.exclude(posting_date__range=(year.start, year.end)):
        problems.append(f"ledger row {row.reference} is posted outside {year.label}")
    for commitment in Commitment.objects.filter(raised_on__gt=today):
        problems.append(f"commitment {commitment.reference} is raised in the future")

    # Highlight reports: submitted within their period or after it, never in the future, and
    # quoting only what was known when they were written.
    for report in HighlightReport.objects.filter(status="submitted").select_related("theme"):
        name = f"{report.theme.slug} {report.period:%B %Y} report"
        if report.submitted_at > now:
            problems.append(f"{name} is submitted in the future")
        if timezone.localtime(report.submitted_at).date() < report.period:
            problems.append(f"{name} is submitted before its period began")
        submitted_on = timezone.localtime(report.submitted_at).date()
        text = "\n".join([report.status_summary, report.achievements, report.key_risks_issues])
        later = [d for d in _quoted_dates(text) if d > submitted_on]
        if later:
            problems.append(f"{name} (submitted {submitted_on}) quotes {later[0]}")
        first = PIDVersion.objects.filter(theme=report.theme, number=1).first()
        if first and first.approved_at > report.submitted_at:
            problems.append(f"{name} is submitted before the theme's PID was approved")
    # A report's cost rating is the budget report's for the theme's share of the forecast, and its
    # reason quotes that share's figures, never "in line" beside a red.
    from budget.selectors import theme_spend

    spend = {s.theme.pk: s for p in {t.programme for t in _themes()} for s in theme_spend(p)}
    for report in HighlightReport.objects.select_related("theme"):
        mine = spend.get(report.theme_id)
        name = f"{report.theme.slug} {report.period:%B %Y} report"
        if mine is not None and mine.lines and report.cost_rag != mine.rag:
            problems.append(f"{name} rates cost {report.cost_rag}; the budget says {mine.rag}")
        quoted = f"{abs(mine.forecast_variance_percent)}%" if mine is not None else ""
        if mine is not None and mine.lines and quoted not in report.cost_reason:
            problems.append(f"{name}'s cost reason does not quote the forecast variance")
    for version in PIDVersion.objects.filter(approved_at__gt=now):
        problems.append(f"PID version {version.number} of {version.theme} approved in the future")

    # Measures: readings have happened, counts are whole, the baseline comes first.
    for reading in MeasureReading.objects.filter(date__gt=today).select_related("measure"):
        problems.append(f"a reading of {reading.measure.name} is dated in the future")
    for reading in MeasureReading.objects.filter(
        measure__unit__in=[Measure.Unit.COUNT, Measure.Unit.DAYS]
    ).select_related("measure"):
        if reading.value != reading.value.to_integral_value():
            problems.append(f"{reading.measure.name}: {reading.value} is not a whole number")
    for measure in Measure.objects.all():
        first = measure.readings.order_by("date").values_list("date", flat=True).first()
        if first and first < measure.baseline_date:
            problems.append(f"{measure.name} has a reading before its baseline")
    for milestone in Milestone.objects.filter(completed_on__gt=today):
        problems.append(f"milestone {milestone.title} is completed in the future")

    # Risks: each theme's own; escalations are not one sentence repeated.
    for description, n in Counter(Risk.objects.values_list("description", flat=True)).items():
        if n > 1:
            problems.append(f"the risk {description!r} appears {n} times")

    # Evaluation: done things are in the past, names fit their dates and are not repeated.
    for activity in EvaluationActivity.objects.all():
        if activity.completed_on and activity.completed_on > today:
            problems.append(f"{activity.title} is completed in the future")
        season = re.match(r"(Spring|Summer|Autumn|Winter)\b", activity.title)
        if season and season.group(1) != SEASONS[activity.start_date.month]:
            problems.append(f"{activity.title} starts on {activity.start_date}")
    for title, n in Counter(EvaluationActivity.objects.values_list("title", flat=True)).items():
        if n > 1:
            problems.append(f"the activity {title!r} appears {n} times")
    for title, n in Counter(Finding.objects.values_list("title", flat=True)).items():
        if n > 1:
            problems.append(f"the finding {title!r} appears {n} times")
    for finding in Finding.objects.filter(recorded_on__gt=today):
        problems.append(f"finding {finding.title!r} is recorded in the future")
    for result in AuditResult.objects.filter(date__gt=today):
        problems.append(f"audit result of {result.activity.title} is dated in the future")

    # The board: packs built and published before their meetings, actions due after agreement.
    for pack in MeetingPack.objects.select_related("meeting"):
        meeting_start = timezone.make_aware(
            dt.datetime.combine(pack.meeting.date, pack.meeting.start_time or dt.time(0))
        )
        for field in ("built_at", "published_at"):
            when = getattr(pack, field)
            if when is not None and (when > now or when > meeting_start):
                problems.append(f"the pack for {pack.meeting} has {field} {when}")
        budget = (pack.snapshot or {}).get("budget") or {}
        if budget.get("year") and FinancialYear.for_date(pack.meeting.date) == year:
            if budget["year"] != year.label:
                problems.append(f"the pack for {pack.meeting} shows the {budget['year']} budget")
    for action in Action.objects.select_related("meeting"):
        if action.due_date <= action.meeting.date:
            problems.append(f"action {action.description!r} is due before it was agreed")

    # Each theme's own words, and its partners named.
    _filler(problems)
    _partners_named(problems)
    return problems


def _themes():
    from themes.models import Theme

    return Theme.objects.select_related("programme")


def _since_the_last_meeting(problems):
    """Each pack's "Since the last meeting" lists some of what moved, never everything, and what
    it lists happened between the meetings, on different days."""
    risks = Risk.objects.count()
    moved = Counter()
    for pack in MeetingPack.objects.select_related("meeting"):
        since = pack.snapshot["since_last"]
        opened = since["risks"]["opened"]
        if len(opened) > risks // 3:
            problems.append(f"the pack for {pack.meeting} lists {len(opened)} risks as opened")
        days = {item["on"] for kind in since["risks"].values() for item in kind}
        if len(days) < min(2, sum(len(kind) for kind in since["risks"].values())):
            problems.append(f"the pack for {pack.meeting} has every risk move on one day")
        for kind, items in since["risks"].items():
            moved[kind] += len(items)
        moved["milestones completed"] += len(since["milestones_completed"])
    for kind in ("opened", "closed", "escalated", "milestones completed"):
        if not moved[kind]:
            problems.append(f"no pack lists a risk or milestone {kind} since the last meeting")


def _load_demo(settings):
    settings.DEBUG = True
    call_command("load_programme", "--demo", stdout=StringIO())


def test_the_demo_tells_one_story_relative_to_today(settings):
    _load_demo(settings)
    assert _story_problems(timezone.localdate(), timezone.now()) == []
    # The story is not empty: there is something on each side of today.
    today = timezone.localdate()
    assert HighlightReport.objects.filter(status="submitted").count() >= 20
    assert LedgerRow.objects.filter(active=True).exists()
    assert MeetingPack.objects.filter(status="published").exists()
    assert Risk.objects.filter(escalated=True).count() >= 3
    assert EvaluationActivity.objects.filter(start_date__gt=today).exists()
    problems = []
    _since_the_last_meeting(problems)
    assert problems == []


@freeze_time("2027-04-03 09:00:00")
def test_the_demo_still_tells_one_story_in_the_first_days_of_a_financial_year(settings):
    _load_demo(settings)
    assert _story_problems(timezone.localdate(), timezone.now()) == []


def test_a_sentence_written_for_two_themes_is_reported_as_filler(programme):
    from tests.themes.factories import RiskFactory

    supervision = programme.themes.get(slug="supervision")
    planning = programme.themes.get(slug="smart-planning")
    shared = "Reviewed monthly at the theme meeting."
    RiskFactory(theme=supervision, mitigation=f"{shared} Agency cover is booked.")
    RiskFactory(theme=planning, mitigation=f"- {shared}\n- Chairs check every plan.")
    problems = []
    _filler(problems)
    assert problems == [f"{shared!r} is written for 2 themes"]
