"""Text people type is shown as text everywhere — pages, meeting packs (HTML and PDF) and
emails — never run as markup."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from board import selectors
from board.models import Board, Meeting
from reporting import documents
from reporting import render as pdf_render
from reporting import snapshot as snapshots
from reporting.actions import reminders as reminder_actions
from themes.models import Milestone

pytestmark = pytest.mark.django_db

TYPED = '<script>alert("x")</script><b>Policy</b>'


@pytest.fixture
def hostile_milestone(theme):
    return Milestone.objects.create(theme=theme, title=TYPED, due_date=dt.date(2026, 9, 1))


def test_a_page_shows_typed_markup_as_text(client, board_member, hostile_milestone):
    client.force_login(board_member)
    html = client.get(f"/themes/{hostile_milestone.theme.slug}/milestones/").content.decode()
    assert "&lt;script&gt;alert(" in html
    assert "<script>alert(" not in html and "<b>Policy</b>" not in html


def test_a_meeting_pack_shows_typed_markup_as_text_in_html_and_pdf(
    programme, theme, hostile_milestone
):
    board = Board.objects.get(programme=programme, kind=Board.Kind.IMPROVEMENT_BOARD)
    meeting = Meeting.objects.create(board=board, date=timezone.localdate() + dt.timedelta(days=7))
    meeting.slots.create(theme=theme)
    snapshot = snapshots.pack_snapshot(meeting=meeting)
    html = documents.render_pack_html(snapshot)
    assert "&lt;script&gt;alert(" in html and "<script>alert(" not in html
    pdf = pdf_render.render_pdf(documents.render_pack_document(snapshot))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "<script>alert(" in text  # printed as the characters typed, not interpreted


def test_a_reminder_email_carries_the_typed_title_as_plain_text(programme, theme, lead):
    theme.title = "Supervision <b>now</b>"
    theme.save(update_fields=["title"])
    board = Board.objects.get(programme=programme, kind=Board.Kind.IMPROVEMENT_BOARD)
    settings = selectors.board_settings(board)
    today = timezone.localdate()
    for offset in range(1, 60):
        meeting = Meeting(board=board, date=today + dt.timedelta(days=offset))
        deadline = selectors.pack_deadline(meeting, settings)
        if reminder_actions.working_days_before(deadline, settings.reminder_working_days) == today:
            meeting.save()
            break
    meeting.slots.create(theme=theme)
    assert reminder_actions.reminders_send(today=today) == 1
    message = mail.outbox[0]
    assert message.content_subtype == "plain"
    assert "Supervision <b>now</b>" in message.body  # the plain part: the title as typed
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<b>now</b>" not in html  # the HTML part shows the characters, never bold text
    assert "Supervision &lt;b&gt;now&lt;/b&gt;" in html
