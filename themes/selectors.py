import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, DateField, DecimalField, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from havering_improve import clock, summaries
from programme.models import Programme

from .models import (
    PID,
    HighlightReport,
    Measure,
    MeasureReading,
    Milestone,
    TeamMembership,
    Theme,
)


def current_programme() -> Programme:
    """The programme this deployment runs: PROGRAMME_SLUG if set, else the first one."""
    slug = getattr(settings, "PROGRAMME_SLUG", None)
    queryset = Programme.objects.all()
    programme = queryset.filter(slug=slug).first() if slug else queryset.order_by("pk").first()
    if programme is None:
        raise Http404("No programme has been loaded yet. Run `manage.py load_programme`.")
    return programme


def kept_programme() -> Programme:
    """`current_programme`, kept in the summaries cache (a change to the programme's row
    raises every area): for pages."""
    return summaries.cached(("programme",), current_programme, areas=())


def themes_with_leads(programme: Programme):
    return (
        Theme.objects.filter(programme=programme)
        .select_related("lead")
        .prefetch_related(
            Prefetch("memberships", queryset=TeamMembership.objects.select_related("user"))
        )
        .order_by("number")
    )


# --- Reads the theme pages, the programme dashboard and the board's meeting pack share -------
#
# Every function here runs a fixed number of queries whatever the number of themes, readings or
# reports, so the pages built on them keep a constant query count.


def today() -> dt.date:
    """Today in Europe/London, the date every "overdue" and "current period" is judged on."""
    return clock.today()


def period_start(day: dt.date) -> dt.date:
    """The reporting period (calendar month) a day falls in, as its first day."""
    return day.replace(day=1)


def previous_period(period: dt.date) -> dt.date:
    return period_start(period - dt.timedelta(days=1))


def next_period(period: dt.date) -> dt.date:
    return period_start(period + dt.timedelta(days=32))


# The reporting convention ----------------------------------------------------------------------
#
# One rule, stated here and nowhere else (README, "Highlight reports"): a highlight report covers
# one calendar month, its period (stored as the month's first day), and is due on the
# REPORT_DUE_DAY of that month, written before the month-end figures come in. The November report
# is due on 26 November. The dashboard, the leads' reminders, the board packs, a theme's board
# rota, the home pages and the demo all ask here.

REPORT_DUE_DAY = 26


def report_due_date(period: dt.date) -> dt.date:
    """The day a period's highlight report is due: REPORT_DUE_DAY of its month."""
    return period_start(period).replace(day=REPORT_DUE_DAY)


def current_period(on: dt.date | None = None) -> dt.date:
    """The reporting period whose highlight report is being written on `on` (default today):
    the calendar month it falls in. On 2 December that is December, due on 26 December."""
    return period_start(on or today())


def expected_report_period(by: dt.date) -> dt.date:
    """The latest period whose report is due on or before `by`: what a meeting pack built on
    `by` should show. Built on 3 December it is November (due 26 November); on 26 December,
    December."""
    period = current_period(by)
    return period if report_due_date(period) <= by else previous_period(period)


@dataclass(frozen=True)
class ReportStanding:
    """How a theme's latest submitted highlight report stands against the convention on a day.

    key: "in" (the expected period's report or a newer one, on time), "late" (the report shown
    came in after its due date), "older" (the newest report is for an earlier period than
    expected) or "missing" (no report at all)."""

    key: str
    expected: dt.date  # the period expected
    due: dt.date  # when the expected period's report was due
    period: dt.date | None = None  # the period of the report shown, if any
    submitted_on: dt.date | None = None

    @property
    def flagged(self) -> bool:
        return self.key != "in"

    @property
    def message(self) -> str:
        expected, due = f"{self.expected:%B %Y}", f"{self.due:%-d %B %Y}"
        if self.key == "missing":
            return f"No highlight report submitted. The {expected} report was due on {due}."
        if self.key == "older":
            return (
                f"Shows the {self.period:%B %Y} report: the {expected} report, due on {due}, "
                "had not been submitted."
            )
        shown = f"The {self.period:%B %Y} report"
        if self.key == "late":
            return (
                f"{shown} was submitted late, on {self.submitted_on:%-d %B %Y} "
                f"(due {report_due_date(self.period):%-d %B %Y})."
            )
        return f"{shown}, submitted on {self.submitted_on:%-d %B %Y}."


def report_standing(
    *, period: dt.date | None, submitted_on: dt.date | None, by: dt.date
) -> ReportStanding:
    """Where a theme's newest submitted report (its period and the day it was submitted, or
    None) stands on `by` — the day a pack is built, or today."""
    expected = expected_report_period(by)
    due = report_due_date(expected)
    if period is None:
        return ReportStanding("missing", expected, due)
    if period < expected:
        key = "older"
    elif submitted_on is not None and submitted_on > report_due_date(period):
        key = "late"
    else:
        key = "in"
    return ReportStanding(key, expected, due, period, submitted_on)


# Milestones ------------------------------------------------------------------------------------


def overdue_milestones(
    *, programme=None, theme=None, on: dt.date | None = None, as_of: dt.date | None = None
):
    """Milestones due before the day that are not done, earliest first: the one meaning of
    "overdue".

    The day is `on` (default today), judged on each milestone's status now; or `as_of`, a day
    past, judged as it stood at its end: a milestone done only after it (its completion date
    later) was not done then. Pass a programme for all its themes or one theme. Rows come with
    their theme."""
    day = as_of or on or today()
    not_done = ~Q(status=Milestone.Status.DONE)
    if as_of is not None:
        not_done |= Q(completed_on__gt=as_of)
    queryset = Milestone.objects.filter(not_done, due_date__lt=day)
    if theme is not None:
        queryset = queryset.filter(theme=theme)
    if programme is not None:
        queryset = queryset.filter(theme__programme=programme)
    return queryset.select_related("theme").order_by("due_date", "pk")


def milestones_for_theme(theme):
    return Milestone.objects.filter(theme=theme).order_by("due_date", "pk")


# Measures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureStatus:
    """Where a measure stands against its target: key is one of no_data, on_track, off_track,
    met, missed. `on_track` is True for on_track and met, False for off_track and missed, None
    when there are no readings."""

    key: str
    label: str
    tag: str  # GOV.UK tag colour modifier
    expected: Decimal | None = None

    @property
    def on_track(self) -> bool | None:
        if self.key == "no_data":
            return None
        return self.key in ("on_track", "met")


def _better_or_equal(measure, a: Decimal, b: Decimal) -> bool:
    return a >= b if measure.direction == Measure.Direction.HIGHER else a <= b


def expected_value(measure, on: dt.date) -> Decimal:
    """Where the measure should be on `on` if it moved in a straight line from its baseline to
    its target (clamped to the baseline before the baseline date, the target after)."""
    span = (measure.target_date - measure.baseline_date).days
    elapsed = (on - measure.baseline_date).days
    fraction = Decimal(min(max(elapsed, 0), span)) / Decimal(span) if span > 0 else Decimal(1)
    value = measure.baseline_value + (measure.target_value - measure.baseline_value) * fraction
    return value.quantize(Decimal("0.01"))


def measure_status(measure, latest_value=None, latest_date=None) -> MeasureStatus:
    """Is the measure on track for its target?

    Compares the latest reading with the straight line from baseline to target at the reading's
    date: at or better than the line is on track. A reading that has reached the target is
    "target met"; a latest reading on or after the target date that has not is "target missed".
    Pass the latest reading (see `measures_with_latest`) to avoid a query; without it the
    measure's readings are read.
    """
    if latest_value is None:
        latest_value = getattr(measure, "latest_value", None)
        latest_date = getattr(measure, "latest_date", None)
    if latest_value is None and not hasattr(measure, "latest_value"):
        reading = measure.readings.order_by("-date", "-pk").first()
        if reading is not None:
            latest_value, latest_date = reading.value, reading.date
    if latest_value is None:
        return MeasureStatus("no_data", "No readings yet", "grey")
    if _better_or_equal(measure, latest_value, measure.target_value):
        return MeasureStatus("met", "Target met", "green", measure.target_value)
    expected = expected_value(measure, latest_date)
    if latest_date >= measure.target_date:
        return MeasureStatus("missed", "Target missed", "red", expected)
    if _better_or_equal(measure, latest_value, expected):
        return MeasureStatus("on_track", "On track", "green", expected)
    return MeasureStatus("off_track", "Off track", "red", expected)


_VALUE = DecimalField(max_digits=12, decimal_places=2)


def measures_with_latest(queryset=None):
    """Measures annotated with `latest_value`, `latest_date` and `previous_value` (the reading
    before the latest), in one query."""
    readings = MeasureReading.objects.filter(measure=OuterRef("pk")).order_by("-date", "-pk")
    queryset = Measure.objects.all() if queryset is None else queryset
    return queryset.annotate(
        # Explicit output fields: SQLite would otherwise hand back text for dates and decimals.
        latest_value=Subquery(readings.values("value")[:1], output_field=_VALUE),
        latest_date=Subquery(readings.values("date")[:1], output_field=DateField()),
        previous_value=Subquery(readings.values("value")[1:2], output_field=_VALUE),
    )


class ReadingPoint(NamedTuple):
    """What a chart and a readings table show of a reading."""

    pk: int
    date: dt.date
    value: Decimal
    source: str


def measures_for_theme(theme, *, only: list[int] | None = None) -> list:
    """The theme's measures (those in `only`, if given) with their latest reading, status
    (`.status`) and readings (`.reading_list`, oldest first) — two queries, whatever the number
    of readings."""
    measures = Measure.objects.filter(theme=theme)
    readings = MeasureReading.objects.filter(measure__theme=theme)
    if only is not None:
        measures, readings = measures.filter(pk__in=only), readings.filter(measure__in=only)
    measures = list(measures_with_latest(measures).order_by("order", "pk"))
    by_measure: dict[int, list] = {m.pk: [] for m in measures}
    # Ten years of weekly readings are thousands of rows: plain tuples, not model instances.
    fields = ReadingPoint._fields
    for row in readings.order_by("date", "pk").values_list("measure_id", *fields):
        by_measure[row[0]].append(ReadingPoint(*row[1:]))
    for measure in measures:
        measure.theme = theme  # for its URL, without a query each
        measure.reading_list = by_measure[measure.pk]
        measure.status = measure_status(measure)
    return measures


# Highlight reports -----------------------------------------------------------------------------


def submitted_reports(*, programme=None, theme=None, as_of=None):
    """Submitted highlight reports (of a programme's themes, or one theme), latest period first
    and, within a period, latest revision first: the first row for a theme is its latest
    submitted report, what the Board last saw from it. `as_of`: only those submitted by then
    (a pack or progress report as it was known on the day)."""
    reports = HighlightReport.objects.filter(status=HighlightReport.Status.SUBMITTED)
    if programme is not None:
        reports = reports.filter(theme__programme=programme)
    if theme is not None:
        reports = reports.filter(theme=theme)
    if as_of is not None:
        reports = reports.filter(submitted_at__lte=as_of)
    return reports.order_by("-period", "-revision")


def latest_submitted_report(theme, *, as_of=None) -> HighlightReport | None:
    """The theme's latest submitted highlight report (latest period, latest revision)."""
    return submitted_reports(theme=theme, as_of=as_of).first()


def latest_submitted_report_value(field: str) -> Subquery:
    """A field of each theme's latest submitted report, to annotate themes with (no query of
    its own): `Theme.objects.annotate(rag=latest_submitted_report_value("overall_rag"))`."""
    return Subquery(submitted_reports().filter(theme=OuterRef("pk")).values(field)[:1])


def recent_submitted_reports(
    programme, *, as_of=None, periods: int = 1
) -> dict[int, list[HighlightReport]]:
    """{theme id: its latest submitted report for each of its last `periods` periods, newest
    first} for every theme of the programme that has one, in one query: `periods=2` gives what
    the Board sees now and what it saw the period before."""
    found: dict[int, list[HighlightReport]] = {}
    reports = (
        submitted_reports(programme=programme, as_of=as_of)
        .select_related("theme", "submitted_by")
        .order_by("theme_id", "-period", "-revision")
    )
    for report in reports:
        shown = found.setdefault(report.theme_id, [])
        if len(shown) < periods and all(r.period != report.period for r in shown):
            shown.append(report)
    return found


def reports_for_theme(theme):
    """All the theme's highlight reports, newest period first, every revision."""
    return (
        HighlightReport.objects.filter(theme=theme)
        .select_related("submitted_by")
        .order_by("-period", "-revision")
    )


# The programme dashboard -----------------------------------------------------------------------


@dataclass
class ThemeRow:
    theme: Theme
    current_rag: str = ""
    current_period: dt.date | None = None
    previous_rag: str = ""
    previous_period: dt.date | None = None
    report_state: str = "missing"  # for the current period: submitted, draft, due or missing
    next_milestone_title: str | None = None
    next_milestone_due: dt.date | None = None
    overdue_count: int = 0
    measures_on_track: int = 0
    measures_off_track: int = 0
    measures_no_data: int = 0


def programme_dashboard(programme, on: dt.date | None = None) -> dict:
    """One row per theme for the programme dashboard (and the board pack's overview).

    Each row holds the theme's current RAG (its latest submitted report) and the one before, the
    state of its report for the current period (`current_period`: the month just ended, due on
    `report_due_date`), its next open milestone, overdue milestones and
    its measures on and off track. Four queries, whatever the programme holds."""
    on = on or today()
    period = current_period(on)
    open_milestones = Milestone.objects.filter(theme=OuterRef("pk")).exclude(
        status=Milestone.Status.DONE
    )
    upcoming = open_milestones.filter(due_date__gte=on).order_by("due_date", "pk")
    themes = list(
        Theme.objects.filter(programme=programme)
        .select_related("lead")
        .annotate(
            overdue_count=Count(
                "milestones",
                filter=Q(milestones__due_date__lt=on)
                & ~Q(milestones__status=Milestone.Status.DONE),
            ),
            next_title=Subquery(upcoming.values("title")[:1]),
            next_due=Subquery(upcoming.values("due_date")[:1], output_field=DateField()),
        )
        .order_by("number")
    )
    rows = {
        t.pk: ThemeRow(
            theme=t,
            overdue_count=t.overdue_count,
            next_milestone_title=t.next_title,
            next_milestone_due=t.next_due,
        )
        for t in themes
    }
    submitted: dict[int, list] = {}
    reports = (
        HighlightReport.objects.filter(theme__programme=programme)
        .order_by("theme_id", "-period", "-revision")
        .values_list("theme_id", "period", "status", "overall_rag")
    )
    for theme_id, report_period, status, rag in reports:
        row = rows.get(theme_id)
        if row is None:
            continue
        if report_period == period and row.report_state != "submitted":
            row.report_state = "submitted" if status == "submitted" else "draft"
        if status == "submitted":
            periods = submitted.setdefault(theme_id, [])
            if not periods or periods[-1][0] != report_period:
                periods.append((report_period, rag))
    for theme_id, periods in submitted.items():
        row = rows[theme_id]
        row.current_period, row.current_rag = periods[0]
        if len(periods) > 1:
            row.previous_period, row.previous_rag = periods[1]
    for measure in measures_with_latest(Measure.objects.filter(theme__programme=programme)):
        status = measure_status(measure)
        row = rows[measure.theme_id]
        if status.on_track is None:
            row.measures_no_data += 1
        elif status.on_track:
            row.measures_on_track += 1
        else:
            row.measures_off_track += 1
    ordered = [rows[t.pk] for t in themes]
    due = report_due_date(period)
    if on <= due:  # not yet late: "due", not "missing"
        for row in ordered:
            if row.report_state == "missing":
                row.report_state = "due"
    return {
        "period": period,
        "due": due,
        "rows": ordered,
        "missing_count": sum(1 for r in ordered if r.report_state != "submitted"),
        "overdue_total": sum(r.overdue_count for r in ordered),
    }


def pid_for_reading(theme):
    """The theme's PID to show; an unsaved empty draft if nobody has written one yet (reading a
    theme must not write to it)."""
    return PID.objects.filter(theme=theme).first() or PID(theme=theme)


def themes_led_by(user):
    if not user.is_authenticated:
        return Theme.objects.none()
    return Theme.objects.filter(lead=user).order_by("number")


def themes_of_member(user):
    if not user.is_authenticated:
        return Theme.objects.none()
    return Theme.objects.filter(memberships__user=user).order_by("number")


def theme_labels(prefix: str):
    """For `actions.rows_changed`: theme ids to "prefix: theme title", in the themes' order."""

    def label(ids) -> dict:
        themes = Theme.objects.filter(pk__in=ids).order_by("number")
        return {theme.pk: f"{prefix}: {theme.title}" for theme in themes}

    return label
