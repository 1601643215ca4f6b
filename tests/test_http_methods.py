"""Every address answers PUT, DELETE and PATCH with 405 Method Not Allowed, rather than
rendering its page or acting on the request, and OPTIONS with the methods allowed and no body.
The addresses come from the URL resolver (every pattern, the admin's too), so a new one is
covered without a row here."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from board.models import Meeting
from havering_improve import roles
from tests.board.factories import MeetingFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLES = {"int": "1", "slug": "supervision", "str": "1", "path": "1", "uuid": ""}


def _sample(pattern) -> str:
    """A concrete path for one route or regex pattern: converters filled with sample values."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern)

        def fill(match):
            converter = match.group(1) or "str"
            return SAMPLES.get(converter, "1") or "00000000-0000-0000-0000-000000000000"

        return re.sub(r"<(?:(\w+):)?\w+>", fill, route)
    regex = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
    regex = re.sub(r"\(\?P<\w+>([^)]*)\)", lambda m: m.group(1).split("|")[0], regex)
    return regex.replace(".*", "anything").replace("\\", "")


def all_paths(resolver=None, prefix="/"):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        here = prefix + _sample(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from all_paths(pattern, here)
        elif isinstance(pattern, URLPattern):
            yield here


PATHS = sorted(set(all_paths()))


def test_the_walk_finds_the_service_and_the_admin():
    assert "/board/meetings/1/edit/" in PATHS
    assert "/admin/auth/user/1/password/" in PATHS
    assert len(PATHS) > 100


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "signed-out"])
def test_put_delete_and_patch_are_refused_everywhere(client, signed_in):
    if signed_in:
        client.force_login(UserFactory(username="pm", roles=[roles.PROGRAMME_MANAGER]))
    wrong = []
    for path in PATHS:
        for method in ("put", "delete", "patch"):
            response = getattr(client, method)(
                path, data="title=Changed", content_type="text/plain"
            )
            if (response.status_code, response.get("Allow"), response.content) != (
                405,
                "GET, HEAD, POST, OPTIONS",
                b"",
            ):
                wrong.append(f"{method.upper()} {path}: {response.status_code}")
    assert not wrong, wrong


@pytest.mark.parametrize("path", ["/", "/board/", "/admin/", "/accounts/login/", "/healthz"])
def test_options_says_what_is_allowed_without_the_page(client, programme_manager, path):
    client.force_login(programme_manager)
    response = client.options(path)
    assert response.status_code in (200, 405)
    assert "GET" in response["Allow"]
    assert response.content == b""


def test_a_put_to_an_edit_page_neither_renders_it_nor_changes_anything(
    client, programme, programme_manager
):
    meeting = MeetingFactory(board=programme.boards.get(slug="improvement-board"), venue="Hall")
    client.force_login(programme_manager)
    response = client.put(
        f"/board/meetings/{meeting.pk}/edit/", data="venue=Elsewhere", content_type="text/plain"
    )
    assert response.status_code == 405
    assert Meeting.objects.get(pk=meeting.pk).venue == "Hall"
