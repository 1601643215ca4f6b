"""An action is one durable transaction of its own; one action does another as part of its own
work only by saying so (`other.within(...)`), and a script that makes several changes as one
opens `actions.batch()`. Tests marked `transaction=True` run with the database's real
transactions (pytest-django's usual test transaction lets a durable block nest silently)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from havering_improve import actions
from themes.models import Theme


@pytest.fixture
def made():
    """Three actions on a theme's title, forgotten again after the test: `rename` (programme
    manager), `rename_and_note` (does `rename` as part of its own work, then adds to the title),
    `rename_twice_plainly` (calls `rename` as if it were not already inside an action)."""
    kept = dict(actions.REGISTRY)

    @actions.action("can_edit_theme", on="theme")
    def rename(*, actor, theme: Theme, title: str) -> Theme:
        if not title:
            raise ValidationError("Title must not be empty")
        theme.title = title
        theme.save()
        return theme

    @actions.action("is_programme_manager")
    def rename_and_note(*, actor, theme: Theme, title: str, by=None, refused_ok=False) -> Theme:
        theme.title = "Noted: " + theme.title
        theme.save()
        try:
            rename.within(actor=by or actor, theme=theme, title=title)
        except (ValidationError, PermissionDenied):
            if not refused_ok:
                raise
        return theme

    @actions.action("is_programme_manager")
    def rename_twice_plainly(*, actor, theme: Theme, title: str) -> Theme:
        rename(actor=actor, theme=theme, title=title)
        return rename(actor=actor, theme=theme, title=title + "!")

    yield rename, rename_and_note, rename_twice_plainly
    actions.REGISTRY.clear()
    actions.REGISTRY.update(kept)


def _title(theme) -> str:
    return Theme.objects.get(pk=theme.pk).title


@pytest.mark.django_db
def test_an_action_called_plainly_inside_another_is_refused_naming_both(
    made, theme, programme_manager
):
    _, _, rename_twice_plainly = made
    with pytest.raises(actions.NestedAction) as refused:
        rename_twice_plainly(actor=programme_manager, theme=theme, title="Supervision plan")
    assert "rename() was called inside the transaction of rename_twice_plainly()" in str(
        refused.value
    )
    assert "rename.within(" in str(refused.value)


@pytest.mark.django_db
def test_within_is_refused_when_no_action_is_running(made, theme, programme_manager):
    rename, _, _ = made
    with pytest.raises(actions.NestedAction, match="no action is running"):
        rename.within(actor=programme_manager, theme=theme, title="Supervision plan")
    assert _title(theme) != "Supervision plan"


@pytest.mark.django_db(transaction=True)
def test_an_action_inside_a_transaction_someone_else_opened_is_refused(
    made, theme, programme_manager
):
    rename, _, _ = made
    before = _title(theme)
    with pytest.raises(RuntimeError, match="durable"):
        with transaction.atomic():
            rename(actor=programme_manager, theme=theme, title="Folded in")
    assert _title(theme) == before


@pytest.mark.django_db(transaction=True)
def test_an_action_done_within_another_commits_with_it_in_the_history_by_its_actor(
    made, theme, programme_manager
):
    _, rename_and_note, _ = made
    before = _title(theme)
    rename_and_note(actor=programme_manager, theme=theme, title="Supervision plan")
    assert _title(theme) == "Supervision plan"
    latest = Theme.history.filter(id=theme.pk).order_by("-history_id")[:2]
    assert [(h.title, h.history_user) for h in latest] == [
        ("Supervision plan", programme_manager),
        ("Noted: " + before, programme_manager),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_inner_actions_own_rule_is_asked_and_its_refusal_undoes_the_outer_work(
    made, theme, programme_manager, board_member
):
    _, rename_and_note, _ = made
    before = _title(theme)
    with pytest.raises(PermissionDenied):
        rename_and_note(actor=programme_manager, theme=theme, title="Moved", by=board_member)
    assert _title(theme) == before


@pytest.mark.django_db(transaction=True)
def test_an_outer_action_may_carry_on_after_the_inner_one_is_refused(
    made, theme, programme_manager
):
    """The inner action runs in a savepoint: the outer action can catch its refusal and keep
    what it did itself."""
    _, rename_and_note, _ = made
    before = _title(theme)
    rename_and_note(actor=programme_manager, theme=theme, title="", refused_ok=True)
    assert _title(theme) == "Noted: " + before


@pytest.mark.django_db(transaction=True)
def test_a_batch_keeps_all_of_its_actions_or_none(made, theme, other_theme, programme_manager):
    rename, _, _ = made
    before = _title(theme)
    with pytest.raises(ValidationError):
        with actions.batch():
            rename(actor=programme_manager, theme=theme, title="First")
            rename(actor=programme_manager, theme=other_theme, title="")
    assert _title(theme) == before
    with actions.batch():
        rename(actor=programme_manager, theme=theme, title="First")
        rename(actor=programme_manager, theme=other_theme, title="Second")
    assert (_title(theme), _title(other_theme)) == ("First", "Second")


@pytest.mark.django_db(transaction=True)
def test_a_job_with_no_transaction_of_its_own_does_actions_as_top_level_ones(
    made, theme, programme_manager
):
    """A job that renders or sends (`atomic=False`) keeps its transactions short: each action it
    does commits on its own."""
    rename, _, _ = made

    @actions.action("system", atomic=False)
    def retitle_nightly(*, actor=None, theme: Theme) -> None:
        rename(actor=programme_manager, theme=theme, title="One")
        rename(actor=programme_manager, theme=theme, title="")

    with pytest.raises(ValidationError):
        retitle_nightly(theme=theme)
    assert _title(theme) == "One"
