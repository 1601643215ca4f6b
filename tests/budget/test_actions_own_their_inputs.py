"""The budget's actions name every field they change, and none moves a record to another
parent: a post or a commitment stays on its line, and a line named by an allocation, a
virement, a rule or a carry forward must be in the year's own budget."""

import datetime as dt
import importlib
import inspect
import pkgutil
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from budget import actions
from budget.actions import allocations as allocation_actions
from budget.actions import imports as import_actions
from budget.actions import lines as line_actions
from budget.actions import rules as rule_actions
from budget.models import Commitment, LedgerRow, Post
from havering_improve.actions import REGISTRY
from tests.budget.conftest import csv_of, row, upload

pytestmark = pytest.mark.django_db

MODULES = [
    importlib.import_module(f"budget.actions.{info.name}")
    for info in pkgutil.iter_modules(actions.__path__)
]


def _budget_actions():
    return {
        name: fn
        for name, fn in REGISTRY.items()
        if fn.__module__.startswith("budget.") and getattr(fn, "is_action", False)
    }


def test_every_budget_action_lives_in_the_actions_package():
    found = _budget_actions()
    assert found, "the registry lists the budget's actions"
    assert {fn.__module__ for fn in found.values()} <= {m.__name__ for m in MODULES}


def test_no_budget_action_takes_fields_it_does_not_name():
    loose = [
        name
        for name, fn in _budget_actions().items()
        for param in inspect.signature(inspect.unwrap(fn)).parameters.values()
        if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL)
    ]
    assert loose == []


def test_the_var_keyword_check_sees_one():
    def loose(*, actor, **fields):
        return fields

    kinds = [p.kind for p in inspect.signature(loose).parameters.values()]
    assert inspect.Parameter.VAR_KEYWORD in kinds


@pytest.fixture
def next_year(set_up, finance_officer):
    """The lines carried into 2020/21: another year's budget, with lines of its own."""
    new = allocation_actions.allocation_carry_forward(allocation=set_up, actor=finance_officer)
    return {line.code: line for line in new.lines.all()}


def _post_fields(post):
    return {
        "post_number": post.post_number,
        "title": post.title,
        "annual_cost": post.annual_cost,
        "status": post.status,
        "start_date": post.start_date,
    }


def test_an_update_cannot_move_a_post_onto_another_line(set_up, lines, next_year, finance_officer):
    post = Post.objects.filter(line=lines["project-manager"]).first()
    with pytest.raises(TypeError, match="line"):
        line_actions.post_update(
            post=post,
            actor=finance_officer,
            version=post.version,
            line=next_year["project-manager"],
            **_post_fields(post),
        )
    post.refresh_from_db()
    assert post.line_id == lines["project-manager"].pk
    # A change through the action keeps it on its line, whatever the object passed in says.
    post.line = next_year["resources"]
    saved = line_actions.post_update(
        post=post, actor=finance_officer, version=post.version, **_post_fields(post)
    )
    assert Post.objects.get(pk=saved.pk).line_id == lines["project-manager"].pk


def test_an_update_cannot_move_a_commitment_onto_another_line(
    set_up, lines, next_year, finance_officer
):
    fields = {
        "kind": "order",
        "description": "Website phase 2",
        "reference": "PO-1",
        "amount": D("1500.00"),
        "raised_on": dt.date(2019, 9, 20),
    }
    commitment = line_actions.commitment_add(
        line=lines["resources"], actor=finance_officer, **fields
    )
    with pytest.raises(TypeError, match="line"):
        line_actions.commitment_update(
            commitment=commitment,
            actor=finance_officer,
            version=commitment.version,
            line=next_year["resources"],
            **fields,
        )
    commitment.line = next_year["resources"]
    line_actions.commitment_update(
        commitment=commitment, actor=finance_officer, version=commitment.version, **fields
    )
    assert Commitment.objects.get(pk=commitment.pk).line_id == lines["resources"].pk


def test_a_row_is_placed_only_on_a_line_of_its_own_year(set_up, next_year, finance_officer):
    batch = upload(set_up, finance_officer, csv_of(row(ref="AP1", subjective="9999")))
    import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    queued = LedgerRow.objects.get(reference="AP1")
    with pytest.raises(ValidationError, match="same year"):
        rule_actions.row_allocate(
            row=queued, splits=[(next_year["resources"], queued.amount)], actor=finance_officer
        )
    assert not queued.allocations.exists()


def test_a_rule_a_virement_and_a_carry_forward_name_only_the_year_s_lines(
    set_up, lines, next_year, finance_officer
):
    with pytest.raises(ValidationError, match="this year"):
        rule_actions.rule_save(
            allocation=set_up,
            actor=finance_officer,
            line=next_year["resources"],
            kind="post",
            post_number="P99999",
        )
    with pytest.raises(ValidationError, match="this year"):
        allocation_actions.virement_record(
            allocation=set_up,
            actor=finance_officer,
            from_line=lines["resources"],
            to_line=next_year["resources"],
            amount=D("10.00"),
            reason="Moved",
            approved_by="Head of Service",
            approved_on=dt.date(2019, 9, 1),
        )
    with pytest.raises(ValidationError, match="this year's lines"):
        allocation_actions.allocation_carry_forward(
            allocation=set_up,
            actor=finance_officer,
            start_year=2021,
            amounts={next_year["resources"].pk: D("1.00")},
        )


def test_theme_weights_weigh_only_the_line_s_themes(set_up, lines, programme_manager):
    themes = list(set_up.programme.themes.all())
    line = min(lines.values(), key=lambda line: line.themes.count())
    stranger = next(t for t in themes if t not in set(line.themes.all()))
    with pytest.raises(ValidationError, match="themes the line supports"):
        line_actions.theme_weights_set(
            line=line, actor=programme_manager, weights={stranger: D("1")}
        )
    assert not line.theme_weights.exists()
