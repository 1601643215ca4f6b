"""Uploads and generated files on S3-compatible storage (MEDIA_S3_BUCKET), against a local S3
server (moto's, in this process, on a free port of 127.0.0.1): what people upload and the app
makes is kept in the bucket, privately, and comes back to them only through the app's views."""

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from moto.server import ThreadedMotoServer

from budget.demo import demo_setup
from budget.models import BudgetAllocation, LedgerImport, LedgerRow
from tests.board.factories import MeetingFactory
from tests.services import need, using_postgres
from themes.models import Evidence, Theme

REGION = "eu-west-2"
PREFIX = "improve-media"
LEDGER_SAMPLE = django_settings.BASE_DIR / "data" / "demo" / "ledger-extract-2019-20.csv"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def _settings_env(**overrides):
    """This process's environment less what only tests set, plus the overrides."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, "DJANGO_SETTINGS_MODULE": "havering_improve.settings.base", **overrides}


def _production_default_storage(**environ) -> subprocess.CompletedProcess:
    """The "default" storage the production settings make from these environment variables."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=_settings_env(**environ),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
def s3_storage_config(s3_endpoint):
    """The storage settings production makes when pointed at the local S3 server."""
    result = _production_default_storage(
        DEBUG="false",
        SECRET_KEY="x8#k2!vQ9zL@m4pR7wT1yB6nC3dF5gH0jK8lM2nP4qS6tV9wX1zA3bE5cG7",
        ALLOWED_HOSTS="improve.havering.example",
        MEDIA_S3_BUCKET="placeholder",
        MEDIA_S3_ENDPOINT_URL=s3_endpoint,
        MEDIA_S3_REGION=REGION,
        MEDIA_S3_PREFIX=PREFIX,
        MEDIA_S3_ADDRESSING_STYLE="path",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _store_in_a_new_bucket(s3_endpoint, s3_storage_config, settings, monkeypatch) -> "S3Bucket":
    """Create a private bucket and make it the app's "default" storage."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    name = f"havering-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    default = json.loads(json.dumps(s3_storage_config))
    default["OPTIONS"]["bucket_name"] = name
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return S3Bucket(s3, name)


@pytest.fixture
def bucket(s3_endpoint, s3_storage_config, settings, monkeypatch, tmp_path):
    """A fresh private bucket that the app's "default" storage writes to, as in production.
    MEDIA_ROOT points at a folder that must stay empty."""
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    new_bucket = _store_in_a_new_bucket(s3_endpoint, s3_storage_config, settings, monkeypatch)
    settings.MEDIA_ROOT = tmp_path / "local-media-unused"
    yield new_bucket
    assert not settings.MEDIA_ROOT.exists(), "a file was written to the local folder"


class S3Bucket:
    def __init__(self, client, name):
        self.client, self.name = client, name

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def is_private(self, key: str) -> bool:
        grants = self.client.get_object_acl(Bucket=self.name, Key=key)["Grants"]
        return not any(g["Grantee"].get("URI") == ALL_USERS for g in grants)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- settings --------------------------------------------------------------------------------


def test_production_settings_keep_uploads_private_in_the_named_bucket():
    result = _production_default_storage(
        DEBUG="false",
        SECRET_KEY="x8#k2!vQ9zL@m4pR7wT1yB6nC3dF5gH0jK8lM2nP4qS6tV9wX1zA3bE5cG7",
        ALLOWED_HOSTS="improve.havering.example",
        MEDIA_S3_BUCKET="havering-improve-media",
        MEDIA_S3_REGION="eu-west-2",
    )
    assert result.returncode == 0, result.stderr
    default = json.loads(result.stdout)
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "havering-improve-media"
    assert options["region_name"] == "eu-west-2"
    assert options["default_acl"] is None  # no public-read: the bucket's private policy applies
    assert options["file_overwrite"] is False
    # No credentials in settings: boto3 reads AWS_ACCESS_KEY_ID/... or the machine's role.
    assert not {"access_key", "secret_key"} & set(options)


def test_s3_options_without_a_bucket_stop_the_app_with_a_message():
    result = _production_default_storage(MEDIA_S3_ENDPOINT_URL="https://s3.example.gov.uk")
    assert result.returncode != 0
    assert "MEDIA_S3_ENDPOINT_URL set but MEDIA_S3_BUCKET is not" in result.stderr


# --- journeys on S3 --------------------------------------------------------------------------


@pytest.mark.django_db
def test_evidence_a_lead_uploads_is_kept_privately_in_the_bucket_and_downloads_intact(
    bucket, client, lead, board_member
):
    content = b"%PDF-1.7\nSupervision audit summary, October\n" + bytes(range(256)) * 40
    client.force_login(lead)
    response = client.post(
        "/themes/supervision/evidence/add/",
        {"title": "Audit summary", "file": SimpleUploadedFile("audit-summary.pdf", content)},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    key = f"{PREFIX}/{evidence.file.name}"
    assert bucket.keys() == [key]
    assert bucket.read(key) == content
    assert bucket.is_private(key)

    client.force_login(board_member)
    response = client.get(f"/themes/supervision/evidence/{evidence.pk}/")
    # Streamed through the permission-checked view, not a redirect to the bucket.
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-summary.pdf"')
    assert _body(response) == content
    assert client.get(f"/themes/quality-assurance/evidence/{evidence.pk}/").status_code == 404


@pytest.mark.django_db
def test_two_files_of_the_same_name_stay_two_files(bucket, client, lead):
    client.force_login(lead)
    for text in (b"%PDF-1.4\nSeptember minutes", b"%PDF-1.4\nOctober minutes"):
        client.post(
            "/themes/supervision/evidence/add/",
            {"title": "Minutes", "file": SimpleUploadedFile("minutes.pdf", text)},
        )
    first, second = Evidence.objects.order_by("pk")
    assert first.file.name != second.file.name
    assert len(bucket.keys()) == 2
    assert _body(client.get(f"/themes/supervision/evidence/{first.pk}/")).endswith(
        b"September minutes"
    )
    assert _body(client.get(f"/themes/supervision/evidence/{second.pk}/")).endswith(
        b"October minutes"
    )


@pytest.mark.django_db
def test_a_ledger_file_is_read_back_from_the_bucket_at_confirm(
    bucket, client, programme, finance_officer
):
    allocation = BudgetAllocation.objects.get(programme=programme, start_year=2019)
    demo_setup(allocation=allocation, user=finance_officer)
    sample = LEDGER_SAMPLE.read_bytes()
    client.force_login(finance_officer)
    client.post(
        "/budget/2019-20/imports/",
        {"file": SimpleUploadedFile("ledger-extract.csv", sample), "cost_centres": "C21450"},
    )
    batch = LedgerImport.objects.get()
    assert bucket.read(f"{PREFIX}/{batch.original_file.name}") == sample

    client.post(f"/budget/2019-20/imports/{batch.pk}/confirm/")
    assert LedgerRow.objects.filter(active=True).count() == 111
    page = client.get(f"/budget/2019-20/imports/{batch.pk}/").content.decode()
    assert "Imported 111 rows totalling £199,097.03." in page
    assert _body(client.get(f"/budget/2019-20/imports/{batch.pk}/file/")) == sample


@pytest.mark.django_db
def test_a_meeting_pack_is_built_into_the_bucket_and_served_from_it(
    bucket, client, programme, programme_manager, django_capture_on_commit_callbacks
):
    board = programme.boards.get(slug="improvement-board")
    meeting = MeetingFactory(board=board, date=timezone.localdate() + dt.timedelta(days=14))
    meeting.slots.create(theme=programme.themes.get(slug="supervision"))
    client.force_login(programme_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/board/meetings/{meeting.pk}/pack/build/")
    pack = meeting.packs.get()
    assert pack.pdf and pack.html
    assert {f"{PREFIX}/{pack.pdf.name}", f"{PREFIX}/{pack.html.name}"} <= set(bucket.keys())

    response = client.get(f"/board/packs/{pack.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = _body(response)
    assert pdf.startswith(b"%PDF") and pdf == bucket.read(f"{PREFIX}/{pack.pdf.name}")
    assert "Supervision" in client.get(f"/board/packs/{pack.pk}/").content.decode()


# --- backup and restore ----------------------------------------------------------------------


def _lead_uploads_evidence(client, lead, content: bytes) -> Evidence:
    client.force_login(lead)
    client.post(
        "/themes/supervision/evidence/add/",
        {"title": "Audit", "file": SimpleUploadedFile("audit.pdf", content)},
    )
    return Evidence.objects.get()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_bucket_after_its_files_are_lost(
    bucket, client, programme, lead, tmp_path
):
    need(
        using_postgres(), "backup and restore are tested on PostgreSQL (DATABASE_URL=postgres://…)"
    )
    content = b"%PDF-1.7 supervision audit"
    evidence = _lead_uploads_evidence(client, lead, content)
    Theme.objects.filter(slug="supervision").update(description="Reflective supervision for all")

    call_command("backup", str(tmp_path / "nightly"), stdout=StringIO())
    manifest = json.loads((tmp_path / "nightly" / "manifest.json").read_text())
    assert manifest["media_files"] == 1
    # Disaster: the record changes and the bucket is emptied.
    Theme.objects.filter(slug="supervision").update(description="")
    for key in bucket.keys():
        bucket.client.delete_object(Bucket=bucket.name, Key=key)

    call_command("restore", str(tmp_path / "nightly"), "--yes", stdout=StringIO())
    assert Theme.objects.get(slug="supervision").description == "Reflective supervision for all"
    assert bucket.keys() == [f"{PREFIX}/{evidence.file.name}"]
    assert bucket.is_private(f"{PREFIX}/{evidence.file.name}")
    client.force_login(lead)
    assert _body(client.get(f"/themes/supervision/evidence/{evidence.pk}/")) == content


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_local_folder_restores_into_a_bucket(
    s3_endpoint, s3_storage_config, settings, monkeypatch, client, programme, lead, tmp_path
):
    """How a service moves its files from a shared folder to a bucket."""
    need(
        using_postgres(), "backup and restore are tested on PostgreSQL (DATABASE_URL=postgres://…)"
    )
    settings.MEDIA_ROOT = tmp_path / "folder"
    content = b"%PDF-1.7 quality audit"
    evidence = _lead_uploads_evidence(client, lead, content)
    assert (Path(settings.MEDIA_ROOT) / evidence.file.name).read_bytes() == content
    call_command("backup", str(tmp_path / "move"), stdout=StringIO())

    # Now the service is configured with a bucket, and the backup restored into it.
    bucket = _store_in_a_new_bucket(s3_endpoint, s3_storage_config, settings, monkeypatch)
    call_command("restore", str(tmp_path / "move"), "--yes", stdout=StringIO())

    assert bucket.keys() == [f"{PREFIX}/{evidence.file.name}"]
    client.force_login(lead)
    assert _body(client.get(f"/themes/supervision/evidence/{evidence.pk}/")) == content
