"""The annual engagement meeting: Ofsted's letter is kept, not published; the actions arising
are on their owners' homes and their owners update them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from selfevaluation.actions import engagement as engagement_actions
from tests.evaluation.factories import days_ago

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def meeting(programme, programme_manager, self_evaluation):
    return engagement_actions.engagement_meeting_record(
        actor=programme_manager,
        programme=programme,
        date=days_ago(20),
        attendees="Director of Children's Services\nOfsted's senior HMI",
        notes="",
        self_evaluation=self_evaluation,
    )


@pytest.fixture
def arising(programme_manager, lead, meeting):
    return engagement_actions.engagement_action_add(
        actor=programme_manager,
        meeting=meeting,
        description="Share the supervision audit with inspectors.",
        owner=lead,
        due_date=days_ago(2),
    )


def test_an_action_arising_is_on_its_owner_s_home_until_done(client, lead, arising):
    client.force_login(lead)
    page = client.get(reverse("home")).content.decode()
    assert "Your actions from the engagement meeting" in page
    assert "Share the supervision audit with inspectors." in page and "Overdue" in page
    response = client.post(
        arising.get_absolute_url(),
        {
            "version": arising.version,
            "status": "done",
            "progress_note": "Sent on Monday.",
            "closed_on_0": days_ago(1).day,
            "closed_on_1": days_ago(1).month,
            "closed_on_2": days_ago(1).year,
        },
    )
    assert response.status_code == 302
    arising.refresh_from_db()
    assert arising.status == "done"
    assert "Share the supervision audit" not in client.get(reverse("home")).content.decode()


def test_someone_else_cannot_update_the_action(client, other_lead, arising):
    client.force_login(other_lead)
    assert client.get(arising.get_absolute_url()).status_code == 403


def test_the_letter_is_checked_kept_and_read_only_by_those_who_read_the_meeting(
    client, programme_manager, board_member, lead, meeting
):
    with pytest.raises(Exception, match="must be a PDF"):
        engagement_actions.engagement_letter_upload(
            actor=programme_manager,
            meeting=meeting,
            upload=SimpleUploadedFile("letter.pdf", b"not a pdf at all", "application/pdf"),
        )
    engagement_actions.engagement_letter_upload(
        actor=programme_manager,
        meeting=meeting,
        upload=SimpleUploadedFile("Ofsted letter.pdf", PDF, "application/pdf"),
    )
    url = reverse("selfevaluation:letter", args=[meeting.pk])
    client.force_login(board_member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(lead)
    assert client.get(url).status_code == 403
