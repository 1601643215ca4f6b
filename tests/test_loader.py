from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from board.models import Board
from budget.models import BudgetAllocation, BudgetLine
from evaluation.models import EvaluationStrand, Inspection, OfstedGrade
from havering_improve import roles
from portfolio import loader
from programme.models import Programme
from themes.models import Theme

pytestmark = pytest.mark.django_db


def _load(**overrides):
    data = loader.read_data_file(loader.DEFAULT_DATA_FILE)
    data.update(overrides)
    return loader.programme_load(data=data)


def test_it_loads_the_havering_programme_as_the_report_states_it():
    programme, _ = _load()
    assert programme.local_authority == "London Borough of Havering"
    assert list(Theme.objects.values_list("slug", flat=True)) == [
        "pathway-planning",
        "smart-planning",
        "supervision",
        "case-recording",
        "adolescent-safeguarding",
        "quality-assurance",
        "workforce-development",
    ]
    assert EvaluationStrand.objects.count() == 6
    allocation = BudgetAllocation.objects.get()
    assert allocation.financial_year.label == "2019/20"
    assert allocation.amount == Decimal("750000.00")
    assert BudgetLine.objects.count() == 9
    assert sum(BudgetLine.objects.values_list("amount", flat=True)) == Decimal("750000.00")
    assert Board.objects.filter(kind=Board.Kind.IMPROVEMENT_BOARD).get().themes_per_meeting == 2
    assert Board.objects.filter(kind=Board.Kind.REPORTING_BODY).count() == 4


def test_it_loads_the_june_2018_baseline_judgements():
    _load()
    baseline = Inspection.objects.get(is_baseline=True)
    grades = {j.area.slug: j.grade for j in baseline.judgements.select_related("area")}
    assert grades == {
        "overall": OfstedGrade.GOOD,
        "leaders": OfstedGrade.GOOD,
        "help-and-protection": OfstedGrade.REQUIRES_IMPROVEMENT,
        "children-in-care": OfstedGrade.GOOD,
    }


def test_the_project_manager_line_supports_every_theme_and_resources_one():
    _load()
    pm_line = BudgetLine.objects.get(code="project-manager")
    assert pm_line.themes.count() == Theme.objects.count()
    assert list(BudgetLine.objects.get(code="resources").themes.values_list("slug", flat=True)) == [
        "workforce-development"
    ]


def test_loading_twice_changes_nothing_not_even_the_history():
    _load()
    history_before = {
        model: model.history.count() for model in (Programme, Theme, BudgetLine, Inspection)
    }
    _, result = _load()
    assert not result.changed
    assert {
        model: model.history.count() for model in (Programme, Theme, BudgetLine, Inspection)
    } == history_before


def test_a_changed_data_file_updates_only_what_changed_and_keeps_history():
    _load()
    data = loader.read_data_file(loader.DEFAULT_DATA_FILE)
    data["themes"][2]["title"] = "Supervision and Reflective Practice"
    _, result = loader.programme_load(data=data)
    assert result.updated == {"themes": 1}
    theme = Theme.objects.get(slug="supervision")
    assert theme.history.count() == 2
    assert theme.history.first().title == "Supervision and Reflective Practice"


def test_a_line_total_that_does_not_match_the_allocation_is_refused_and_nothing_is_saved():
    data = loader.read_data_file(loader.DEFAULT_DATA_FILE)
    data["allocations"][0]["lines"][0]["amount"] = "15000.01"
    with pytest.raises(loader.ProgrammeDataError) as exc:
        loader.programme_load(data=data)
    assert "£750,000.01" in str(exc.value) and "£750,000.00" in str(exc.value)
    assert not Programme.objects.exists()


def test_an_unknown_theme_on_a_budget_line_names_the_line():
    data = loader.read_data_file(loader.DEFAULT_DATA_FILE)
    data["allocations"][0]["lines"][1]["themes"] = ["supervision", "no-such-theme"]
    with pytest.raises(loader.ProgrammeDataError, match="line 2: unknown theme"):
        loader.programme_load(data=data)


def test_a_section_that_is_not_a_list_or_a_description_that_is_not_text_is_named():
    with pytest.raises(loader.ProgrammeDataError, match='file: "boards" must be a list'):
        _load(boards={"slug": "improvement-board"})
    data = loader.read_data_file(loader.DEFAULT_DATA_FILE)
    data["evaluation_strands"][1]["description"] = ["not", "text"]
    with pytest.raises(
        loader.ProgrammeDataError, match='evaluation_strands, item 2: "description" must be text'
    ):
        loader.programme_load(data=data)
    assert not Programme.objects.exists()


def test_the_command_reports_a_bad_file_without_loading_it(tmp_path):
    bad = tmp_path / "plan.yaml"
    bad.write_text("programme:\n  slug: x\n")
    with pytest.raises(CommandError, match='Nothing was loaded. programme: "name" is missing'):
        call_command("load_programme", str(bad))
    assert not Programme.objects.exists()


@override_settings(DEBUG=True, DEMO_PASSWORD="demo-pass-1234")
def test_demo_option_creates_a_user_for_every_role_and_a_lead_for_every_theme():
    progress = StringIO()
    call_command("load_programme", "--demo", stdout=progress)
    # It says what it is doing as it goes, part by part, each part's time when done.
    steps = [
        "Loading the plan from",
        "Building the demo: its users",
        "Building the demo: this year's budget",  # first: the reports' cost ratings are its
        "Building the demo: the themes'",
        "Building the demo: the evaluation",
        "Building the demo: the Improvement Board's",
        "Building the demo: the Board's packs",
        "Building the demo: last year's signed-off self-evaluation",
        "Demo ready in",
    ]
    said = progress.getvalue()
    assert [said.find(step) for step in steps] == sorted(said.find(step) for step in steps)
    assert -1 not in [said.find(step) for step in steps]
    assert said.count("  Done in ") == 6
    User = get_user_model()
    expected = {"programme.manager", "finance.officer", "board.member", "auditor", "dcs"} | {
        f"lead.{slug}" for slug in Theme.objects.values_list("slug", flat=True)
    }
    usernames = set(User.objects.values_list("username", flat=True))
    assert expected <= usernames
    # Anyone else the demo adds is on a theme's team, never holding a wider role.
    for user in User.objects.exclude(username__in=expected):
        assert roles.role_names(user) == [roles.TEAM_MEMBER], user.username
    supervision = Theme.objects.select_related("lead").get(slug="supervision")
    assert supervision.lead.username == "lead.supervision"
    assert roles.is_theme_lead(supervision.lead, supervision)
    assert User.objects.get(username="finance.officer").check_password("demo-pass-1234")
    # The Director of Children's Services sits on the Board and signs off the self-evaluation.
    assert roles.role_names(User.objects.get(username="dcs")) == [roles.BOARD_MEMBER]
    # Running it again creates nobody new.
    out = StringIO()
    call_command("load_programme", "--demo", stdout=out)
    assert "(0 new)" in out.getvalue()


@override_settings(DEBUG=True, DEMO=False)
def test_demo_users_are_refused_when_the_demo_setting_is_off_even_with_debug_on():
    with pytest.raises(CommandError, match="the DEMO setting is off"):
        call_command("load_programme", "--demo", stdout=StringIO())
    assert not get_user_model().objects.exists()
