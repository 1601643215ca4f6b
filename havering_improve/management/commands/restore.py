from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from havering_improve.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore the database and media files from a backup folder. This REPLACES what the "
        "service holds now."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Folder made by `manage.py backup`")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that current data may be replaced"
        )

    def handle(self, *args, source, yes, **options):
        if not yes:
            raise CommandError(
                "Restoring replaces every record and file the service holds now. "
                "Run again with --yes to confirm."
            )
        try:
            manifest = backup_restore(source=Path(source))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored the backup made {manifest['created']}.")
