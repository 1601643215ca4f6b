"""The list pages take the same number of queries however many self-evaluations, versions and
engagement meetings there are."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selfevaluation.actions import engagement as engagement_actions
from selfevaluation.actions import review as review_actions
from selfevaluation.actions import self_evaluations as self_evaluations_actions
from tests.evaluation.factories import days_ago


def _add(programme, programme_manager, signer, first_year, n):
    for year in range(first_year, first_year + n):
        made = self_evaluations_actions.self_evaluation_start(
            actor=programme_manager,
            programme=programme,
            year=f"{year}/{(year + 1) % 100:02d}",
            as_of=days_ago(0),
            reviewer=signer,
        )
        review_actions.self_evaluation_submit(
            actor=programme_manager, self_evaluation=made, version=made.version
        )
        meeting = engagement_actions.engagement_meeting_record(
            actor=programme_manager,
            programme=programme,
            date=days_ago(year - first_year),
            attendees="Ofsted's senior HMI",
            notes="",
            self_evaluation=made,
        )
        engagement_actions.engagement_action_add(
            actor=programme_manager,
            meeting=meeting,
            description=f"Action for {year}",
            owner=signer,
            due_date=days_ago(0),
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_index_and_compare_pages_do_not_grow_with_the_data(
    client, programme, programme_manager, signer, leaders
):
    client.force_login(programme_manager)
    _add(programme, programme_manager, signer, 2030, 1)
    few = [
        _queries(client, reverse(name))
        for name in ("selfevaluation:index", "selfevaluation:compare")
    ]
    _add(programme, programme_manager, signer, 2040, 3)
    many = [
        _queries(client, reverse(name))
        for name in ("selfevaluation:index", "selfevaluation:compare")
    ]
    assert many == few


def test_a_signer_s_home_shows_their_actions_in_one_query_whatever_their_number(
    client, programme, programme_manager, signer, leaders
):
    client.force_login(signer)
    _add(programme, programme_manager, signer, 2030, 1)
    few = _queries(client, reverse("home"))
    _add(programme, programme_manager, signer, 2040, 3)
    assert _queries(client, reverse("home")) == few
