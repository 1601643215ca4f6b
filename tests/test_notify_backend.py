"""E-mail through GOV.UK Notify, against a stub of Notify's API on this machine: each message
is a POST to /v2/notifications/email with a JWT made from the API key and the generic template's
subject and body; a progress report's PDF goes as Notify's file link."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import jwt
import pytest
from django.core.exceptions import ImproperlyConfigured

from havering_improve import notify
from havering_improve.mail import email_message

SERVICE_ID = str(uuid.UUID(int=1))
SECRET = str(uuid.UUID(int=2))
API_KEY = f"havering_improve_test-{SERVICE_ID}-{SECRET}"
TEMPLATE = str(uuid.UUID(int=3))
FILE_TEMPLATE = str(uuid.UUID(int=4))


@pytest.fixture
def stub():
    """A stand-in for api.notifications.service.gov.uk, recording what it is sent."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((self.path, dict(self.headers), body))
            if body["email_address"] == "refused@havering.example":
                status, answer = (
                    400,
                    {
                        "status_code": 400,
                        "errors": [
                            {
                                "error": "BadRequestError",
                                "message": "Can't send to this recipient using a team-only API key",
                            }
                        ],  # noqa: E501
                    },
                )
            else:
                status, answer = 201, {"id": str(uuid.uuid4()), "reference": body.get("reference")}
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["official client", "urllib client"])
def notify_settings(request, settings, stub, monkeypatch):
    if request.param == "urllib client":
        monkeypatch.setattr(notify, "NotificationsAPIClient", None)
    elif notify.NotificationsAPIClient is None:
        pytest.skip("notifications-python-client is not installed")
    settings.EMAIL_BACKEND = "havering_improve.notify.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_TEMPLATE_ID = TEMPLATE
    settings.NOTIFY_FILE_TEMPLATE_ID = FILE_TEMPLATE
    settings.NOTIFY_BASE_URL = stub.url
    settings.SITE_URL = "https://improve.havering.example"
    return settings


def _claims(headers) -> dict:
    scheme, token = headers["Authorization"].split(" ", 1)
    assert scheme == "Bearer"
    assert jwt.get_unverified_header(token) == {"typ": "JWT", "alg": "HS256"}
    return jwt.decode(token, SECRET, algorithms=["HS256"])  # the signature is the key's secret


def _reminder(**kwargs):
    """A rota e-mail: Supervision is no longer in focus at a meeting to come."""
    context = {
        "lead": SimpleNamespace(get_full_name="Sam Lead", username="sam"),
        "board": SimpleNamespace(name="Improvement Board", short_name="Board"),
        "theme": SimpleNamespace(title="Supervision"),
        "old": None,
        "new": None,
        "link": "https://improve.havering.example/themes/supervision/board/",
    }
    return email_message("board/email/focus_moved", context, **kwargs)


def test_a_message_is_sent_through_notifys_generic_template(notify_settings, stub):
    assert _reminder(to=["lead@havering.example"]).send() == 1
    [(path, headers, body)] = stub.received
    assert path == "/v2/notifications/email"
    claims = _claims(headers)
    assert claims["iss"] == SERVICE_ID and abs(claims["iat"] - time.time()) < 30
    assert body["email_address"] == "lead@havering.example"
    assert body["template_id"] == TEMPLATE
    assert set(body["personalisation"]) == {"subject", "body"}
    assert (
        body["personalisation"]["subject"]
        == "Supervision is no longer in focus at a meeting to come"
    )
    assert (
        "See the theme's board rota: https://improve.havering.example/themes/supervision/board/"
        in body["personalisation"]["body"]
    )
    assert body["reference"].endswith("@improve.havering.example")


def test_a_file_goes_through_the_file_template_as_notifys_file_link(notify_settings, stub):
    import base64

    message = _reminder(
        to=["clerk@havering.example"],
        attachments=[
            ("scrutiny-progress-report-2026-07.pdf", b"%PDF-1.7 report", "application/pdf")
        ],  # noqa: E501
    )
    message.send()
    [(_, _, body)] = stub.received
    assert body["template_id"] == FILE_TEMPLATE
    link = body["personalisation"]["link_to_file"]
    assert base64.b64decode(link["file"]) == b"%PDF-1.7 report"
    assert link["filename"] == "scrutiny-progress-report-2026-07.pdf"
    assert link["confirm_email_before_download"] is True


def test_inset_words_keep_notifys_inset_markup(notify_settings, stub):
    message = _reminder(to=["lead@havering.example"])
    message.markup = "You asked:\n\n^ Extend agency cover?\n\n* one\n* two\n"
    message.send()
    body = stub.received[0][2]["personalisation"]["body"]
    assert "^ Extend agency cover?" in body and "* one\n* two" in body


def test_notifys_refusal_is_an_error_saying_why(notify_settings, stub):
    with pytest.raises(Exception, match="team-only API key"):
        _reminder(to=["refused@havering.example"]).send()


def test_the_stdlib_token_is_what_notify_checks():
    token = notify.notify_token(SERVICE_ID, SECRET, now=1_800_000_000)
    assert jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": False}) == {
        "iss": SERVICE_ID,
        "iat": 1_800_000_000,
    }


def test_a_key_that_is_not_a_notify_key_is_refused_clearly(settings):
    settings.NOTIFY_API_KEY = "not-a-key"
    settings.NOTIFY_TEMPLATE_ID = TEMPLATE
    with pytest.raises(ImproperlyConfigured, match="not a GOV.UK Notify API key"):
        notify.UrllibNotifyClient("not-a-key")


def test_without_a_key_the_demo_still_writes_mail_to_files(monkeypatch):
    import importlib

    from havering_improve.settings import base

    monkeypatch.delenv("NOTIFY_API_KEY", raising=False)
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    monkeypatch.setenv("DEBUG", "true")
    assert importlib.reload(base).EMAIL_BACKEND == "havering_improve.mail.EmlFileBackend"
    monkeypatch.setenv("NOTIFY_API_KEY", API_KEY)
    monkeypatch.setenv("NOTIFY_TEMPLATE_ID", TEMPLATE)
    assert importlib.reload(base).EMAIL_BACKEND == "havering_improve.notify.NotifyEmailBackend"
    monkeypatch.undo()
    importlib.reload(base)
