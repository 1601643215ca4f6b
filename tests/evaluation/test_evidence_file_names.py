"""A finding's evidence: any file name a lead's computer gives it uploads (a 200-character
accented one included), is stored under a name bounded in characters and bytes, downloads as
what its content is under the name shown for it, and a refused upload leaves nothing in
storage."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from evaluation.actions import findings
from evaluation.models import FindingEvidence
from tests.files import files_under, saved_as

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 report"
ACCENTED = ("Édité été élévé à Orléans " * 10)[:196] + ".pdf"


def _add(client, user, finding, name, content=PDF, shown=""):
    client.force_login(user)
    url = reverse("evaluation:evidence_add", kwargs={"pk": finding.pk})
    return client.post(url, {"file": SimpleUploadedFile(name, content), "name": shown})


def _download(client, user, evidence):
    client.force_login(user)
    response = client.get(reverse("evaluation:evidence_download", kwargs={"pk": evidence.pk}))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_a_200_character_accented_file_name_uploads_and_downloads(
    client, finding, lead, board_member
):
    assert len(ACCENTED) == 200 and len(ACCENTED.encode()) > 255
    assert _add(client, lead, finding, ACCENTED).status_code == 302
    evidence = finding.evidence.get()
    assert evidence.name == ACCENTED  # shown as it was called
    stored = Path(evidence.file.name).name
    assert stored.endswith(".pdf") and len(stored.encode()) <= 200
    assert stored.startswith("Édité_été_élévé_à_Orléans")  # storage puts _ for a space
    response, body = _download(client, board_member, evidence)
    assert body == PDF
    assert saved_as(response).startswith("Édité été élévé à Orléans Édité")
    assert saved_as(response).endswith(".pdf")


def test_a_name_longer_than_the_field_is_shortened_keeping_its_extension(client, finding, lead):
    name = "é" * 300 + ".pdf"
    assert _add(client, lead, finding, name).status_code == 302
    evidence = finding.evidence.get()
    assert evidence.name == "é" * 196 + ".pdf"


@pytest.mark.parametrize("name", ["Board minutes.bat", "Board minutes.hta", "Board minutes.html"])
def test_evidence_downloads_under_its_shown_name_as_what_it_is(
    client, finding, lead, board_member, name
):
    _add(client, lead, finding, name)
    response, _ = _download(client, board_member, finding.evidence.get())
    assert saved_as(response) == "Board minutes.pdf"
    assert response["Content-Type"] == "application/pdf"


def test_a_name_given_for_the_evidence_names_the_download(client, finding, lead, board_member):
    _add(client, lead, finding, "scan0042.pdf", shown="Audit \u202ereport")
    evidence = finding.evidence.get()
    assert evidence.name == "Audit report"
    response, _ = _download(client, board_member, evidence)
    assert saved_as(response) == "Audit report.pdf"


def test_control_characters_never_reach_a_name(client, finding, lead, board_member):
    _add(client, lead, finding, "minutes\u202efdp\u2067.exe")
    evidence = finding.evidence.get()
    assert evidence.name == "minutesfdp.exe"
    assert "\u202e" not in evidence.file.name
    response, _ = _download(client, board_member, evidence)
    assert saved_as(response) == "minutesfdp.pdf"


def test_a_refused_upload_leaves_no_file(finding, lead, monkeypatch):
    def refuse(self):
        raise ValidationError("This finding takes no more evidence.")

    monkeypatch.setattr(FindingEvidence, "clean", refuse)
    with pytest.raises(ValidationError):
        findings.finding_evidence_add(
            finding=finding, upload=SimpleUploadedFile("r.pdf", PDF), name="", actor=lead
        )
    assert not FindingEvidence.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_evidence_whose_record_cannot_be_saved_leaves_no_file(finding, lead, monkeypatch):
    def fail(self, *args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(FindingEvidence, "save", fail)
    with pytest.raises(DatabaseError):
        findings.finding_evidence_add(
            finding=finding, upload=SimpleUploadedFile("r.pdf", PDF), name="", actor=lead
        )
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_file_refused_for_its_content_is_never_written(client, finding, lead):
    response = _add(client, lead, finding, "report.pdf", content=b"MZ\x90\x00 a program")
    assert response.status_code == 200
    assert files_under(settings.MEDIA_ROOT) == []
