from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from havering_improve import summaries
from programme import loader


class Command(BaseCommand):
    help = (
        "Load an improvement programme from its data file (idempotent). "
        "With --demo, also create the demo users (only when DEBUG is on)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(loader.DEFAULT_DATA_FILE),
            help="YAML data file (default: the Havering programme)",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Create demo users, password from DEMO_PASSWORD. Refused when DEBUG is off.",
        )

    def handle(self, *args, path, demo, **options):
        if demo and not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo users: DEBUG is off. Demo users never belong in "
                "production."
            )
        try:
            data = loader.read_data_file(path)
            programme, result = loader.programme_load(data=data)
        except loader.ProgrammeDataError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        if result.changed:
            for kind, counts in (("Created", result.created), ("Updated", result.updated)):
                for name, n in sorted(counts.items()):
                    self.stdout.write(f"{kind} {n} {name}")
        else:
            self.stdout.write(f"{programme} is already up to date; nothing changed.")
        if demo:
            created = loader.demo_users_create(programme=programme, password=settings.DEMO_PASSWORD)
            self.stdout.write(
                f"Demo users ready ({len(created)} new). Password: the DEMO_PASSWORD setting."
            )
            from programme import demo as demo_data

            demo_data.demo_data_load(programme=programme, stdout=self.stdout)
        summaries.data_changed()  # the demo data writes some rows without model signals
