"""The plan's 2019/20 dates never show beside the programme's current year without saying they
are the plan's."""

import pytest
from freezegun import freeze_time

from budget.actions import allocations as allocation_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year(programme, programme_manager):
    """The programme in 2026/27: the plan's 2019/20 lines carried forward."""
    plan = programme.allocations.get(start_year=2019)
    return allocation_actions.allocation_carry_forward(
        allocation=plan, actor=programme_manager, start_year=2026
    )


@freeze_time("2026-12-07 10:00")
def test_about_the_programme_says_which_dates_and_budget_are_the_plans(
    client, board_member, this_year
):
    client.force_login(board_member)
    html = client.get("/about/").content.decode()
    assert "In the 2019/20 plan, the review was due <strong>31 March 2020</strong>:" in html
    assert "Review due:" not in html
    plan_budget = html.index("Budget 2019/20: £750,000")
    assert html.index("In the 2019/20 plan: the allocation the cabinet report asked for") > (
        plan_budget
    )
    assert "Budget 2026/27: £750,000" in html


@freeze_time("2026-12-07 10:00")
def test_the_budget_report_names_the_plans_year(client, finance_officer, this_year):
    client.force_login(finance_officer)
    html = client.get("/budget/2026-27/").content.decode()
    assert "2019/20 (the plan&#x27;s year)" in html or "2019/20 (the plan's year)" in html
    assert "In the 2026/27 plan" not in html
    html = client.get("/budget/2019-20/").content.decode()
    assert "In the 2019/20 plan: the allocation the programme&#x27;s plan set" in html or (
        "In the 2019/20 plan: the allocation the programme's plan set" in html
    )


@freeze_time("2019-11-07 10:00")
def test_in_the_plans_own_year_its_dates_need_no_label(client, board_member, programme):
    client.force_login(board_member)
    html = client.get("/about/").content.decode()
    assert "Review due: <strong>31 March 2020</strong>." in html
    assert "In the 2019/20 plan" not in html
