"""A theme's actions name every field they set, so none can be handed a field its pages never
offer: a lead cannot move a milestone, measure or risk of their theme onto another theme (one
they do not lead) by calling the action with `theme=`."""

import importlib
import inspect
import pkgutil

import pytest
from django.core.exceptions import PermissionDenied

import themes.actions
from tests.themes.factories import MeasureFactory, MilestoneFactory, RiskFactory
from themes.actions.records import measure_update, milestone_update, risk_update
from themes.models import Measure, Milestone, Risk

pytestmark = pytest.mark.django_db

MOVES = [
    (MilestoneFactory, milestone_update, "milestone", {"title": "Moved"}),
    (MeasureFactory, measure_update, "measure", {"name": "Moved"}),
    (RiskFactory, risk_update, "risk", {"description": "Moved"}),
]


@pytest.mark.parametrize(("factory", "update", "name", "change"), MOVES)
def test_a_lead_cannot_move_a_record_onto_a_theme_they_do_not_lead(
    factory, update, name, change, theme, other_theme, lead, other_lead
):
    record = factory(theme=theme)
    with pytest.raises((TypeError, PermissionDenied)):
        update(**{name: record}, actor=lead, version=record.version, theme=other_theme, **change)
    record.refresh_from_db()
    assert record.theme == theme
    assert record.version == 1
    assert type(record).objects.filter(theme=other_theme).count() == 0


@pytest.mark.parametrize(
    ("model", "update", "name"),
    [(Milestone, milestone_update, "milestone"), (Measure, measure_update, "measure")]
    + [(Risk, risk_update, "risk")],
)
def test_an_update_is_no_way_to_another_parent_even_for_the_programme_manager(
    model, update, name, theme, other_theme, programme_manager
):
    factory = {Milestone: MilestoneFactory, Measure: MeasureFactory, Risk: RiskFactory}[model]
    record = factory(theme=theme)
    with pytest.raises(TypeError):
        update(**{name: record}, actor=programme_manager, version=1, theme_id=other_theme.pk)
    assert model.objects.get(pk=record.pk).theme_id == theme.pk


def _actions():
    for info in pkgutil.iter_modules(themes.actions.__path__):
        module = importlib.import_module(f"themes.actions.{info.name}")
        for name, value in vars(module).items():
            if getattr(value, "is_action", False) and value.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", value


def test_the_themes_actions_are_all_found():
    found = dict(_actions())
    assert "themes.actions.records.milestone_update" in found
    assert "themes.actions.pid.pid_approve" in found
    modules = {name.split(".")[2] for name in found}
    assert modules == {"pid", "records", "reports", "discussion", "team"}
    assert len(found) >= 19


@pytest.mark.parametrize(("name", "function"), list(_actions()))
def test_every_themes_action_names_its_fields(name, function):
    parameters = inspect.signature(function).parameters.values()
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters), name
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters), name
    untyped = [p.name for p in parameters if p.annotation is inspect.Parameter.empty]
    assert untyped in ([], ["actor"]), name


def test_the_signature_check_sees_through_the_decorator():
    # inspect.signature follows @action's functools.wraps to the function it wraps.
    parameters = inspect.signature(milestone_update).parameters
    assert "milestone" in parameters and "theme" not in parameters
