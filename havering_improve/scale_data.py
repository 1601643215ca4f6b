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
from django.db import transaction

from havering_improve import roles
from themes.models import HighlightReport, Measure, MeasureReading, Milestone, Risk, Theme

BATCH = 5000
MEASURES_PER_THEME = 10
MILESTONES_PER_THEME = 50
RISKS_PER_THEME = 40
BENCH_USERS = {"bench.board": roles.BOARD_MEMBER, "bench.lead": roles.PROJECT_LEAD}


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

    # Each app's share of the data; the order follows the dependencies.
    SECTIONS = ["users", "themes_data"]

    @transaction.atomic
    def generate(self):
        for section in self.SECTIONS:
            getattr(self, section)()
