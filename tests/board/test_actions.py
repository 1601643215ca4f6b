"""Minutes, decisions and the actions log: recorded by the programme manager, updated by their
owners, carried forward until closed, overdue ones standing out."""

import datetime as dt

import pytest
from django.utils import timezone

from board.actions import calendar as calendar_actions
from board.actions import minutes as minutes_actions
from board.actions import tracker as tracker_actions
from board.models import Action, Decision
from board.selectors import open_actions
from tests.board.factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_manager_records_minutes_a_decision_and_an_action(
    client, programme_manager, board_member, meeting, theme
):
    client.force_login(programme_manager)
    client.post(
        f"/board/meetings/{meeting.pk}/minutes/",
        {"minutes": "Apologies from Health.", "version": meeting.version},
    )
    client.post(
        f"/board/meetings/{meeting.pk}/decisions/add/",
        {"text": "Approve the supervision policy", "theme": theme.pk},
    )
    response = client.post(
        f"/board/meetings/{meeting.pk}/actions/add/",
        {
            "description": "Report audit results",
            "owner": board_member.pk,
            "due_date_0": "1",
            "due_date_1": "2",
            "due_date_2": "2027",
            "theme": theme.pk,
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Apologies from Health."
    assert Decision.objects.get().text == "Approve the supervision policy"
    action = Action.objects.get()
    assert (action.owner, action.due_date) == (board_member, dt.date(2027, 2, 1))
    page = client.get(f"/board/meetings/{meeting.pk}/").content.decode()
    assert "Apologies from Health." in page and "Report audit results" in page


def test_an_action_without_a_due_date_says_what_is_missing(
    client, programme_manager, board_member, meeting
):
    client.force_login(programme_manager)
    response = client.post(
        f"/board/meetings/{meeting.pk}/actions/add/",
        {"description": "Do it", "owner": board_member.pk},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Action.objects.exists()


def test_a_bare_post_of_a_decision_is_refused_not_taken_for_a_first_visit(
    client, programme_manager, meeting
):
    client.force_login(programme_manager)
    response = client.post(f"/board/meetings/{meeting.pk}/decisions/add/")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Decision.objects.exists()


def test_an_owner_updates_their_own_action(client, lead, meeting):
    action = ActionFactory(meeting=meeting, owner=lead)
    client.force_login(lead)
    response = client.post(
        f"/board/actions/{action.pk}/",
        {"status": "done", "progress_note": "Policy signed off", "version": action.version},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.closed_on == timezone.localdate()
    assert action.history.first().history_user == lead


def test_someone_else_cannot_update_an_action(client, other_lead, lead, meeting):
    action = ActionFactory(meeting=meeting, owner=lead)
    client.force_login(other_lead)
    assert client.post(f"/board/actions/{action.pk}/", {"status": "done"}).status_code == 403
    action.refresh_from_db()
    assert action.status == "open"


def test_open_actions_carry_forward_until_closed(board, lead):
    earlier = MeetingFactory(board=board, date=dt.date(2026, 3, 1))
    done = ActionFactory(meeting=earlier, owner=lead, status="done")
    carried = ActionFactory(meeting=earlier, owner=lead)
    assert list(open_actions(board)) == [carried]
    assert done not in open_actions(board)


def test_overdue_actions_stand_out_on_the_log(client, board_member, meeting, lead):
    ActionFactory(
        meeting=meeting,
        owner=lead,
        description="Late one",
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )
    ActionFactory(meeting=meeting, owner=lead, description="On time one")
    client.force_login(board_member)
    page = client.get("/board/actions/").content.decode()
    late_row = page[page.index("Late one") : page.index("</tr>", page.index("Late one"))]
    on_time_row = page[page.index("On time one") : page.index("</tr>", page.index("On time one"))]
    assert "Overdue" in late_row
    assert "Overdue" not in on_time_row


def test_a_lead_sees_only_their_own_actions(client, lead, other_lead, meeting):
    ActionFactory(meeting=meeting, owner=lead, description="Mine to do")
    ActionFactory(meeting=meeting, owner=other_lead, description="Someone else's")
    client.force_login(lead)
    page = client.get("/board/actions/").content.decode()
    assert "Your actions" in page and "Mine to do" in page
    assert "Someone else&#x27;s" not in page


def test_the_actions_log_runs_the_same_queries_for_few_and_many_actions(
    client, board_member, meeting, lead, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ActionFactory(meeting=meeting, owner=lead)
    client.force_login(board_member)
    client.get("/board/actions/")
    with CaptureQueriesContext(connection) as few:
        client.get("/board/actions/")
    ActionFactory.create_batch(8, meeting=meeting, owner=lead)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/board/actions/")


def test_a_second_save_of_a_meetings_minutes_is_refused_and_shown_what_changed(
    client, programme_manager, meeting
):
    opened_at = meeting.version
    minutes_actions.minutes_save(
        meeting=meeting, actor=programme_manager, version=opened_at, minutes="Chair's draft."
    )
    client.force_login(programme_manager)
    url = f"/board/meetings/{meeting.pk}/minutes/"
    response = client.post(url, {"minutes": "My older draft.", "version": opened_at})
    html = response.content.decode()
    assert response.status_code == 200
    assert "What they changed" in html and "Chair&#x27;s draft." in html
    meeting.refresh_from_db()
    assert meeting.minutes == "Chair's draft."  # nothing silently overwritten
    # Having seen it, a deliberate second save goes through.
    response = client.post(url, {"minutes": "Merged.", "version": meeting.version})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Merged."


def test_minutes_posted_without_their_version_are_refused(client, programme_manager, meeting):
    client.force_login(programme_manager)
    response = client.post(f"/board/meetings/{meeting.pk}/minutes/", {"minutes": "Overwrite"})
    assert "missing the version" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes != "Overwrite"


def test_a_second_update_of_an_action_is_refused_and_shown_what_changed(
    client, lead, programme_manager, meeting
):
    action = ActionFactory(meeting=meeting, owner=lead)
    opened_at = action.version
    tracker_actions.action_update(
        action=action,
        actor=programme_manager,
        version=opened_at,
        status="in_progress",
        progress_note="Chased by the programme manager",
    )
    client.force_login(lead)
    response = client.post(
        f"/board/actions/{action.pk}/",
        {"status": "done", "progress_note": "Done", "version": opened_at},
    )
    html = response.content.decode()
    assert "What they changed" in html and "Chased by the programme manager" in html
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_meeting_details_saved_from_a_stale_page_are_refused(client, programme_manager, meeting):
    opened_at = meeting.version
    calendar_actions.meeting_update(
        meeting=meeting, actor=programme_manager, version=opened_at, venue="Town Hall, Room 2"
    )
    client.force_login(programme_manager)
    response = client.post(
        f"/board/meetings/{meeting.pk}/edit/",
        {
            "date_0": meeting.date.day,
            "date_1": meeting.date.month,
            "date_2": meeting.date.year,
            "venue": "Old venue",
            "version": opened_at,
        },
    )
    assert "What they changed" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.venue == "Town Hall, Room 2"
