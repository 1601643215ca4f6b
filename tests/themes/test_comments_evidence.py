"""Team members comment and attach evidence to their theme, its milestones and its measures."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from themes.models import Comment, Evidence

from .factories import MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _office(kind: str) -> bytes:
    inner = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(inner, "<x/>")
    return buffer.getvalue()


def test_a_team_member_comments_on_a_milestone_and_it_shows_there(client, team_member, milestone):
    client.force_login(team_member)
    response = client.post(
        "/themes/supervision/comments/add/",
        {"body": "Training dates are booked", "milestone": milestone.pk},
    )
    assert response["Location"] == f"/themes/supervision/milestones/{milestone.pk}/#comments"
    comment = Comment.objects.get()
    assert comment.milestone == milestone and comment.author == team_member
    page = client.get(f"/themes/supervision/milestones/{milestone.pk}/").content.decode()
    assert "Training dates are booked" in page


def test_an_empty_comment_is_refused_with_a_message(client, team_member):
    client.force_login(team_member)
    response = client.post("/themes/supervision/comments/add/", {"body": ""})
    assert "Write your comment" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_cannot_be_attached_to_another_themes_milestone(client, team_member, other_theme):
    foreign = MilestoneFactory(theme=other_theme)
    client.force_login(team_member)
    response = client.post(
        "/themes/supervision/comments/add/", {"body": "Hello", "milestone": foreign.pk}
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("minutes.pdf", b"%PDF-1.7\nrest", "pdf"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20, "jpeg"),
        ("notes.docx", None, "docx"),
        ("figures.xlsx", None, "xlsx"),
    ],
)
def test_accepted_evidence_is_checked_by_its_content(
    client, team_member, measure, name, content, kind
):
    content = content if content is not None else _office(kind)
    client.force_login(team_member)
    response = client.post(
        f"/themes/supervision/evidence/add/?measure={measure.pk}",
        {"title": "Evidence", "file": SimpleUploadedFile(name, content), "measure": measure.pk},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.kind == kind and evidence.measure == measure
    assert evidence.original_name == name


@pytest.mark.parametrize(
    "name,content",
    [
        ("report.pdf", b"MZ\x90\x00 this is really a program"),
        ("notes.docx", b"PK\x03\x04 not really a zip"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_file_whose_content_is_not_an_allowed_type_is_refused(client, team_member, name, content):
    client.force_login(team_member)
    response = client.post(
        "/themes/supervision/evidence/add/",
        {"title": "x", "file": SimpleUploadedFile(name, content)},
    )
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "must be a PDF, Word document (DOCX), Excel workbook (XLSX), PNG image" in html
    assert not Evidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, team_member, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(team_member)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    response = client.post("/themes/supervision/evidence/add/", {"title": "x", "file": big})
    assert "must be smaller than 1 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_bare_post_of_evidence_is_refused_not_taken_for_a_first_visit(client, team_member):
    client.force_login(team_member)
    response = client.post("/themes/supervision/evidence/add/")
    assert response.status_code == 200
    assert "Select a file" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_downloads_as_an_attachment_for_readers(client, team_member, board_member):
    client.force_login(team_member)
    client.post(
        "/themes/supervision/evidence/add/",
        {"title": "Minutes", "file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\nbody")},
    )
    evidence = Evidence.objects.get()
    client.force_login(board_member)
    response = client.get(f"/themes/supervision/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="minutes.pdf"')
    assert b"".join(response.streaming_content) == b"%PDF-1.4\nbody"
    # Through another theme's address it does not exist.
    assert client.get(f"/themes/quality-assurance/evidence/{evidence.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20, ".png"),
        ("minutes.html", b"%PDF-1.7\nrest", ".pdf"),
        ("scan", b"\xff\xd8\xff\xe0" + b"0" * 20, ".jpg"),
    ],
)
def test_evidence_is_stored_under_the_extension_of_its_content(
    client, team_member, name, content, extension
):
    client.force_login(team_member)
    response = client.post(
        "/themes/supervision/evidence/add/",
        {"title": "Evidence", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file.name.endswith(extension)
    assert evidence.original_name == name
