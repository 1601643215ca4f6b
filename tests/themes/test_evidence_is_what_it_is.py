"""A theme's evidence downloads as what its content is, never as what its name says: a PDF
named `Board minutes.bat` reaches the team's colleagues as `Board minutes.pdf`, application/pdf.
Names lose bidirectional overrides and other control characters, and a refused upload leaves
nothing in storage."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from tests.files import files_under, saved_as
from themes.actions.discussion import evidence_add
from themes.models import Evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _upload(client, user, name, content=PDF, title=""):
    client.force_login(user)
    return client.post(
        "/themes/supervision/evidence/add/",
        {"title": title, "file": SimpleUploadedFile(name, content, "application/x-msdownload")},
    )


def _download(client, user, evidence):
    client.force_login(user)
    response = client.get(f"/themes/supervision/evidence/{evidence.pk}/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return response, body


@pytest.mark.parametrize("name", ["Board minutes.bat", "Board minutes.hta", "Board minutes.html"])
def test_a_pdf_under_a_programs_name_downloads_to_colleagues_as_a_pdf(
    client, team_member, lead, name
):
    assert _upload(client, team_member, name).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.kind == "pdf" and evidence.file.name.endswith(".pdf")
    response, body = _download(client, lead, evidence)
    assert saved_as(response) == "Board minutes.pdf"
    assert response["Content-Type"] == "application/pdf"
    assert body == PDF


@pytest.mark.parametrize(
    ("name", "content", "expected", "content_type"),
    [
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "photo.png", "image/png"),
        ("scan", b"\xff\xd8\xff\xe0" + b"0" * 20, "scan.jpg", "image/jpeg"),
        ("Report v1.2", PDF, "Report v1.2.pdf", "application/pdf"),
    ],
)
def test_every_download_is_named_and_typed_by_its_content(
    client, team_member, board_member, name, content, expected, content_type
):
    _upload(client, team_member, name, content)
    response, _ = _download(client, board_member, Evidence.objects.get())
    assert saved_as(response) == expected
    assert response["Content-Type"] == content_type


def test_bidirectional_overrides_and_control_characters_are_taken_out_of_names(
    client, team_member, lead
):
    # U+202E makes "minutes\u202efdp.exe" read as "minutesexe.pdf" in a list of files.
    name = "Board\u200b minutes\u202efdp\u2066\x07.exe"
    assert _upload(client, team_member, name).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "Board minutesfdp.exe"
    assert evidence.title == "Board minutesfdp.exe"
    response, _ = _download(client, lead, evidence)
    assert saved_as(response) == "Board minutesfdp.pdf"
    page = client.get("/themes/supervision/discussion/").content.decode()
    assert "Board minutesfdp.exe" in page
    assert not any(ch in page for ch in "\u202e\u2066\u200b\x07")


def test_a_title_typed_with_an_override_is_shown_without_it(client, team_member):
    _upload(client, team_member, "minutes.pdf", title="Minutes \u202eof May")
    assert Evidence.objects.get().title == "Minutes of May"


def test_a_long_accented_name_is_kept_to_fit_and_stored(client, team_member, lead):
    name = ("Procès-verbal réunion générale " * 10)[:196] + ".pdf"
    assert len(name) == 200
    assert _upload(client, team_member, name).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == name
    response, _ = _download(client, lead, evidence)
    name = saved_as(response)
    assert name.endswith(".pdf") and name.startswith("Procès-verbal réunion")


def _add_minutes(theme, member):
    return evidence_add(
        theme=theme, actor=member, title="Minutes", upload=SimpleUploadedFile("m.pdf", PDF)
    )


def test_evidence_whose_record_cannot_be_saved_leaves_no_file(
    team_member, theme, monkeypatch, _media
):
    def fail(self, *args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(Evidence, "save", fail)
    with pytest.raises(DatabaseError):
        _add_minutes(theme, team_member)
    assert files_under(_media) == []


def test_evidence_refused_by_its_checks_writes_no_file(team_member, theme, monkeypatch, _media):
    def refuse(self):
        raise ValidationError({"title": "Not that one"})

    monkeypatch.setattr(Evidence, "clean", refuse)
    with pytest.raises(ValidationError):
        _add_minutes(theme, team_member)
    assert not Evidence.objects.exists()
    assert files_under(_media) == []
