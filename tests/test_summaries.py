"""Cached summaries (havering_improve.summaries) never show figures older than the data.

Elsewhere the suite runs with the summaries cache switched off; here it is on, and every
change is committed (its on-commit work runs), as it would be for a person using the app."""

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from budget.actions import imports as import_actions
from budget.models import BudgetLine
from havering_improve import summaries
from themes.charts import measure_chart_html
from themes.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(summaries_cache):
    pass


def test_the_home_page_is_kept_and_reads_much_less_the_second_time(
    client, programme_manager, theme
):
    client.force_login(programme_manager)
    with CaptureQueriesContext(connection) as first:
        first_page = client.get("/")
    with CaptureQueriesContext(connection) as second:
        response = client.get("/")
    # The programme manager's home reads every app the first time; kept, it reads the session,
    # the user, their roles, the programme and the data versions.
    assert len(second.captured_queries) <= 6, [q["sql"] for q in second.captured_queries]
    assert len(first.captured_queries) > 2 * len(second.captured_queries)
    for page in (first_page, response):
        assert "Programme manager" in page.content.decode()
        assert "The next board pack" in page.content.decode()


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
    "path",
    ["/", "/themes/", "/themes/supervision/", "/themes/supervision/measures/", "/budget/2019-20/"],
)
def test_a_kept_page_costs_little_more_than_signing_in(
    client, lead, theme, path, django_assert_max_num_queries
):
    client.force_login(lead)
    client.get(path)
    # The session, the user, their roles, and the data version read once for the whole page.
    with django_assert_max_num_queries(4):
        assert client.get(path).status_code == 200


# Each area of the programme's data keeps its own version -------------------------------------

OTHER_PAGES = [
    "/themes/quality-assurance/",
    "/themes/quality-assurance/measures/",
    "/themes/quality-assurance/milestones/",
    "/budget/2019-20/",
]


def _measure(theme, **extra):
    from tests.themes.factories import MeasureFactory

    return MeasureFactory(theme=theme, name="Audits graded good", **extra)


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries.captured_queries)


def test_a_reading_on_one_theme_keeps_other_themes_pages_and_the_budget_report(
    client, board_member, theme, other_theme, committed
):
    from tests.themes.factories import MeasureReadingFactory

    measure = _measure(theme)
    _measure(other_theme)
    client.force_login(board_member)
    for path in [*OTHER_PAGES, "/themes/supervision/measures/"]:
        client.get(path)
    kept = {path: _queries(client, path) for path in OTHER_PAGES}

    committed(lambda: MeasureReadingFactory(measure=measure, value=Decimal("61.5")))

    # Each costs what a kept page costs: nothing was recomputed.
    assert {path: _queries(client, path) for path in OTHER_PAGES} == kept
    assert "61.5%" in client.get("/themes/supervision/measures/").content.decode()


def test_a_new_reading_redraws_only_its_own_measures_chart(
    client, lead, theme, committed, django_assert_num_queries
):
    from tests.themes.factories import MeasureReadingFactory

    measures = [_measure(theme, order=n) for n in range(3)]
    client.force_login(lead)
    client.get("/themes/supervision/measures/")
    committed(lambda: MeasureReadingFactory(measure=measures[1], value=Decimal("72")))
    # Four for any page, then the latest report, the overdue count, the theme's measures, and
    # the one measure that changed and its readings: the other charts are kept.
    with (
        django_assert_num_queries(9),
        mock.patch("themes.views.measure_chart_html", wraps=measure_chart_html) as drawn,
    ):
        html = client.get("/themes/supervision/measures/").content.decode()
    assert [call.args[0] for call in drawn.call_args_list] == [measures[1]]
    assert html.count("Audits graded good") >= 3 and "72%" in html


def _reading(theme):
    from tests.themes.factories import MeasureReadingFactory

    return MeasureReadingFactory(measure=_measure(theme), value=Decimal("63.25"))


def _milestone(theme):
    from tests.themes.factories import MilestoneFactory

    return MilestoneFactory(
        theme=theme, title="Practice week held", due_date=date.today() + timedelta(days=20)
    )


def _rename_milestone(theme):
    milestone = theme.milestones.get(title="Practice week held")
    milestone.title = "Practice week held in every team"
    milestone.save()


def _rename_line(theme):
    from budget.models import BudgetLine

    line = BudgetLine.objects.get(code="resources")
    line.title = "Website and video resources"
    line.save()


def _rename_theme(theme):
    theme.title = "Supervision and reflective practice"
    theme.save()


def _rename_lead(theme):
    theme.lead.last_name = "Okonkwo-Bright"
    theme.lead.save()


def _rename_strand(theme):
    from evaluation.models import EvaluationStrand

    strand = EvaluationStrand.objects.order_by("order").first()
    strand.title = "Audit of practice, every month"
    strand.save()


def _rename_board(theme):
    from board.models import Board

    board = Board.objects.order_by("order").first()
    board.name = "Children's Improvement Board"
    board.save()


def _import_ledger(theme):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from budget.demo import demo_setup
    from budget.models import BudgetAllocation
    from tests.budget.conftest import csv_of, row

    allocation = BudgetAllocation.objects.get(start_year=2019)
    user = get_user_model().objects.get(username="finance")
    demo_setup(allocation=allocation, user=user)
    extract = csv_of(row(ref="AP77", period="2", amount="4321.00"))
    batch = import_actions.ledger_import_upload(
        allocation=allocation,
        uploaded_file=SimpleUploadedFile("x.csv", extract.encode()),
        actor=user,
    )
    import_actions.ledger_import_confirm(batch=batch, actor=user)


# (what changes, what was there before it, the page, what it shows after)
CHANGES = {
    "reading": (None, _reading, "/themes/supervision/measures/", "63.25%"),
    "milestone": (
        _milestone,
        _rename_milestone,
        "/themes/supervision/milestones/",
        "Practice week held in every team",
    ),
    "milestone on the dashboard": (
        _milestone,
        _rename_milestone,
        "/themes/",
        "Practice week held in every team",
    ),
    "budget line": (None, _rename_line, "/budget/2019-20/", "Website and video resources"),
    "budget line on the programme's page": (
        None,
        _rename_line,
        "/about/",
        "Website and video resources",
    ),
    "ledger import": (None, _import_ledger, "/budget/2019-20/", "4,321"),
    "theme's title, on its page": (
        None,
        _rename_theme,
        "/themes/supervision/risks/",
        "Supervision and reflective practice",
    ),
    "theme's title, on the measures": (
        lambda theme: _measure(theme),
        _rename_theme,
        "/themes/supervision/measures/",
        "Supervision and reflective practice",
    ),
    "lead's name": (None, _rename_lead, "/themes/supervision/", "Okonkwo-Bright"),
    "evaluation strand": (None, _rename_strand, "/about/", "Audit of practice, every month"),
    "board": (None, _rename_board, "/about/", "Children&#x27;s Improvement Board"),
    "theme's title, on the dashboard": (
        None,
        _rename_theme,
        "/themes/",
        "Supervision and reflective practice",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_kept_page_is_never_older_than_the_data_it_shows(
    change, client, programme_manager, finance_officer, lead, theme, committed
):
    before, make_change, path, shown = CHANGES[change]
    if before:
        committed(lambda: before(theme))
    client.force_login(programme_manager)
    assert shown not in client.get(path).content.decode()
    client.get(path)  # kept now
    committed(lambda: make_change(theme))
    assert shown in client.get(path).content.decode()


def test_a_forecast_edit_shows_at_once_while_the_ledgers_totals_stay_kept(
    client, finance_officer, committed, django_assert_max_num_queries
):
    from budget.models import BudgetLine, LedgerRow

    client.force_login(finance_officer)
    client.get("/budget/2019-20/")

    def new_amount():
        line = BudgetLine.objects.get(code="resources")
        line.amount = Decimal("98765")
        line.save()

    committed(new_amount)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/budget/2019-20/").content.decode()
    assert "98,765" in html
    ledger = LedgerRow._meta.db_table
    # The ledger's totals are not summed again. (Which commitments are paid is looked up from
    # the commitments, an EXISTS on the ledger per commitment, and is read with the budget.)
    summed = [
        q["sql"]
        for q in queries.captured_queries
        if f'FROM "{ledger}"' in q["sql"].split(" WHERE ", 1)[0]
    ]
    assert not summed


def test_versions_are_per_area(theme, other_theme, committed):
    from tests.themes.factories import MeasureReadingFactory

    measure = _measure(theme)
    before = summaries.data_versions()
    committed(lambda: MeasureReadingFactory(measure=measure))
    after = summaries.data_versions()

    def moved(area):
        return after.get(area, 0) > before.get(area, 0)

    assert moved(summaries.theme_area(theme.pk)) and moved(summaries.measure_area(measure.pk))
    assert moved(summaries.THEMES)
    for area in (
        summaries.ALL,
        summaries.BUDGET,
        summaries.LEDGER,
        summaries.BOARD,
        summaries.EVALUATION,
        summaries.PROGRAMME,
        summaries.theme_area(other_theme.pk),
    ):
        assert not moved(area), area


# Each person's home: each role's lists are kept until what they show changes -----------------


def _overdue_milestone(theme):
    from tests.themes.factories import MilestoneFactory

    MilestoneFactory(
        theme=theme, title="Practice week held", due_date=date.today() - timedelta(days=3)
    )


def _action_for_the_board_member(theme):
    from django.contrib.auth import get_user_model

    from board.models import Board, Meeting
    from tests.board.factories import ActionFactory

    board = Board.objects.get(kind=Board.Kind.IMPROVEMENT_BOARD)
    meeting = Meeting.objects.create(board=board, date=date.today() - timedelta(days=30))
    owner = get_user_model().objects.get(username="board")
    ActionFactory(
        meeting=meeting, owner=owner, description="Ask health partners about the passport"
    )


def _escalated_risk(theme):
    from tests.themes.factories import RiskFactory

    RiskFactory(theme=theme, description="Agency social workers leaving", escalated=True)


# (whose home, what changes, what it shows after)
HOME_CHANGES = {
    "lead": (_overdue_milestone, "Practice week held"),
    "board_member": (_action_for_the_board_member, "Ask health partners about the passport"),
    "finance_officer": (_import_ledger, "Last import: x.csv"),
    "programme_manager": (_escalated_risk, "Agency social workers leaving"),
}


@pytest.mark.parametrize("role_fixture", HOME_CHANGES)
def test_each_persons_kept_home_shows_a_change_to_what_needs_them_at_once(
    role_fixture, request, client, finance_officer, board_member, lead, theme, committed
):
    user = request.getfixturevalue(role_fixture)
    make_change, shown = HOME_CHANGES[role_fixture]
    client.force_login(user)
    assert shown not in client.get("/").content.decode()
    client.get("/")  # kept now
    committed(lambda: make_change(theme))
    assert shown in client.get("/").content.decode()


def test_a_leads_new_reading_leaves_a_board_members_and_a_finance_officers_home_kept(
    client, board_member, finance_officer, lead, theme, committed
):
    from tests.themes.factories import MeasureReadingFactory

    measure = _measure(theme)
    users = [board_member, finance_officer, lead]
    kept = {}
    for user in users:
        client.force_login(user)
        client.get("/")
        kept[user.username] = _queries(client, "/")

    committed(lambda: MeasureReadingFactory(measure=measure, value=Decimal("61.5")))

    after = {}
    for user in users:
        client.force_login(user)
        after[user.username] = _queries(client, "/")
    assert after["board"] == kept["board"]
    assert after["finance"] == kept["finance"]
    # The lead's own lists show their theme's readings: those are worked out again.
    assert after["lead"] > kept["lead"]
