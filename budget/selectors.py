"""Reads: the budget monitoring report, spend by theme, the ledger behind a figure, and what
the writes check against (a year's settings and closed periods, its matching rules and the
queued rows a rule would place). None of them writes.

Every figure is worked out from a fixed number of aggregate queries, whatever the size of the
ledger, and in Decimal pounds and pence.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Sum

from havering_improve import summaries
from havering_improve.fy import FinancialYear
from havering_improve.templatetags.improve import gbp_whole
from themes.models import Theme

from .models import (
    AllocationSettings,
    BudgetAllocation,
    BudgetLine,
    Commitment,
    ForecastSnapshot,
    LedgerRow,
    LineMonth,
    PeriodState,
    Post,
    RowAllocation,
    ThemeWeight,
    Virement,
)

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")
PERIODS = range(1, 13)
# What the budget's kept pages show: the budget's own records, and the themes' names.
BUDGET_AREAS = (summaries.BUDGET, summaries.PROGRAMME)


def allocations_with_lines(programme):
    lines = BudgetLine.objects.prefetch_related("themes").order_by("order")
    return (
        BudgetAllocation.objects.filter(programme=programme)
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("start_year")
    )


def equal_profile(amount: Decimal) -> dict[int, Decimal]:
    """Twelve equal monthly amounts whose running totals are the budget's exact fractions
    (six months of £80,000 is £40,000.00), so they add up to it to the penny."""
    cumulative = [(amount * p / 12).quantize(PENNY, rounding=ROUND_HALF_UP) for p in range(13)]
    return {p: cumulative[p] - cumulative[p - 1] for p in PERIODS}


def post_cost_in_period(post: Post, year: FinancialYear, period: int) -> Decimal:
    """A post costs nothing until someone is in it: from the (expected) start date of an
    appointed or advertised post, pro rata by days in the start month. A vacant post costs 0."""
    if post.status == Post.Status.VACANT or post.start_date is None:
        return ZERO
    start, end = year.period_start(period), year.period_end(period)
    if post.start_date > end:
        return ZERO
    monthly = post.annual_cost / 12
    if post.start_date <= start:
        return monthly.quantize(PENNY, rounding=ROUND_HALF_UP)
    days = calendar.monthrange(start.year, start.month)[1]
    share = Decimal((end - post.start_date).days + 1) / days
    return (monthly * share).quantize(PENNY, rounding=ROUND_HALF_UP)


def pence(value) -> Decimal:
    """SQL sums come back with extra places on SQLite (and as None for no rows)."""
    return (value or ZERO).quantize(PENNY)


def latest_budget(line: BudgetLine) -> Decimal:
    moved_in = pence(Virement.objects.filter(to_line=line).aggregate(s=Sum("amount"))["s"])
    moved_out = pence(Virement.objects.filter(from_line=line).aggregate(s=Sum("amount"))["s"])
    return line.amount + moved_in - moved_out


@dataclass
class LineFigures:
    line: BudgetLine | None
    title: str
    original: Decimal = ZERO
    latest: Decimal = ZERO
    budget_to_date: Decimal = ZERO
    actual_to_date: Decimal = ZERO
    commitments: Decimal = ZERO
    previous_outturn: Decimal | None = None
    latest_outturn: Decimal = ZERO
    profile: dict = field(default_factory=dict)
    actuals: dict = field(default_factory=dict)
    forecast: dict = field(default_factory=dict)
    has_posts: bool = False
    rag: str = "green"

    @property
    def variance_to_date(self) -> Decimal:
        return self.actual_to_date - self.budget_to_date

    @property
    def forecast_variance(self) -> Decimal:
        return self.latest_outturn - self.latest

    @property
    def forecast_variance_percent(self) -> Decimal | None:
        return variance_percent(self.forecast_variance, self.latest)


def variance_percent(variance: Decimal, budget: Decimal) -> Decimal | None:
    """A forecast variance as a percentage of its budget, to one place (None with no budget)."""
    if not budget:
        return None
    return (variance * 100 / budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class BudgetReport:
    allocation: BudgetAllocation
    as_at: int
    closed: set
    lines: list[LineFigures]
    total: LineFigures
    amber: Decimal
    red: Decimal
    unallocated_count: int
    unallocated_total: Decimal

    @property
    def closed_list(self) -> list[int]:
        return sorted(self.closed)

    @property
    def underspend_to_return(self) -> Decimal:
        return max(ZERO, self.total.latest - self.total.latest_outturn)

    def cumulative(self) -> list[dict]:
        """Per period: cumulative profile, actual (to the as-at period) and forecast."""
        rows, profile, actual, forecast = [], ZERO, ZERO, ZERO
        for p in PERIODS:
            profile += self.total.profile[p]
            forecast += self.total.forecast[p]
            if p <= self.as_at:
                actual += self.total.actuals[p]
            rows.append(
                {
                    "period": p,
                    "profile": profile,
                    "actual": actual if p <= self.as_at else None,
                    "forecast": forecast,
                }
            )
        return rows


def _rag(percent: Decimal | None, amber: Decimal, red: Decimal) -> str:
    """The budget's one RAG rule: a forecast variance (over or under) over `red` per cent is
    red, over `amber` amber (the year's settings: `allocation_settings`)."""
    if percent is None:
        return "green"
    size = abs(percent)
    if size > red:
        return "red"
    if size > amber:
        return "amber"
    return "green"


def line_actuals(allocation) -> dict[tuple[int, int], Decimal]:
    """(line id, period) → actual: rows matched at import plus shares allocated by hand.

    Adding up a year's ledger (200,000 rows at month end) is most of the report's cost, and the
    ledger changes only when rows are imported, reversed or allocated: `kept_ledger_totals`
    keeps these sums until then, for pages."""
    out: dict[tuple[int, int], Decimal] = {}
    direct = (
        LedgerRow.objects.filter(allocation=allocation, active=True, line__isnull=False)
        .values("line_id", "period")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for item in direct:
        key = (item["line_id"], item["period"])
        out[key] = out.get(key, ZERO) + pence(item["total"])
    shares = (
        RowAllocation.objects.filter(row__allocation=allocation, row__active=True)
        .values("line_id", period=F("row__period"))
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for item in shares:
        key = (item["line_id"], item["period"])
        out[key] = out.get(key, ZERO) + pence(item["total"])
    return out


def allocation_settings(allocation: BudgetAllocation) -> AllocationSettings:
    """The year's settings, or the defaults (unsaved) until someone changes them."""
    try:
        return allocation.settings
    except AllocationSettings.DoesNotExist:
        return AllocationSettings(allocation=allocation)


def _unallocated(allocation) -> dict:
    return (
        LedgerRow.objects.filter(
            allocation=allocation, active=True, line__isnull=True, allocations__isnull=True
        )
        .order_by()
        .aggregate(n=Count("pk"), total=Sum("amount"))
    )


def _ledger_totals(allocation) -> tuple[dict, dict]:
    return line_actuals(allocation), _unallocated(allocation)


def kept_ledger_totals(allocation) -> tuple[dict, dict]:
    """`line_actuals` and the unallocated queue's count and total, kept until the ledger
    changes (havering_improve.summaries, area "ledger"): for pages."""
    return summaries.cached(
        ("ledger-totals", allocation.pk),
        lambda: _ledger_totals(allocation),
        areas=[summaries.LEDGER],
    )


def commitments_with_payment(queryset=None):
    """Commitments, each annotated `in_actuals`: THE rule for when a commitment is paid. A
    commitment is in the actuals once an active ledger row placed on its line (by a rule or by
    hand) quotes its reference, as the row's transaction reference or in its description; until
    then it is still to be paid, and counts in the forecast outturn. A commitment with no
    reference is never matched: lower its amount (still to be paid) as it is paid."""
    queryset = Commitment.objects.all() if queryset is None else queryset
    quoted = Q(reference__iexact=OuterRef("reference")) | Q(
        description__icontains=OuterRef("reference")
    )
    on_line = Q(line=OuterRef("line")) | Q(allocations__line=OuterRef("line"))
    paying = LedgerRow.objects.filter(
        quoted, on_line, active=True, allocation=OuterRef("line__allocation")
    )
    return queryset.annotate(in_actuals=~Q(reference="") & Exists(paying))


def outstanding_commitments(allocation) -> dict[int, Decimal]:
    """Per line, the commitments still to be paid (not yet in the actuals): one query."""
    return dict(
        commitments_with_payment(Commitment.objects.filter(line__allocation=allocation))
        .filter(in_actuals=False)
        .values("line_id")
        .annotate(total=Sum("amount"))
        .values_list("line_id", "total")
        .order_by()
    )


def budget_report(
    allocation: BudgetAllocation, *, as_at: int | None = None, kept: bool = False
) -> BudgetReport:
    """The monitoring report: each line's budget, actuals and forecast, month by month.
    `kept`: for a page, the ledger's totals may come from the summaries cache; a service
    checking figures inside its own transaction leaves it off, and reads the ledger."""
    year = allocation.financial_year
    settings = allocation_settings(allocation)
    lines = list(BudgetLine.objects.filter(allocation=allocation).order_by("order", "pk"))
    for line in lines:
        line.allocation = allocation
    virements: dict[int, Decimal] = {}
    for v in Virement.objects.filter(allocation=allocation).values(
        "from_line_id", "to_line_id", "amount"
    ):
        virements[v["from_line_id"]] = virements.get(v["from_line_id"], ZERO) - v["amount"]
        virements[v["to_line_id"]] = virements.get(v["to_line_id"], ZERO) + v["amount"]
    actuals, queue = kept_ledger_totals(allocation) if kept else _ledger_totals(allocation)
    commitments = outstanding_commitments(allocation)
    months: dict[int, dict[int, LineMonth]] = {}
    for month in LineMonth.objects.filter(line__allocation=allocation):
        months.setdefault(month.line_id, {})[month.period] = month
    posts: dict[int, list[Post]] = {}
    for post in Post.objects.filter(line__allocation=allocation):
        posts.setdefault(post.line_id, []).append(post)
    previous: dict[int, Decimal] = {}
    for snap in ForecastSnapshot.objects.filter(line__allocation=allocation).order_by(
        "line_id", "-taken_at", "-pk"
    ):
        previous.setdefault(snap.line_id, snap.outturn)
    closed = set(
        PeriodState.objects.filter(allocation=allocation, closed=True).values_list(
            "period", flat=True
        )
    )
    if as_at is None:
        periods_with_actuals = [p for (_, p) in actuals] + list(closed)
        as_at = max(periods_with_actuals, default=0)

    figures = []
    for line in lines:
        latest = line.amount + virements.get(line.pk, ZERO)
        line_months = months.get(line.pk, {})
        if line_months:
            profile = {p: line_months[p].profile if p in line_months else ZERO for p in PERIODS}
        else:
            profile = equal_profile(latest)
        actual = {p: actuals.get((line.pk, p), ZERO) for p in PERIODS}
        line_posts = posts.get(line.pk, [])
        forecast = {}
        for p in PERIODS:
            if p <= as_at:
                forecast[p] = actual[p]
            elif p in line_months and line_months[p].forecast is not None:
                forecast[p] = line_months[p].forecast
            elif line_posts:
                forecast[p] = sum((post_cost_in_period(post, year, p) for post in line_posts), ZERO)
            else:
                forecast[p] = profile[p]
        # Commitments still to be paid are spend to come: counted in the first month without
        # actuals (the year's last if all have them), so the outturn is the forecast's sum.
        outstanding = pence(commitments.get(line.pk))
        if outstanding:
            forecast[min(as_at + 1, PERIODS[-1])] += outstanding
        item = LineFigures(
            line=line,
            title=line.title,
            original=line.amount,
            latest=latest,
            budget_to_date=sum((profile[p] for p in PERIODS if p <= as_at), ZERO),
            actual_to_date=sum((actual[p] for p in PERIODS if p <= as_at), ZERO),
            commitments=outstanding,
            previous_outturn=previous.get(line.pk),
            latest_outturn=sum(forecast.values(), ZERO),
            profile=profile,
            actuals=actual,
            forecast=forecast,
            has_posts=bool(line_posts),
        )
        item.rag = _rag(
            item.forecast_variance_percent, settings.amber_percent, settings.red_percent
        )
        figures.append(item)

    total = LineFigures(line=None, title="Total")
    for attr in ["original", "latest", "budget_to_date", "actual_to_date", "commitments"]:
        setattr(total, attr, sum((getattr(f, attr) for f in figures), ZERO))
    total.latest_outturn = sum((f.latest_outturn for f in figures), ZERO)
    if previous:
        total.previous_outturn = sum((f.previous_outturn or ZERO for f in figures), ZERO)
    for attr in ["profile", "actuals", "forecast"]:
        setattr(
            total, attr, {p: sum((getattr(f, attr)[p] for f in figures), ZERO) for p in PERIODS}
        )
    total.rag = _rag(total.forecast_variance_percent, settings.amber_percent, settings.red_percent)
    return BudgetReport(
        allocation=allocation,
        as_at=as_at,
        closed=closed,
        lines=figures,
        total=total,
        amber=settings.amber_percent,
        red=settings.red_percent,
        unallocated_count=queue["n"] or 0,
        unallocated_total=pence(queue["total"]),
    )


def cached_budget_report(allocation: BudgetAllocation, *, as_at: int | None = None) -> BudgetReport:
    """`budget_report`, kept until the programme's data next changes (see
    havering_improve.summaries): for pages. A service checking figures inside its own
    transaction calls `budget_report`, which always reads the ledger."""
    return summaries.cached(
        ("budget-report", allocation.pk, as_at),
        lambda: budget_report(allocation, as_at=as_at, kept=True),
        areas=BUDGET_AREAS,
    )


def ledger_rows(allocation, *, line=None, up_to=None, period=None, queue=False, batch=None):
    """The ledger rows behind a figure. With a line, each row carries `line_amount`: the part
    of it on that line (all of a matched row, or the share allocated by hand)."""
    rows = LedgerRow.objects.filter(allocation=allocation, active=True).select_related(
        "line", "rule", "batch"
    )
    if batch is not None:
        rows = LedgerRow.objects.filter(batch=batch).select_related("line", "rule", "batch")
    if line is not None:
        share = (
            RowAllocation.objects.filter(row=OuterRef("pk"), line=line)
            .values("row")
            .annotate(s=Sum("amount"))
            .values("s")
        )
        rows = rows.filter(Q(line=line) | Q(allocations__line=line)).distinct()
        rows = rows.annotate(share=Subquery(share))
    if up_to:
        rows = rows.filter(period__lte=up_to)
    if period:
        rows = rows.filter(period=period)
    if queue:
        rows = rows.filter(line__isnull=True, allocations__isnull=True)
    return rows.order_by("posting_date", "reference")


def split_pennies(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Share `amount` by `weights` so the parts add up to it exactly (largest remainder)."""
    total_weight = sum(weights, Decimal(0))
    if not weights or not total_weight:
        return [ZERO for _ in weights]
    pennies = int((amount * 100).to_integral_value())
    raw = [Decimal(pennies) * w / total_weight for w in weights]
    floors = [int(r.to_integral_value(rounding="ROUND_FLOOR")) for r in raw]
    left = pennies - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - floors[i], reverse=True)
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(f) / 100 for f in floors]


@dataclass
class ThemeSpend:
    theme: object
    budget: Decimal = ZERO
    actual_to_date: Decimal = ZERO
    forecast_outturn: Decimal = ZERO
    lines: list = field(default_factory=list)
    # The year's RAG thresholds, which rate the theme's share as the report rates a line.
    amber: Decimal | None = None
    red: Decimal | None = None

    @property
    def forecast_variance(self) -> Decimal:
        return self.forecast_outturn - self.budget

    @property
    def forecast_variance_percent(self) -> Decimal | None:
        return variance_percent(self.forecast_variance, self.budget)

    @property
    def rag(self) -> str:
        """Green, amber or red by the budget report's thresholds ("" with no allocation)."""
        if self.amber is None or self.red is None:
            return ""
        return _rag(self.forecast_variance_percent, self.amber, self.red)


def cached_theme_spend(programme, year: FinancialYear | int | None = None) -> list[ThemeSpend]:
    """`theme_spend`, kept until the programme's data next changes: for pages."""
    start = year.start_year if isinstance(year, FinancialYear) else year
    return summaries.cached(
        ("theme-spend", programme.pk, start),
        lambda: theme_spend(programme, year),
        areas=BUDGET_AREAS,
    )


def _weights_by_line(allocation) -> dict[int, dict[int, Decimal]]:
    weights: dict[int, dict[int, Decimal]] = {}
    for line_id, theme_id, weight in ThemeWeight.objects.filter(
        line__allocation=allocation
    ).values_list("line_id", "theme_id", "weight"):
        weights.setdefault(line_id, {})[theme_id] = weight
    return weights


def fitting_weights(theme_ids: list[int], weights: dict[int, Decimal] | None):
    """The programme manager's weights for a line's themes, in `theme_ids` order; None when
    none are set, or when they no longer fit the line (a theme added to or taken off the line
    since they were set, or nothing left above 0): the line is then shared equally."""
    if not weights or set(weights) != set(theme_ids):
        return None
    shares = [weights[t] for t in theme_ids]
    return shares if sum(shares, Decimal(0)) > 0 else None


def stale_weight_lines(allocation) -> list[BudgetLine]:
    """Lines whose theme weights no longer fit their themes (shared equally until set again)."""
    weights = _weights_by_line(allocation)
    if not weights:
        return []
    line_themes: dict[int, list[int]] = {line_id: [] for line_id in weights}
    through = BudgetLine.themes.through
    for line_id, theme_id in through.objects.filter(budgetline_id__in=list(weights)).values_list(
        "budgetline_id", "theme_id"
    ):
        line_themes[line_id].append(theme_id)
    stale = [pk for pk, themes in line_themes.items() if not fitting_weights(themes, weights[pk])]
    return list(BudgetLine.objects.filter(pk__in=stale).order_by("order", "pk"))


def theme_spend(
    programme, year: FinancialYear | int | None = None, *, report: BudgetReport | None = None
) -> list[ThemeSpend]:
    """Each theme's share of the year's budget, actual spend and forecast: a line's figures are
    split over the themes it supports, equally unless the programme manager set weights.
    The board pack calls this; `year` is a FinancialYear or start year (None: the latest);
    `report`, that allocation's report as at its latest period, if the caller has it already."""
    allocations = BudgetAllocation.objects.filter(programme=programme).order_by("start_year")
    if year is not None:
        start = year.start_year if isinstance(year, FinancialYear) else int(year)
        allocations = allocations.filter(start_year=start)
    allocation = allocations.last()
    themes = list(Theme.objects.filter(programme=programme).order_by("number"))
    result = {t.pk: ThemeSpend(theme=t) for t in themes}
    if allocation is None:
        return list(result.values())
    if report is None or report.allocation.pk != allocation.pk:
        report = budget_report(allocation)
    for spend in result.values():
        spend.amber, spend.red = report.amber, report.red
    line_themes: dict[int, list[int]] = {}
    through = BudgetLine.themes.through
    for line_id, theme_id in through.objects.filter(budgetline__allocation=allocation).values_list(
        "budgetline_id", "theme_id"
    ):
        line_themes.setdefault(line_id, []).append(theme_id)
    weights = _weights_by_line(allocation)
    for figures in report.lines:
        theme_ids = sorted(line_themes.get(figures.line.pk, []))
        if not theme_ids:
            continue
        shares = fitting_weights(theme_ids, weights.get(figures.line.pk)) or [
            Decimal(1) for _ in theme_ids
        ]
        parts = {
            "budget": split_pennies(figures.latest, shares),
            "actual_to_date": split_pennies(figures.actual_to_date, shares),
            "forecast_outturn": split_pennies(figures.latest_outturn, shares),
        }
        for i, theme_id in enumerate(theme_ids):
            spend = result.get(theme_id)
            if spend is None:
                continue
            spend.budget += parts["budget"][i]
            spend.actual_to_date += parts["actual_to_date"][i]
            spend.forecast_outturn += parts["forecast_outturn"][i]
            spend.lines.append(
                {
                    "line": figures.line,
                    "share": shares[i] / sum(shares, Decimal(0)),
                    "budget": parts["budget"][i],
                    "actual_to_date": parts["actual_to_date"][i],
                    "forecast_outturn": parts["forecast_outturn"][i],
                }
            )
    return list(result.values())


def theme_cost_rating(theme) -> dict:
    """The cost rating a theme's new highlight report starts from, as the report's fields
    ({"cost_rag": …, "cost_reason": …}): the theme's share of the latest year's forecast, rated
    by the budget report's thresholds, with the figures. {} when it has no share of a budget."""
    mine = next((s for s in theme_spend(theme.programme) if s.theme.pk == theme.pk), None)
    if mine is None or not mine.lines or not mine.budget:
        return {}
    variance, percent = mine.forecast_variance, mine.forecast_variance_percent
    shown = f"{'−' if percent < 0 else '+' if percent > 0 else ''}{abs(percent)}%"
    allocation = f"the theme's allocation of {gbp_whole(mine.budget)}"
    if variance:
        direction = "over" if variance > 0 else "under"
        reason = f"Forecast {gbp_whole(abs(variance))} {direction} {allocation} ({shown})"
    else:
        reason = f"Forecast in line with {allocation} ({shown})"
    amber, red = (f"{Decimal(t).normalize():f}%" for t in (mine.amber, mine.red))
    reason += (
        f": forecast outturn {gbp_whole(mine.forecast_outturn)}, spent to date "
        f"{gbp_whole(mine.actual_to_date)}. The budget report rates a forecast variance over "
        f"{amber} amber and over {red} red."
    )
    return {"cost_rag": mine.rag, "cost_reason": reason}


def closed_periods(allocation) -> set[int]:
    return set(
        PeriodState.objects.filter(allocation=allocation, closed=True).values_list(
            "period", flat=True
        )
    )
