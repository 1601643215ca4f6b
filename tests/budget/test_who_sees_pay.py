"""Ledger rows, the allocation queue and post costs are a person's pay: only those who keep the
budget (the programme manager, finance officers) and the auditor see them. Everyone else with a
role (project leads, team members, partner representatives, board members) sees line totals:
the monitoring report, spend by theme, a line's page without its posts' costs, a theme's Cost
part and the board pack's budget summary, with no link to what they may not open."""

import json

import pytest

from havering_improve import roles
from tests.factories import UserFactory
from themes.models import TeamMembership

pytestmark = pytest.mark.django_db

Y = "/budget/2019-20"
KEEPERS = ["programme_manager", "finance_officer", "auditor"]
OTHERS = ["lead", "team_member", "partner_rep", "board_member"]
# What only the keepers may see: a payroll row's reference, post number and description.
PAYROLL_ROW = ("PAY700101", "Payroll Head of Service Quality Assurance")


@pytest.fixture
def partner_rep(theme):
    """The police's representative on the Supervision team."""
    user = UserFactory(username="police", roles=[roles.TEAM_MEMBER])
    TeamMembership.objects.create(
        theme=theme, user=user, kind=TeamMembership.Kind.PARTNER, organisation="Police"
    )
    return user


def _as(client, request, role):
    client.force_login(request.getfixturevalue(role))
    return client


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


@pytest.mark.parametrize("role", OTHERS)
@pytest.mark.parametrize(
    "path",
    [
        "ledger/",
        "ledger/?queue=1",
        "ledger/?line=head-of-service-qa&to=12",
        "ledger.csv",
        "ledger.csv?queue=1",
        "ledger.xlsx",
        "ledger.xlsx?queue=1&period=2",
        "queue/",
    ],
)
def test_only_the_budgets_keepers_open_ledger_rows_or_the_queue(
    client, request, imported_sample, role, path
):
    response = _as(client, request, role).get(f"{Y}/{path}")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Only finance officers, the programme manager and auditors see this." in body
    assert not any(text in body for text in PAYROLL_ROW)


@pytest.mark.parametrize("role", KEEPERS)
def test_the_budgets_keepers_download_the_queue_and_the_payroll_rows(
    client, request, imported_sample, role
):
    client = _as(client, request, role)
    queue = _body(client.get(f"{Y}/ledger.csv?queue=1"))
    assert queue.count("Waiting for allocation") == 3  # the sample's three training rows
    ledger = _body(client.get(f"{Y}/ledger.csv"))
    assert "PAY700101,P10231,Payroll Head of Service Quality Assurance,975.00" in ledger
    assert client.get(f"{Y}/ledger.xlsx?queue=1").status_code == 200


@pytest.mark.parametrize("role", OTHERS)
def test_others_read_the_report_with_no_way_to_the_rows_behind_it(
    client, request, imported_sample, role
):
    html = _as(client, request, role).get(f"{Y}/").content.decode()
    assert "Budget monitoring 2019/20" in html
    assert f"{Y}/ledger" not in html and f"{Y}/queue" not in html
    assert "Actuals link to the ledger rows" not in html
    # The downloads they get are line totals.
    report = _body(client.get(f"{Y}/report.csv"))
    assert "Head of Service Quality Assurance (additional role)" in report
    assert not any(text in report for text in PAYROLL_ROW)


@pytest.mark.parametrize("role", KEEPERS)
def test_the_keepers_report_links_each_actual_to_its_rows(client, request, imported_sample, role):
    html = _as(client, request, role).get(f"{Y}/").content.decode()
    assert f'href="{Y}/ledger/?line=head-of-service-qa&amp;to=' in html
    assert f'href="{Y}/ledger/">Ledger</a>' in html


@pytest.mark.parametrize("role", OTHERS)
def test_a_lines_page_shows_others_its_posts_but_not_what_they_cost(
    client, request, imported_sample, role
):
    html = _as(client, request, role).get(f"{Y}/lines/family-therapists/").content.decode()
    assert "Family Therapist 1" in html and "Appointed" in html
    assert "Annual cost" not in html and "£84,000.00" not in html
    assert f"{Y}/ledger" not in html
    assert "only those who keep the budget see it" in html


@pytest.mark.parametrize("role", KEEPERS)
def test_a_lines_page_shows_the_keepers_each_posts_cost(client, request, imported_sample, role):
    html = _as(client, request, role).get(f"{Y}/lines/family-therapists/").content.decode()
    assert "Annual cost" in html and "£84,000.00" in html
    assert f'href="{Y}/ledger/?line=family-therapists&amp;period=1"' in html


@pytest.mark.parametrize("role", OTHERS)
def test_a_themes_cost_part_holds_line_shares_not_rows_or_posts(
    client, request, imported_sample, role
):
    html = _as(client, request, role).get("/themes/quality-assurance/cost/").content.decode()
    assert "Head of Service Quality Assurance (additional role)" in html  # the line's share
    assert not any(text in html for text in PAYROLL_ROW)
    assert "P10231" not in html and "Annual cost" not in html and "/ledger" not in html


def test_the_board_packs_budget_summary_holds_totals_and_theme_shares_only(
    imported_sample, programme
):
    from reporting.sections import budget_section

    focus = set(programme.themes.values_list("pk", flat=True))
    section = json.dumps(budget_section(programme=programme, focus_ids=focus))
    assert "Supervision" in section
    for text in (*PAYROLL_ROW, "P10231", "P10238", "Payroll"):
        assert text not in section
