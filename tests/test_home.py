import pytest
from django.contrib.auth import get_user_model

from budget.models import BudgetLine
from themes.models import Theme

pytestmark = pytest.mark.django_db


def test_every_role_reads_about_the_programme_from_the_database(client, any_role_user):
    client.force_login(any_role_user)
    response = client.get("/about/")
    html = response.content.decode()
    assert response.status_code == 200
    for theme in Theme.objects.select_related("lead"):
        assert theme.title in html
    assert "Budget 2019/20: £750,000" in html
    assert "£420,000" in html
    assert "Feedback from service users" in html
    assert "Requires improvement to be good" in html
    assert "Children&#x27;s Services Improvement Board" in html
    assert "Children and Learning Overview and Scrutiny Committee" in html


def test_about_the_programme_shows_each_themes_lead(client, lead, theme):
    client.force_login(lead)
    html = client.get("/about/").content.decode()
    assert lead.get_full_name() in html


def test_an_edit_in_the_database_shows_about_the_programme(client, board_member):
    BudgetLine.objects.filter(code="resources").update(title="Website and video resources")
    client.force_login(board_member)
    assert "Website and video resources" in client.get("/about/").content.decode()


def test_a_signed_in_user_with_no_role_is_told_why_they_cannot_see_the_programme(
    client, no_role_user
):
    client.force_login(no_role_user)
    response = client.get("/")
    assert response.status_code == 403
    assert "no role in the programme" in response.content.decode()


def _add_theme(programme, n):
    user = get_user_model().objects.create(username=f"extra-lead-{n}", first_name="Extra")
    return Theme.objects.create(
        programme=programme, number=100 + n, slug=f"extra-{n}", title=f"Extra {n}", lead=user
    )


def test_the_about_page_query_count_does_not_grow_with_the_programme(
    client, programme_manager, programme, django_assert_num_queries
):
    client.force_login(programme_manager)
    client.get("/about/")  # warm the session
    with django_assert_num_queries(14) as small:
        client.get("/about/")
    for n in range(5):
        theme = _add_theme(programme, n)
        BudgetLine.objects.get(code="resources").themes.add(theme)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/about/")
    assert "Extra 4" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/themes/", "/themes/supervision/", "/budget/", "/budget/2019-20/", "/evaluation/", "/board/"],
)
def test_each_section_in_the_navigation_opens_for_every_role(client, any_role_user, path):
    client.force_login(any_role_user)
    response = client.get(path)
    assert response.status_code == 200
    assert 'aria-current="page"' in response.content.decode()


def test_the_budget_page_for_the_current_year_shows_the_latest_allocation(client, board_member):
    client.force_login(board_member)
    html = client.get("/budget/").content.decode()
    assert "Budget 2019/20" in html
    assert "£750,000.00" in html


def test_dates_show_in_the_house_style():
    import datetime as dt

    from django.template import Context, Template

    rendered = Template("{{ day|date }}").render(Context({"day": dt.date(2026, 11, 26)}))
    assert rendered == "26 November 2026"
