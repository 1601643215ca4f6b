"""Cached summaries (havering_improve.summaries) never show figures older than the data.

Elsewhere the suite runs with the summaries cache switched off; here it is on, and every
change is committed (its on-commit work runs), as it would be for a person using the app."""

import pytest
from django.db import transaction

from budget.models import BudgetLine
from havering_improve import summaries
from themes.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(summaries_cache):
    pass


def test_the_home_page_is_kept_and_reads_much_less_the_second_time(
    client, board_member, django_assert_max_num_queries
):
    client.force_login(board_member)
    client.get("/about/")
    with django_assert_max_num_queries(5):  # session, user, roles, the data version
        response = client.get("/about/")
    assert "Supervision" in response.content.decode()


def test_a_change_shows_on_the_home_page_at_once(client, board_member, theme, committed):
    client.force_login(board_member)
    assert "Supervision" in client.get("/about/").content.decode()

    def rename():
        theme.title = "Supervision and reflective practice"
        theme.save()

    committed(rename)
    assert "Supervision and reflective practice" in client.get("/about/").content.decode()


def test_a_change_made_without_model_signals_shows_when_the_code_says_so(
    client, board_member, committed
):
    client.force_login(board_member)
    client.get("/about/")

    def bulk_rename():
        BudgetLine.objects.filter(code="resources").update(title="Website and video resources")
        summaries.data_changed()

    committed(bulk_rename)
    assert "Website and video resources" in client.get("/about/").content.decode()


def test_a_change_that_was_rolled_back_does_not_stop_later_changes_showing(
    client, board_member, theme, committed
):
    client.force_login(board_member)
    client.get("/about/")
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            Theme.objects.filter(pk=theme.pk).update(title="Never saved")
            summaries.data_changed()
            raise RuntimeError("the edit failed")

    def rename():
        theme.title = "Renamed after a failed edit"
        theme.save()

    committed(rename)
    html = client.get("/about/").content.decode()
    assert "Renamed after a failed edit" in html and "Never saved" not in html


def test_signing_in_does_not_throw_away_the_cached_pages(client, board_member, committed):
    before = summaries.data_version()
    committed(lambda: client.force_login(board_member))
    assert summaries.data_version() == before

    def rename():
        board_member.last_name = "Member-Jones"
        board_member.save()  # a real change to a user counts: pages show people's names

    committed(rename)
    assert summaries.data_version() > before


def test_a_kept_theme_page_never_shows_one_persons_buttons_to_another(
    client, lead, board_member, theme
):
    client.force_login(lead)
    assert "Add a milestone" in client.get("/themes/supervision/milestones/").content.decode()
    client.force_login(board_member)
    assert "Add a milestone" not in client.get("/themes/supervision/milestones/").content.decode()
    client.force_login(lead)
    assert "Add a milestone" in client.get("/themes/supervision/milestones/").content.decode()


def test_a_kept_budget_report_shows_the_records_links_only_to_those_who_may_read_them(
    client, finance_officer, board_member
):
    client.force_login(finance_officer)
    assert "Matching rules" in client.get("/budget/2019-20/").content.decode()
    client.force_login(board_member)
    assert "Matching rules" not in client.get("/budget/2019-20/").content.decode()


def test_comments_post_with_each_persons_own_form_while_pages_are_kept(
    lead, programme_manager, theme
):
    from django.test import Client

    from themes.models import Comment

    for user in (lead, programme_manager):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        page = client.get("/themes/supervision/discussion/").content.decode()
        token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        response = client.post(
            "/themes/supervision/comments/add/",
            {"body": f"A note from {user.username}", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302, response.content.decode()[:500]
    assert Comment.objects.filter(theme=theme).count() == 2


@pytest.mark.parametrize(
    "path", ["/themes/supervision/", "/themes/supervision/measures/", "/budget/2019-20/"]
)
def test_a_kept_page_costs_little_more_than_signing_in(
    client, lead, theme, path, django_assert_max_num_queries
):
    client.force_login(lead)
    client.get(path)
    # The session, the user, their roles, and the data version read once for the whole page.
    with django_assert_max_num_queries(4):
        assert client.get(path).status_code == 200
