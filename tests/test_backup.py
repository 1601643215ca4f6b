import hashlib
import io
import json
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from budget.models import BudgetLine
from tests.services import need, using_postgres
from themes.models import Theme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def own_media_folder(settings, tmp_path):
    """A restore replaces every stored file: it must never touch other tests' files."""
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_backup_restores_every_record_and_file_after_a_wipe(programme, tmp_path):
    need(
        using_postgres(), "backup and restore are tested on PostgreSQL (DATABASE_URL=postgres://…)"
    )
    evidence = Path(settings.MEDIA_ROOT) / "evidence" / "audit-summary.pdf"
    evidence.parent.mkdir(parents=True, exist_ok=True)
    evidence.write_bytes(b"%PDF-1.7 audit summary")
    Theme.objects.filter(slug="supervision").update(description="Reflective supervision for all")
    counts = {model: model.objects.count() for model in (Theme, BudgetLine)}

    call_command("backup", str(tmp_path / "nightly"), stdout=StringIO())
    # Disaster: the data and the files are gone.
    BudgetLine.objects.all().delete()
    Theme.objects.filter(slug="supervision").update(description="")
    evidence.unlink()

    call_command("restore", str(tmp_path / "nightly"), "--yes", stdout=StringIO())
    assert {model: model.objects.count() for model in (Theme, BudgetLine)} == counts
    assert Theme.objects.get(slug="supervision").description == "Reflective supervision for all"
    assert evidence.read_bytes() == b"%PDF-1.7 audit summary"


def test_restore_asks_for_confirmation_before_replacing_anything(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path), stdout=StringIO())


def test_a_damaged_backup_is_refused_before_anything_is_touched(programme, tmp_path):
    call_command("backup", str(tmp_path / "b"), stdout=StringIO())
    with (tmp_path / "b" / "media.tar.gz").open("ab") as handle:
        handle.write(b"corruption")
    with pytest.raises(CommandError, match="media.tar.gz is missing or damaged"):
        call_command("restore", str(tmp_path / "b"), "--yes", stdout=StringIO())
    assert Theme.objects.count() == 7


def test_a_media_archive_reaching_outside_the_media_files_is_refused_before_anything_is_touched(
    programme, tmp_path
):
    call_command("backup", str(tmp_path / "b"), stdout=StringIO())
    media = tmp_path / "b" / "media.tar.gz"
    with tarfile.open(media, "w:gz") as archive:
        info = tarfile.TarInfo("../settings.py")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"evil"))
    manifest_path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"]["media.tar.gz"] = hashlib.sha256(media.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    Theme.objects.filter(slug="supervision").update(description="Kept")

    with pytest.raises(CommandError, match="holds '../settings.py', which is not a file"):
        call_command("restore", str(tmp_path / "b"), "--yes", stdout=StringIO())
    assert Theme.objects.get(slug="supervision").description == "Kept"
