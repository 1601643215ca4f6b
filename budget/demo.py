"""Demo budget data: the sample ledger extract imported with matching rules, posts with their
recruitment status, and a couple of commitments — so the monitoring report shows real actuals,
an allocation queue (the training rows no rule places) and a forecast with recruitment slippage.

Idempotent: each piece is created only if it is not there yet, and the extract's rows are
skipped by transaction reference on a second run.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File

from . import services
from .models import BudgetAllocation, Commitment, LedgerImport, MatchingRule, Post

DEMO_EXTRACT = Path(settings.BASE_DIR) / "data" / "demo" / "ledger-extract-2019-20.csv"
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
        "CON-2019-044",
        "9800.00",
        dt.date(2019, 9, 12),
    ),
]


def demo_data_load(*, programme, stdout=None) -> None:
    allocation = BudgetAllocation.objects.filter(programme=programme, start_year=2019).first()
    user = get_user_model().objects.filter(username="finance.officer").first()
    if allocation is None or user is None:
        return
    demo_setup(allocation=allocation, user=user)
    lines = {line.code: line for line in allocation.lines.all()}
    for code, kind, description, reference, amount, raised in COMMITMENTS:
        if not Commitment.objects.filter(line=lines[code], reference=reference).exists():
            services.commitment_save(
                user=user,
                commitment=Commitment(
                    line=lines[code],
                    kind=kind,
                    description=description,
                    reference=reference,
                    amount=Decimal(amount),
                    raised_on=raised,
                ),
            )
    membership = lines["research-in-practice"]
    if not membership.months.exists():
        # The membership is paid once, in May: profile it there, and forecast nothing after.
        services.line_months_update(
            line=membership,
            user=user,
            profile={p: Decimal("15000.00") if p == 2 else Decimal("0.00") for p in range(1, 13)},
            forecast=dict.fromkeys(range(1, 13), Decimal("0.00")),
        )
    if LedgerImport.objects.filter(
        allocation=allocation, status=LedgerImport.Status.IMPORTED
    ).exists():
        return
    with DEMO_EXTRACT.open("rb") as handle:
        batch = services.ledger_import_upload(
            allocation=allocation, uploaded_file=File(handle, name=DEMO_EXTRACT.name), user=user
        )
    if batch.status == LedgerImport.Status.PREVIEWED:
        batch = services.ledger_import_confirm(batch=batch, user=user)
    if stdout is not None:
        stdout.write(
            f"Budget demo: imported {batch.rows_imported} ledger rows "
            f"(£{batch.total_imported:,.2f}); {batch.summary['counts']['unmatched']} wait for "
            "allocation."
        )


def demo_setup(*, allocation, user) -> None:
    """The programme's cost centre, its posts and the matching rules for the sample extract
    (the tests use these too)."""
    lines = {line.code: line for line in allocation.lines.all()}
    settings_obj = services.allocation_settings(allocation)
    if not settings_obj.cost_centres:
        services.allocation_settings_update(
            allocation=allocation, user=user, cost_centres=COST_CENTRE
        )
    for number, code, title, cost, status, start in POSTS:
        if not Post.objects.filter(line=lines[code], post_number=number).exists():
            post = Post(
                line=lines[code],
                post_number=number,
                title=title,
                annual_cost=Decimal(cost),
                status=status,
                start_date=start,
            )
            services.post_save(user=user, post=post)
        if not MatchingRule.objects.filter(allocation=allocation, post_number=number).exists():
            services.rule_save(
                allocation=allocation, user=user, line=lines[code], kind="post", post_number=number
            )
    for subjective, text, code in CODING_RULES:
        if not MatchingRule.objects.filter(
            allocation=allocation, kind="coding", subjective=subjective
        ).exists():
            services.rule_save(
                allocation=allocation,
                user=user,
                line=lines[code],
                kind="coding",
                cost_centre=COST_CENTRE,
                subjective=subjective,
                description_contains=text,
            )
