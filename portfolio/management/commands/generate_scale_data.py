import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from portfolio.scale_data import ScaleData
from programme.models import Programme


class Command(BaseCommand):
    help = "Generate N years of realistic programme data for the benchmark (deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="years of data")
        parser.add_argument("--seed", type=int, default=2019)
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 26),
            help="the date the data ends at (YYYY-MM-DD)",
        )  # fmt: skip

    def handle(self, *args, scale, seed, today, **options):
        programme = Programme.objects.order_by("pk").first()
        if programme is None:
            raise CommandError("Load a programme first: manage.py load_programme")
        if scale < 1:
            raise CommandError("--scale must be 1 or more")
        ScaleData(programme=programme, scale=scale, today=today, seed=seed).generate()
        self.stdout.write(f"Generated {scale} year(s) of data for {programme}.")
