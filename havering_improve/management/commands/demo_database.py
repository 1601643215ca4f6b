"""`make run`'s first step: bring the demo's database up to date, quickly on first start.

An empty SQLite database (a fresh checkout) gets its tables straight from the models, as the
test database does, and every migration recorded as applied: the same schema `migrate` would
reach, in a few seconds instead of the minute it takes to replay every migration's history
(`makemigrations --check` keeps the models and the migrations in step). Any other database,
or one that already has tables, is migrated as usual."""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import override_settings

from havering_improve import demo


class Command(BaseCommand):
    help = "Create or migrate the demo's database (a fresh SQLite file from the models at once)."

    def handle(self, *args, **options):
        try:
            demo.require_demo()
        except demo.DemoRefused as exc:
            raise CommandError(f"Refusing to set up a demo database: {exc}") from None
        connection = connections[DEFAULT_DB_ALIAS]
        verbosity = options["verbosity"]
        if connection.vendor != "sqlite" or connection.introspection.table_names():
            self.stdout.write("Migrating the database ...")
            call_command("migrate", interactive=False, verbosity=verbosity)
            return
        self.stdout.write("Creating the database's tables from the models ...")
        self.stdout.flush()
        without_migrations = {config.label: None for config in apps.get_app_configs()}
        with override_settings(MIGRATION_MODULES=without_migrations):
            call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
        self.stdout.write("Recording every migration as applied ...")
        self.stdout.flush()
        call_command("migrate", fake=True, interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
