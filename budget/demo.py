"""Demo budget data: the sample ledger extract imported with matching rules, posts with their
recruitment status, and a couple of commitments — so the monitoring report shows real actuals,
an allocation queue (the training rows no rule places) and a forecast with recruitment slippage.
Month-end has happened as the finance officer would do it: each month before last is closed
(its training rows placed on their lines first), so the report shows the previous forecast
beside the latest; last month waits for its close, with its training rows in the queue.

Idempotent: each piece is created only if it is not there yet, and the extract's rows are
skipped by transaction reference on a second run.
"""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from havering_improve.actions import backdate
from havering_improve.fy import FinancialYear

from . import imports, periods, selectors
from .actions import allocations as allocation_actions
from .actions import imports as import_actions
from .actions import lines as line_actions
from .actions import periods as period_actions
from .actions import rules as rule_actions
from .models import BudgetAllocation, Commitment, LedgerImport, LedgerRow, MatchingRule, Post

DEMO_EXTRACT = Path(settings.BASE_DIR) / "data" / "demo" / "ledger-extract-2019-20.csv"
SAMPLE_YEAR = 2019  # the extract's financial year; the demo moves it to the current one
COST_CENTRE = "C21450"

# (post number, line code, title, annual cost, status, start date)
POSTS = [
    (
        "P10231",
        "head-of-service-qa",
        "Head of Service Quality Assurance",
        "15000.00",
        "appointed",
        dt.date(2019, 4, 1),
    ),
    (
        "P10232",
        "group-manager-backfill",
        "Group Manager (backfill)",
        "80000.00",
        "appointed",
        dt.date(2019, 5, 1),
    ),
    (
        "P10233",
        "qa-support-officer",
        "QA Support Officer",
        "39000.00",
        "appointed",
        dt.date(2019, 6, 1),
    ),
    (
        "P10234",
        "family-therapists",
        "Family Therapist 1",
        "84000.00",
        "appointed",
        dt.date(2019, 7, 1),
    ),
    (
        "P10235",
        "family-therapists",
        "Family Therapist 2",
        "84000.00",
        "appointed",
        dt.date(2019, 8, 1),
    ),
    (
        "P10239",
        "family-therapists",
        "Family Therapist 3",
        "84000.00",
        "advertised",
        dt.date(2020, 1, 6),
    ),
    (
        "P10240",
        "family-therapists",
        "Family Therapist 4",
        "84000.00",
        "advertised",
        dt.date(2020, 2, 3),
    ),
    ("P10241", "family-therapists", "Family Therapist 5", "84000.00", "vacant", None),
    (
        "P10236",
        "hsca-coordinator",
        "HSCA Co-ordinator",
        "51000.00",
        "appointed",
        dt.date(2019, 5, 1),
    ),
    (
        "P10237",
        "practice-development-practitioner",
        "Practice Development Practitioner",
        "74000.00",
        "appointed",
        dt.date(2019, 6, 1),
    ),
    ("P10238", "project-manager", "Project Manager", "51000.00", "appointed", dt.date(2019, 4, 1)),
]

# Non-pay codings the programme's lines own. Training (4800) is left to the allocation queue:
# the same subjective pays for both the systemic practice cohorts and other courses.
CODING_RULES = [
    ("4010", "", "research-in-practice"),
    ("4590", "", "resources"),
    ("4550", "", "resources"),
]

# Training invoices in the months after the sample's: (period, description, amount, the line the
# finance officer places it on at month-end). No rule places them: the same subjective pays for
# the systemic practice cohorts, the Academy's courses and the QA team's.
TRAINING_INVOICES = [
    (7, "Practice educator training - ASYE assessors", "2400.00", "hsca-coordinator"),
    (8, "Systemic supervision course - practice supervisors", "3150.00", "family-therapists"),
    (9, "Audit and moderation skills - QA audit pool", "1850.00", "qa-support-officer"),
    (10, "Court skills training - child protection teams", "2275.00", "hsca-coordinator"),
    (11, "Reflective supervision refresher - team managers", "2700.00", "family-therapists"),
    (12, "Contextual safeguarding conference places", "950.00", "hsca-coordinator"),
]
# Where the sample's own training rows go at month-end (by transaction reference).
SAMPLE_TRAINING_LINES = {
    "AP700207": "family-therapists",  # systemic practice training cohort 1
    "JNL700209": "family-therapists",  # its accrual reversal
    "AP700211": "family-therapists",  # cohort 2
}

COMMITMENTS = [
    (
        "resources",
        "order",
        "Social care practice website - phase 2 build",
        "PO-88121",
        "1500.00",
        dt.date(2019, 9, 20),
    ),
    (
        "family-therapists",
        "contract",
        "Systemic practice training cohort 3",
        "CON-{year}-044",
        "9800.00",
        dt.date(2019, 9, 12),
    ),
]


def demo_data_load(*, programme, stdout=None) -> None:
    user = get_user_model().objects.filter(username="finance.officer").first()
    if user is None or not programme.allocations.exists():
        return
    today = timezone.localdate()
    year = FinancialYear.for_date(today)
    allocation = demo_allocation(programme=programme, user=user, year=year)
    shift = year.start_year - SAMPLE_YEAR
    demo_setup(allocation=allocation, user=user, shift=shift)
    lines = {line.code: line for line in allocation.lines.all()}
    for code, kind, description, reference, amount, raised in COMMITMENTS:
        raised = _shifted(raised, shift)
        reference = reference.format(year=year.start_year)
        if raised > today:
            continue
        if not Commitment.objects.filter(line=lines[code], reference=reference).exists():
            line_actions.commitment_add(
                actor=user,
                line=lines[code],
                kind=kind,
                description=description,
                reference=reference,
                amount=Decimal(amount),
                raised_on=raised,
            )
    membership = lines["research-in-practice"]
    if not membership.months.exists():
        # The membership is paid once, in May: profile it there, and forecast nothing after.
        line_actions.line_months_update(
            line=membership,
            actor=user,
            version=membership.version,
            profile={p: Decimal("15000.00") if p == 2 else Decimal("0.00") for p in range(1, 13)},
            forecast=dict.fromkeys(range(1, 13), Decimal("0.00")),
        )
    if not LedgerImport.objects.filter(
        allocation=allocation, status=LedgerImport.Status.IMPORTED
    ).exists():
        _import_extract(allocation=allocation, user=user, year=year, today=today, stdout=stdout)
    closed = _month_ends(allocation=allocation, user=user, today=today, lines=lines)
    if stdout is not None and closed:
        open_period = closed[-1] + 1
        stdout.write(
            f"Budget demo: periods 1 to {closed[-1]} closed; period {open_period} "
            f"({year.period_start(open_period):%B %Y}) waits for its month-end close."
        )


def _import_extract(*, allocation, user, year, today, stdout) -> None:
    content = demo_extract(year=year, today=today)
    if content is None:
        return  # the year's first month is not over: no extract yet
    batch = import_actions.ledger_import_upload(
        allocation=allocation,
        uploaded_file=ContentFile(content, name=f"ledger-extract-{year.slug}.csv"),
        actor=user,
    )
    if batch.status == LedgerImport.Status.PREVIEWED:
        batch = import_actions.ledger_import_confirm(batch=batch, actor=user)
    if stdout is not None:
        waiting = imports.ImportSummary.of(batch).unmatched.count
        stdout.write(
            f"Budget demo: imported {batch.rows_imported} ledger rows "
            f"(£{batch.total_imported:,.2f}); {waiting} wait for allocation."
        )


def _month_ends(*, allocation, user, today, lines) -> list[int]:
    """Close each period before last month's, in order, as the finance officer did in the first
    days of the month after it: its training rows placed on their lines first, so nothing is
    frozen in the queue. Last month's period stays open, waiting for its close. Returns the
    periods closed (now or before)."""
    year = allocation.financial_year
    if today < year.period_end(1):
        return []
    last_month = year.period_for(today.replace(day=1) - dt.timedelta(days=1))
    states = periods.period_states(allocation)
    places = SAMPLE_TRAINING_LINES | {
        f"AP8{period:02d}901": code for period, _d, _a, code in TRAINING_INVOICES
    }
    closed = []
    for period in range(1, last_month):
        if period in states and states[period].closed:
            closed.append(period)
            continue
        waiting = LedgerRow.objects.filter(
            allocation=allocation, period=period, active=True, line__isnull=True
        ).exclude(allocations__isnull=False)
        for row in waiting:
            code = places.get(row.reference)
            if code is not None:
                rule_actions.row_allocate(row=row, splits=[(lines[code], row.amount)], actor=user)
        state = period_actions.period_close(allocation=allocation, period=period, actor=user)
        # Closed on the fourth day after the month ended, in the afternoon.
        closed_on = year.period_end(period) + dt.timedelta(days=4)
        backdate(state, changed_at=_afternoon(min(closed_on, today)))
        closed.append(period)
    return closed


def _afternoon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(16)))


def demo_allocation(*, programme, user, year: FinancialYear) -> BudgetAllocation:
    """The current financial year's allocation: the programme's own if its data file has one,
    otherwise the latest allocation carried forward to this year, so the budget runs in the
    same year as the meetings and reports around it."""
    allocation = BudgetAllocation.objects.filter(
        programme=programme, start_year=year.start_year
    ).first()
    if allocation is None:
        latest = BudgetAllocation.objects.filter(programme=programme).order_by("start_year").last()
        allocation = allocation_actions.allocation_carry_forward(
            allocation=latest, actor=user, start_year=year.start_year
        )
    return allocation


def _shifted(day: dt.date, years: int) -> dt.date:
    return day + relativedelta(years=years)


def demo_extract(*, year: FinancialYear, today: dt.date) -> bytes | None:
    """The sample extract moved to `year`, cut at the last month-end before today; the months
    after the sample's last repeat its payroll, as the ledger would."""
    shift = year.start_year - SAMPLE_YEAR
    month_start = today.replace(day=1)
    with DEMO_EXTRACT.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    out = []
    for row in rows:
        posted = _shifted(dt.datetime.strptime(row[0], "%d/%m/%Y").date(), shift)
        out.append([f"{posted:%d/%m/%Y}", *row[1:]])
    last_period = max(int(row[1]) for row in rows)
    payroll = [row for row in rows if int(row[1]) == last_period and row[6].startswith("PAY")]
    invoices = {period: (text, amount) for period, text, amount, _code in TRAINING_INVOICES}
    for period in range(last_period + 1, 13):
        posted = year.period_start(period).replace(day=28)
        for n, row in enumerate(payroll, start=1):
            out.append(
                [f"{posted:%d/%m/%Y}", str(period), *row[2:6], f"PAY8{period:02d}{n:03d}", *row[7:]]
            )
        if period in invoices:
            text, amount = invoices[period]
            invoiced = year.period_start(period).replace(day=14)
            cost_centre = payroll[0][2:4]
            out.append(
                [f"{invoiced:%d/%m/%Y}", str(period), *cost_centre, "4800", "Training"]
                + [f"AP8{period:02d}901", "", text, amount]
            )
    out = [row for row in out if dt.datetime.strptime(row[0], "%d/%m/%Y").date() < month_start]
    if not out:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(out)
    return buffer.getvalue().encode("utf-8")


def demo_setup(*, allocation, user, shift: int = 0) -> None:
    """The programme's cost centre, its posts and the matching rules for the sample extract
    (the tests use these too)."""
    lines = {line.code: line for line in allocation.lines.all()}
    settings_obj = selectors.allocation_settings(allocation)
    if not settings_obj.cost_centres:
        allocation_actions.allocation_settings_update(
            allocation=allocation, actor=user, cost_centres=COST_CENTRE
        )
    for number, code, title, cost, status, start in POSTS:
        if not Post.objects.filter(line=lines[code], post_number=number).exists():
            line_actions.post_add(
                actor=user,
                line=lines[code],
                post_number=number,
                title=title,
                annual_cost=Decimal(cost),
                status=status,
                start_date=_shifted(start, shift) if start else None,
            )
        if not MatchingRule.objects.filter(allocation=allocation, post_number=number).exists():
            rule_actions.rule_save(
                allocation=allocation, actor=user, line=lines[code], kind="post", post_number=number
            )
    for subjective, text, code in CODING_RULES:
        if not MatchingRule.objects.filter(
            allocation=allocation, kind="coding", subjective=subjective
        ).exists():
            rule_actions.rule_save(
                allocation=allocation,
                actor=user,
                line=lines[code],
                kind="coding",
                cost_centre=COST_CENTRE,
                subjective=subjective,
                description_contains=text,
            )
