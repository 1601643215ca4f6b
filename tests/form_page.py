"""Two people at one form, as their browsers would send it: each opens the page, the first
saves, then the second saves the form they opened before that."""

from html.parser import HTMLParser

from django.test import Client

from tests.factories import UserFactory

REFUSED = "after you opened it, so your changes were not saved"


class _Forms(HTMLParser):
    """The fields of each <form> on a page, with the values a browser would send unchanged."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self._form = None
        self._select = self._textarea = None
        self._options: list[tuple[str, bool]] = []
        self._multiple = False

    def _add(self, name, value):
        if self._form is not None and name:
            self._form.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._add(a.get("name"), a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select, self._options, self._multiple = a.get("name"), [], "multiple" in a
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected]
            if not chosen and self._options and not self._multiple:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None


def opened(client: Client, url: str, carrying: str = "version") -> dict[str, list[str]]:
    """The form on `url` with a field called `carrying` (by default the edit form, which
    carries the version of what it edits), as the page gives it."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = _Forms()
    parser.feed(response.content.decode())
    forms = [form for form in parser.forms if carrying in form]
    assert forms, f"{url} has no form with a {carrying} field"
    return forms[0]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def second_user(user, username: str):
    """Someone else with the same roles as `user`."""
    return UserFactory(username=username, roles=[g.name for g in user.groups.all()])


def race(url: str, first, second, first_change: dict, second_change: dict):
    """`first` and `second` open `url`; `first` saves `first_change`; then `second` saves
    `second_change` on the form they opened before that. Returns `second`'s response."""
    first_client, second_client = signed_in(first), signed_in(second)
    first_form, second_form = opened(first_client, url), opened(second_client, url)
    saved = first_client.post(url, {**first_form, **first_change})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    return second_client.post(url, {**second_form, **second_change})


def assert_refused(response, *shown):
    """The stale save was refused with the message people see elsewhere, and the page shows
    what the other person changed (`shown`)."""
    html = response.content.decode()
    assert response.status_code in {200, 400}, response.status_code
    assert REFUSED in html, html[:3000]
    assert "What they changed" in html
    for text in shown:
        assert text in html, text
