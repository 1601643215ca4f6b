import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from havering_improve import demo as demo_setting
from havering_improve import summaries
from portfolio import demo as demo_data
from portfolio import loader


class Command(BaseCommand):
    help = (
        "Load an improvement programme from its data file (idempotent). "
        "With --demo, also create the demo users and data (only when the DEMO setting is on)."
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
            help="Create demo users, password from DEMO_PASSWORD, and the demo's story. "
            "Refused when the DEMO setting is off.",
        )

    def say(self, text: str) -> None:
        """A line of progress, out at once (a long quiet spell looks like a hang)."""
        self.stdout.write(text)
        self.stdout.flush()

    def handle(self, *args, path, demo, **options):
        if demo:
            try:
                demo_setting.require_demo()
            except demo_setting.DemoRefused as exc:
                raise CommandError(f"Refusing to create demo users: {exc}") from None
        started = time.monotonic()
        # Pages' kept summaries are told once, at the end, that everything changed.
        with summaries.held():
            self.say(f"Loading the plan from {path} ...")
            try:
                data = loader.read_data_file(path)
                programme, result = loader.programme_load(data=data)
            except loader.ProgrammeDataError as exc:
                raise CommandError(f"Nothing was loaded. {exc}") from exc
            if result.changed:
                for kind, counts in (("Created", result.created), ("Updated", result.updated)):
                    for name, n in sorted(counts.items()):
                        self.say(f"  {kind} {n} {name}")
            else:
                self.say(f"  {programme} is already up to date; nothing changed.")
            if demo:
                self.say("Building the demo: its users ...")
                created = loader.demo_users_create(
                    programme=programme, password=settings.DEMO_PASSWORD
                )
                self.say(
                    f"  Demo users ready ({len(created)} new). Password: the DEMO_PASSWORD setting."
                )
                demo_data.demo_data_load(programme=programme, stdout=self.stdout)
        if demo:
            self.say(f"Demo ready in {time.monotonic() - started:.0f} s.")
