"""A highlight report's page: its narrative in the GOV.UK body style, a path to green whose
wording follows the ratings, and "it is what the Board saw" only once a published pack showed
it (linked to that meeting)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from board.models import Board, Meeting
from reporting.models import MeetingPack

from .factories import HighlightReportFactory

pytestmark = pytest.mark.django_db


def _page(client, user, report) -> str:
    client.force_login(user)
    response = client.get(f"/themes/supervision/reports/{report.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_narrative_is_in_the_govuk_body_style_with_its_lists_as_lists(client, lead, theme):
    report = HighlightReportFactory(
        theme=theme,
        status_summary="Measures of success:\n- Supervision on time: 75%\n- Audits: 60%",
        achievements="First paragraph.\n\nSecond <paragraph>.",
    )
    html = _page(client, lead, report)
    narrative = html[html.index('class="app-report-narrative"') :]
    assert not re.search(r"<p>", narrative)  # a bare paragraph falls back to the serif font
    assert '<p class="govuk-body">Measures of success:</p>' in narrative
    assert (
        '<ul class="govuk-list govuk-list--bullet"><li>Supervision on time: 75%</li>'
        "<li>Audits: 60%</li></ul>" in narrative
    )
    assert '<p class="govuk-body">Second &lt;paragraph&gt;.</p>' in narrative


def test_an_amber_report_without_a_path_to_green_never_says_it_is_not_needed(client, lead, theme):
    report = HighlightReportFactory(theme=theme, cost_rag="amber", cost_reason="Over")
    html = _page(client, lead, report)
    assert "Not needed" not in html
    assert "A report rated amber or red says how the theme gets back to green" in html
    assert "say how the theme gets back to green" in html  # what stops it being submitted


def test_a_report_green_throughout_says_no_path_to_green_is_needed(client, lead, theme):
    html = _page(client, lead, HighlightReportFactory(theme=theme))
    assert "Not needed: the report is rated green throughout." in html
    assert "gets back to green" not in html


def test_a_submitted_report_no_pack_showed_does_not_claim_the_board_saw_it(client, lead, theme):
    report = HighlightReportFactory(theme=theme, submitted=True)
    html = _page(client, lead, report)
    assert "This report is locked" in html
    assert "what the Board saw" not in html
    assert "No Board has seen it yet." in html


def _published_pack(programme, snapshot, *, built=None):
    board = Board.objects.get(programme=programme, kind=Board.Kind.IMPROVEMENT_BOARD)
    meeting = Meeting.objects.create(board=board, date=dt.date(2026, 12, 3))
    return MeetingPack.objects.create(
        meeting=meeting,
        status=MeetingPack.Status.PUBLISHED,
        built_at=built or timezone.now(),
        published_at=timezone.now(),
        snapshot=snapshot,
    )


def test_a_report_a_published_pack_showed_is_what_the_board_saw(client, lead, theme, programme):
    report = HighlightReportFactory(theme=theme, submitted=True)
    pack = _published_pack(
        programme,
        {
            "focus": [
                {"title": "Supervision", "report": {"period": "November 2026", "revision": 1}}
            ],
            "overview": [{"title": "Supervision", "period": "November 2026", "rag": "green"}],
        },
    )
    html = _page(client, lead, report)
    assert "it is what the Board saw" in html
    assert "The whole report was in the pack for" in html
    assert f'href="/board/meetings/{pack.meeting_id}/"' in html
    assert "3 December 2026" in html


def test_a_pack_built_before_the_report_was_submitted_did_not_show_it(
    client, lead, theme, programme
):
    report = HighlightReportFactory(theme=theme, submitted=True)
    _published_pack(
        programme,
        {"focus": [], "overview": [{"title": "Supervision", "period": "November 2026"}]},
        built=report.submitted_at - dt.timedelta(days=2),
    )
    assert "what the Board saw" not in _page(client, lead, report)


def test_a_report_whose_rating_alone_was_in_a_pack_says_only_that(client, lead, theme, programme):
    report = HighlightReportFactory(theme=theme, submitted=True)
    _published_pack(
        programme,
        {"focus": [], "overview": [{"title": "Supervision", "period": "November 2026"}]},
    )
    html = _page(client, lead, report)
    assert "what the Board saw" not in html
    assert "Its overall rating was in the pack for" in html
