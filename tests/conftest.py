import json
import os

import freezegun
import pytest

from havering_improve import actions, roles
from portfolio import loader
from tests.factories import UserFactory

# A frozen clock is for the code under test: pytest's own clock (the module its --durations and
# timings read) keeps the real one, so the durations it reports are the time the tests took.
# Only that module: ignoring a module also gives real time to any code it calls, and pytest's
# runner calls every test.
freezegun.configure(extend_ignore_list=["_pytest.timing"])


@pytest.fixture
def programme(db):
    """The Havering programme, loaded from the data file in the repo as the app does."""
    prog, _ = loader.programme_load(data=loader.read_data_file(loader.DEFAULT_DATA_FILE))
    return prog


@pytest.fixture
def theme(programme):
    return programme.themes.get(slug="supervision")


@pytest.fixture
def other_theme(programme):
    return programme.themes.get(slug="quality-assurance")


@pytest.fixture
def programme_manager(programme):
    return UserFactory(username="pm", roles=[roles.PROGRAMME_MANAGER])


@pytest.fixture
def finance_officer(programme):
    return UserFactory(username="finance", roles=[roles.FINANCE_OFFICER])


@pytest.fixture
def board_member(programme):
    return UserFactory(username="board", roles=[roles.BOARD_MEMBER])


@pytest.fixture
def auditor(programme):
    return UserFactory(username="auditor", roles=[roles.AUDITOR])


@pytest.fixture
def lead(theme):
    """Lead of the Supervision theme."""
    user = UserFactory(username="lead", roles=[roles.PROJECT_LEAD])
    theme.lead = user
    theme.save(update_fields=["lead"])
    return user


@pytest.fixture
def other_lead(other_theme):
    """Lead of the Quality Assurance theme (a stranger to Supervision)."""
    user = UserFactory(username="other-lead", roles=[roles.PROJECT_LEAD])
    other_theme.lead = user
    other_theme.save(update_fields=["lead"])
    return user


@pytest.fixture
def team_member(theme):
    from themes.models import TeamMembership

    user = UserFactory(username="member", roles=[roles.TEAM_MEMBER])
    TeamMembership.objects.create(theme=theme, user=user, kind=TeamMembership.Kind.PRACTITIONER)
    return user


@pytest.fixture
def no_role_user(programme):
    return UserFactory(username="norole")


ROLE_FIXTURES = [
    "programme_manager",
    "finance_officer",
    "board_member",
    "auditor",
    "lead",
    "team_member",
]


@pytest.fixture(params=ROLE_FIXTURES)
def any_role_user(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def summaries_cache(settings):
    """Cached summaries on (the suite runs with them off)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "summaries": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-summaries",
        },
    }
    from django.core.cache import caches

    caches["summaries"].clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            with actions.batch():
                change()

    return run


def pytest_terminal_summary(terminalreporter, config):
    """Append each skipped test and its reason to $TEST_SKIP_LOG, for `make test`'s closing
    summary across its two runs (tests/skip_report.py prints it)."""
    path = os.environ.get("TEST_SKIP_LOG")
    if not path or hasattr(config, "workerinput"):
        return
    with open(path, "a", encoding="utf-8") as log:
        for report in terminalreporter.stats.get("skipped", []):
            longrepr = report.longrepr
            reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
            reason = reason.removeprefix("Skipped: ")
            log.write(json.dumps({"test": report.nodeid, "reason": reason}) + "\n")
