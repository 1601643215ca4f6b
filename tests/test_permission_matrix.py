"""Every URL in the project, for every role, for GET and POST: the outcome a person gets.

The URL list comes from the resolver, so a new URL without a row here fails
`test_every_url_is_in_the_matrix`. Codes: 200 ok; LOGIN = 302 to the sign-in page; 302 other
redirect; 403 forbidden; 404 not found (another theme's object looks absent); 405 wrong method.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

LOGIN = "login"
PEOPLE = [
    "anonymous",
    "no_role_user",
    "programme_manager",
    "finance_officer",
    "board_member",
    "auditor",
    "lead",
    "other_lead",
    "team_member",
]
ROLE_HOLDERS = PEOPLE[2:]


def everyone(code):
    return dict.fromkeys(PEOPLE, code)


def readers(code=200):
    """Anyone with a role reads it; a signed-in user with no role gets 403; anonymous signs in."""
    return {"anonymous": LOGIN, "no_role_user": 403, **dict.fromkeys(ROLE_HOLDERS, code)}


def only(allowed: list[str], code=200, others=403):
    return {
        "anonymous": LOGIN,
        **{p: (code if p in allowed else others) for p in PEOPLE if p != "anonymous"},
    }


@dataclass
class Case:
    get: dict
    post: dict
    kwargs: dict = field(default_factory=dict)


# Read-only pages refuse POST before anything else, whoever asks.
READ_ONLY = dict(post=everyone(405))

# Board rows, built before MATRIX uses them.
_MISSING = {"pk": 999999}
_PM = ["programme_manager"]
_REPORTS = ["programme_manager", "auditor"]


def _missing(get_code, post_code):
    """An address of an object that does not exist: 404 for anyone with a role."""
    return {
        "anonymous": LOGIN if get_code != 405 else 405,
        "no_role_user": 403 if get_code != 405 else 405,
        **dict.fromkeys(ROLE_HOLDERS, get_code),
    }, {
        "anonymous": LOGIN if post_code != 405 else 405,
        "no_role_user": 403 if post_code != 405 else 405,
        **dict.fromkeys(ROLE_HOLDERS, post_code),
    }


def _board_missing(get_code=404, post_code=404):
    get, post = _missing(get_code, post_code)
    return Case(get=get, post=post, kwargs=_MISSING)


BOARD_MATRIX = {
    "board:meeting_add": Case(get=only(_PM), post=only(_PM)),
    "board:meeting_schedule": Case(get=only(_PM), post=only(_PM)),
    "board:rota_generate": Case(get=everyone(405), post=only(_PM, code=302)),
    "board:rota_ics": Case(get=readers(), **READ_ONLY),
    "board:rota_history": Case(get=only(_REPORTS), **READ_ONLY),
    "board:settings": Case(get=only(_PM), post=only(_PM)),
    "board:actions": Case(get=readers(), **READ_ONLY),
    "board:reports": Case(get=only(_REPORTS), **READ_ONLY),
    "board:meeting": _board_missing(post_code=405),
    "board:meeting_edit": _board_missing(),
    "board:meeting_pins": _board_missing(),
    "board:minutes": _board_missing(),
    "board:decision_add": _board_missing(),
    "board:action_add": _board_missing(),
    "board:pack_build": _board_missing(get_code=405),
    "board:action_update": _board_missing(),
    "board:pack": _board_missing(post_code=405),
    "board:pack_pdf": _board_missing(post_code=405),
    "board:pack_publish": _board_missing(),
    "board:pack_reissue": _board_missing(),
    "board:schedule_edit": _board_missing(),
    "board:schedule_preview": _board_missing(post_code=405),
    "board:report": _board_missing(post_code=405),
    "board:report_pdf": _board_missing(post_code=405),
    "board:report_retry": _board_missing(get_code=405),
}

# URL name → expected outcomes. `kwargs` values are resolved against the test data.
MATRIX: dict[str, Case] = {
    "home": Case(get=readers(), **READ_ONLY),
    "healthz": Case(get=everyone(200), post=everyone(405)),
    "login": Case(
        # Signed-in people go straight on; an empty form comes back with its errors.
        get={**everyone(302), "anonymous": 200},
        post={**everyone(302), "anonymous": 200},
    ),
    "logout": Case(get=everyone(405), post=everyone(LOGIN)),  # signed out, back to sign-in
    "session_extend": Case(
        get={"anonymous": 401, **{p: 204 for p in PEOPLE[1:]}},
        post={"anonymous": 401, **{p: 204 for p in PEOPLE[1:]}},
    ),
    "oidc_authentication_init": Case(get=everyone(404), post=everyone(404)),
    "oidc_authentication_callback": Case(get=everyone(404), post=everyone(404)),
    "privacy": Case(get=everyone(200), post=everyone(405)),
    "accessibility": Case(get=everyone(200), post=everyone(405)),
    "themes:index": Case(get=readers(), **READ_ONLY),
    "themes:detail": Case(get=readers(), kwargs={"slug": "supervision"}, **READ_ONLY),
    "budget:index": Case(get=readers(), **READ_ONLY),
    "budget:year": Case(get=readers(), kwargs={"year": "2019-20"}, **READ_ONLY),
    "evaluation:index": Case(get=readers(), **READ_ONLY),
    "board:index": Case(get=readers(), **READ_ONLY),
    # The board: the programme manager changes calendars, rotas, packs and report schedules.
    # Addresses of one meeting, pack, action or report name one that does not exist here (404
    # once the role check passes); tests/board/test_permissions.py runs them on real objects.
    **BOARD_MATRIX,
}

# The admin has its own permission checks (model permissions on the role groups); its index
# stands for it here, and tests/test_auth.py covers who reaches it.
EXCLUDED_NAMESPACES = {"admin"}


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from _url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    names = set(_url_names())
    missing = sorted(names - set(MATRIX))
    stale = sorted(set(MATRIX) - names)
    assert not missing, f"Add these URLs to the permission matrix: {missing}"
    assert not stale, f"These matrix rows name no URL: {stale}"


@pytest.fixture
def people(db, programme, request):
    """Every kind of person at once (so "another theme" is always someone's)."""
    found = {"anonymous": None}
    for name in PEOPLE[1:]:
        found[name] = request.getfixturevalue(name)
    return found


def _outcome(client, method, url):
    response = getattr(client, method)(url)
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_person_gets_the_expected_outcome_for_each_url(client, people, name):
    case = MATRIX[name]
    url = reverse(name, kwargs=case.kwargs)
    wrong = []
    for label, person in people.items():
        client.logout()
        if person is not None:
            client.force_login(person)
        for method, expected in (("get", case.get[label]), ("post", case.post[label])):
            actual = _outcome(client, method, url)
            if actual != expected:
                wrong.append(f"{method.upper()} {url} as {label}: {actual}, expected {expected}")
    assert not wrong, "\n".join(wrong)
