from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from havering_improve.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and media files into a folder (see README, Backups)."

    def add_arguments(self, parser):
        parser.add_argument("destination", help="Folder to write the backup into")

    def handle(self, *args, destination, **options):
        try:
            manifest = backup_create(destination=Path(destination))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up to {destination}: {', '.join(manifest['files'])}")
