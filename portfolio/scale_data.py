"""A realistic programme at N times one year of Havering's data, for the benchmark.

Deterministic (seeded): the same scale gives the same data. Rows go in with bulk_create in
batches, so generating ten years takes seconds, not hours; the history of generated rows is not
recorded (nobody edited them).
"""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from board.models import Board, Meeting, RotaSlot
from budget.actions.imports import ledger_rows_insert
from budget.models import BudgetAllocation, LedgerImport, LedgerRowValues
from evaluation.models import ActivityKind, EvaluationActivity, EvaluationStrand
from havering_improve import roles, summaries
from havering_improve.actions import batch
from reporting.actions import packs as pack_actions
from reporting.models import MeetingPack
from themes.models import HighlightReport, Measure, MeasureReading, Milestone, Risk, Theme

BATCH = 5000
MEASURES_PER_THEME = 10
MILESTONES_PER_THEME = 50
RISKS_PER_THEME = 40
LEDGER_ROWS_PER_YEAR = 20_000
BENCH_USERS = {
    "bench.board": roles.BOARD_MEMBER,
    "bench.lead": roles.PROJECT_LEAD,
    "bench.pm": roles.PROGRAMME_MANAGER,
}


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


class ScaleData:
    def __init__(self, *, programme, scale: int, today: dt.date, seed: int = 2019):
        self.programme = programme
        self.scale = scale
        self.today = today
        self.rng = random.Random(seed)
        self.start = add_months(first_of_month(today), -12 * scale)
        self.themes = list(Theme.objects.filter(programme=programme).order_by("number"))

    def users(self):
        groups = roles.sync_role_groups()
        User = get_user_model()
        made = {}
        for username, role in BENCH_USERS.items():
            user, _ = User.objects.get_or_create(
                username=username, defaults={"first_name": "Bench", "last_name": role}
            )
            user.groups.add(groups[role] if role in groups else Group.objects.get(name=role))
            made[username] = user
        lead = made["bench.lead"]
        Theme.objects.filter(pk=self.themes[0].pk).update(lead=lead)
        return made

    def themes_data(self):
        rng = self.rng
        weeks = self.scale * 52
        measures = []
        for theme in self.themes:
            for i in range(MEASURES_PER_THEME):
                measures.append(
                    Measure(
                        theme=theme,
                        name=f"{theme.title} measure {i + 1}",
                        unit=rng.choice(["percent", "count", "days", "score"]),
                        direction=rng.choice(["higher", "lower"]),
                        baseline_value=Decimal(rng.randint(20, 60)),
                        baseline_date=self.start,
                        target_value=Decimal(rng.randint(60, 95)),
                        target_date=self.today + dt.timedelta(days=365),
                        order=i,
                    )
                )
        Measure.objects.bulk_create(measures, batch_size=BATCH)
        readings = []
        for measure in Measure.objects.filter(theme__in=self.themes):
            value = float(measure.baseline_value)
            for week in range(weeks):
                value = max(0.0, value + rng.uniform(-2, 2.5))
                readings.append(
                    MeasureReading(
                        measure=measure,
                        value=Decimal(f"{value:.2f}"),
                        date=self.start + dt.timedelta(weeks=week),
                        source="Monthly performance report",
                    )
                )
                if len(readings) >= BATCH:
                    MeasureReading.objects.bulk_create(readings)
                    readings = []
        MeasureReading.objects.bulk_create(readings)

        span = (self.today - self.start).days + 365
        statuses = ["not_started", "on_track", "at_risk", "done"]
        Milestone.objects.bulk_create(
            [
                Milestone(
                    theme=theme,
                    title=f"{theme.title}: milestone {i + 1}",
                    owner="Service manager",
                    due_date=self.start + dt.timedelta(days=rng.randint(0, span)),
                    status=rng.choice(statuses),
                )
                for theme in self.themes
                for i in range(MILESTONES_PER_THEME)
            ],
            batch_size=BATCH,
        )
        Risk.objects.bulk_create(
            [
                Risk(
                    theme=theme,
                    description=f"{theme.title}: risk {i + 1}",
                    likelihood=rng.randint(1, 5),
                    impact=rng.randint(1, 5),
                    owner="Project lead",
                    status=rng.choice(["open", "open", "closed"]),
                    escalated=rng.random() < 0.1,
                    review_date=self.today + dt.timedelta(days=rng.randint(-30, 90)),
                )
                for theme in self.themes
                for i in range(RISKS_PER_THEME)
            ],
            batch_size=BATCH,
        )
        reports = []
        for theme in self.themes:
            for month in range(12 * self.scale):
                period = add_months(self.start, month)
                reports.append(
                    HighlightReport(
                        theme=theme,
                        period=period,
                        status="submitted",
                        overall_rag=rng.choice(["red", "amber", "amber", "green", "green"]),
                        overall_reason="Progress as planned, with the exceptions noted.",
                        status_summary="Work continues to plan.",
                    )
                )
        HighlightReport.objects.bulk_create(reports, batch_size=BATCH)

    def budget_data(self):
        """LEDGER_ROWS_PER_YEAR rows a year through the ledger's bulk insert, as one confirmed
        import a year (the import record is the rows' history)."""
        allocation = BudgetAllocation.objects.filter(programme=self.programme).first()
        lines = list(allocation.lines.order_by("order"))
        user = get_user_model().objects.get(username="bench.pm")
        rng = self.rng
        fy = allocation.financial_year
        for year in range(self.scale):
            batch = LedgerImport.objects.create(
                allocation=allocation,
                original_name=f"ledger-year-{year + 1}.csv",
                uploaded_by=user,
                status=LedgerImport.Status.IMPORTED,
                rows_imported=LEDGER_ROWS_PER_YEAR,
            )
            pending = []
            for n in range(LEDGER_ROWS_PER_YEAR):
                period = n % 12 + 1
                line = lines[n % len(lines)]
                day = fy.period_start(period) + dt.timedelta(days=rng.randint(0, 27))
                pending.append(
                    LedgerRowValues(
                        batch_id=batch.pk,
                        allocation_id=allocation.pk,
                        source_row=n + 2,
                        posting_date=day,
                        period=period,
                        cost_centre="C21450",
                        cost_centre_name="Children's Social Care Improvement Programme",
                        subjective="0101",
                        subjective_name="Salaries",
                        reference=f"Y{year:02d}R{n:07d}",
                        post_number="",
                        description=f"{line.title} posting {n}",
                        amount=Decimal(rng.randint(-5000, 250000)) / 100,
                        line_id=line.pk,
                        rule_id=None,
                        match="coding",
                        active=True,
                    )
                )
                if len(pending) >= BATCH:
                    ledger_rows_insert(actor=user, rows=pending)
                    pending = []
            ledger_rows_insert(actor=user, rows=pending)

    def evaluation_data(self):

        strands = list(EvaluationStrand.objects.filter(programme=self.programme))
        kinds = list(ActivityKind.values)
        activities = []
        for month in range(12 * self.scale):
            for i in range(2):
                start = add_months(self.start, month) + dt.timedelta(days=7 * i)
                activities.append(
                    EvaluationActivity(
                        programme=self.programme,
                        strand=strands[(month + i) % len(strands)],
                        kind=kinds[(month + i) % len(kinds)],
                        title=f"Evaluation activity {month}-{i}",
                        start_date=start,
                        end_date=start + dt.timedelta(days=5),
                        completed_on=start + dt.timedelta(days=5) if start < self.today else None,
                        lead_name="Quality assurance team",
                        partner_authorities="Barking and Dagenham",
                    )
                )
        EvaluationActivity.objects.bulk_create(activities, batch_size=BATCH)

    def board_data(self):
        """12 meetings a year with their rota; one real pack, built and published for the most
        recent meeting, and its files and snapshot standing for the packs of earlier meetings
        (building 120 PDFs would only time WeasyPrint 120 times)."""

        board = Board.objects.get(programme=self.programme, kind=Board.Kind.IMPROVEMENT_BOARD)
        meetings = Meeting.objects.bulk_create(
            [
                Meeting(board=board, date=add_months(self.start, m) + dt.timedelta(days=14))
                for m in range(12 * self.scale)
            ],
            batch_size=BATCH,
        )
        per = max(board.themes_per_meeting, 1)
        RotaSlot.objects.bulk_create(
            [
                RotaSlot(meeting=meeting, theme=self.themes[(i * per + j) % len(self.themes)])
                for i, meeting in enumerate(meetings)
                for j in range(per)
            ],
            batch_size=BATCH,
        )

    def board_packs(self):

        past = list(Meeting.objects.filter(date__lt=self.today).order_by("date"))
        if not past:
            return
        pm = get_user_model().objects.get(username="bench.pm")
        pack = pack_actions.pack_request(meeting=past[-1], actor=pm)
        # Build it here and now, whether or not a worker is listening (the build is idempotent:
        # a queued copy of the same attempt does nothing).
        pack_actions.pack_build(pack_id=pack.pk, attempt=pack.build_attempt)
        pack.refresh_from_db()
        if pack.status != MeetingPack.Status.READY:
            raise RuntimeError(f"The benchmark pack did not build: {pack.error}")
        pack_actions.pack_publish(pack=pack, actor=pm)
        pack.refresh_from_db()
        MeetingPack.objects.bulk_create(
            [
                MeetingPack(
                    meeting=meeting,
                    status=MeetingPack.Status.PUBLISHED,
                    html=pack.html.name,
                    pdf=pack.pdf.name,
                    snapshot=pack.snapshot,
                    snapshot_sha256=pack.snapshot_sha256,
                    pdf_sha256=pack.pdf_sha256,
                    built_at=pack.built_at,
                    published_at=pack.published_at,
                )
                for meeting in past[:-1]
            ],
            batch_size=500,
        )

    # Each app's share of the data; the order follows the dependencies.
    SECTIONS = ["users", "themes_data", "budget_data", "evaluation_data", "board_data"]

    def generate(self):
        for section in self.SECTIONS:
            with batch():  # one transaction; the actions it calls are parts of it
                getattr(self, section)()
        # Rows went in without model signals: cached summaries are out of date.
        summaries.data_changed()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give
        # Outside any transaction: the pack is built by a task queued when its request commits.
        self.board_packs()
