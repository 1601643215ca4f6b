"""A ledger extract keeps any name the finance officer's computer gives it (a long accented one
included), is stored under a bounded name, and downloads back as what it is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from budget.models import LedgerImport
from tests.files import saved_as

pytestmark = pytest.mark.django_db
Y = "/budget/2019-20"
LONG = ("Édité été élévé à Orléans " * 10)[:196] + ".csv"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (LONG, LONG),
        ("extract\u202evsc.exe.csv", "extractvsc.exe.csv"),
    ],
)
def test_an_extract_with_any_name_uploads_and_downloads_as_csv(
    client, set_up, finance_officer, sample_bytes, name, expected
):
    assert len(LONG) == 200 and len(LONG.encode()) > 255
    client.force_login(finance_officer)
    response = client.post(
        f"{Y}/imports/",
        {"file": SimpleUploadedFile(name, sample_bytes), "cost_centres": "C21450"},
    )
    batch = LedgerImport.objects.get()
    assert response["Location"] == f"{Y}/imports/{batch.pk}/"
    assert batch.original_name == expected
    assert len(batch.original_file.name.rsplit("/", 1)[-1].encode()) <= 200
    download = client.get(f"{Y}/imports/{batch.pk}/file/")
    assert download["Content-Type"] == "text/csv"
    assert saved_as(download) == expected
    assert b"".join(download.streaming_content) == sample_bytes
