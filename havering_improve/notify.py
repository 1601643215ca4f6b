"""Send the service's e-mail through GOV.UK Notify, as public services do.

Chosen by setting: with NOTIFY_API_KEY set, EMAIL_BACKEND defaults to `NotifyEmailBackend`.
Notify sends from templates kept in Notify; this service keeps its words in its own templates
(havering_improve.mail) and uses one generic Notify e-mail template for every message:

    Subject:  ((subject))
    Message:  ((body))

(NOTIFY_TEMPLATE_ID). A message with a file (a progress report's PDF) goes through a second
template that also has the file's link (NOTIFY_FILE_TEMPLATE_ID):

    Subject:  ((subject))
    Message:  ((body))

              Download the report: ((link_to_file))

Notify lays the e-mail out itself (GOV.UK style); the body is the message's words in Notify's
own markup: `* ` bullets and `^ ` inset text, addresses linked as they are.

The official client (`notifications-python-client`) is used when it is installed; without it a
thin client over urllib speaks the same documented API: POST /v2/notifications/email with a
bearer JWT (HS256, iss = the service id, iat = now) signed with the key's secret.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend

from havering_improve.mail import markup_to_text

try:  # the official client, when installed
    from notifications_python_client.notifications import NotificationsAPIClient
except ImportError:  # pragma: no cover - depends on what is installed
    NotificationsAPIClient = None

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"
# Notify keeps a file for people to download for this long (its maximum is 78 weeks).
FILE_RETENTION = "26 weeks"


class NotifyError(Exception):
    """Notify refused a message; the text is Notify's own reason."""


def split_api_key(api_key: str) -> tuple[str, str]:
    """(service id, secret) from a Notify API key: `<key name>-<service id>-<secret>`, the last
    two UUIDs of 36 characters each."""
    if len(api_key) < 74 or api_key[-37] != "-" or api_key[-74] != "-":
        raise ImproperlyConfigured(
            "NOTIFY_API_KEY is not a GOV.UK Notify API key (<key name>-<service id>-<secret>)."
        )
    return api_key[-73:-37], api_key[-36:]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def notify_token(service_id: str, secret: str, *, now: float | None = None) -> str:
    """The bearer token Notify asks for: a JWT signed HS256 with the key's secret."""
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    claims = {"iss": service_id, "iat": int(now if now is not None else time.time())}
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256)
    return f"{header}.{payload}.{_b64(signature.digest())}"


class UrllibNotifyClient:
    """The one call this service makes, over the standard library."""

    def __init__(self, api_key: str, base_url: str = DEFAULT_BASE_URL, timeout: int = 30):
        self.service_id, self.secret = split_api_key(api_key)
        self.base_url, self.timeout = base_url.rstrip("/"), timeout

    def send_email_notification(
        self, email_address, template_id, personalisation=None, reference=None,
        email_reply_to_id=None,
    ) -> dict:  # fmt: skip
        data = {"email_address": email_address, "template_id": template_id}
        for key, value in (
            ("personalisation", personalisation),
            ("reference", reference),
            ("email_reply_to_id", email_reply_to_id),
        ):
            if value:
                data[key] = value
        request = urllib.request.Request(
            self.base_url + "/v2/notifications/email",
            data=json.dumps(data).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {notify_token(self.service_id, self.secret)}",
                "User-Agent": "havering-improve",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise NotifyError(_reason(exc.code, exc.read())) from None


def _reason(status: int, body: bytes) -> str:
    try:
        errors = json.loads(body).get("errors") or []
        said = "; ".join(f"{e.get('error')}: {e.get('message')}" for e in errors)
    except (ValueError, AttributeError):
        said = body[:200].decode(errors="replace")
    return f"GOV.UK Notify answered {status}: {said}"


def notify_client(api_key: str, base_url: str):
    if NotificationsAPIClient is not None:
        return NotificationsAPIClient(api_key, base_url=base_url)
    return UrllibNotifyClient(api_key, base_url=base_url)


class NotifyEmailBackend(BaseEmailBackend):
    """Each recipient of each message is one Notify e-mail from the generic template."""

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.api_key = kwargs.get("api_key") or settings.NOTIFY_API_KEY
        self.template_id = kwargs.get("template_id") or settings.NOTIFY_TEMPLATE_ID
        self.file_template_id = kwargs.get("file_template_id") or settings.NOTIFY_FILE_TEMPLATE_ID
        self.base_url = kwargs.get("base_url") or settings.NOTIFY_BASE_URL or DEFAULT_BASE_URL
        self.reply_to_id = settings.NOTIFY_REPLY_TO_ID or None
        if not (self.api_key and self.template_id):
            raise ImproperlyConfigured(
                "Sending through GOV.UK Notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID."
            )

    def send_messages(self, email_messages) -> int:
        client = notify_client(self.api_key, self.base_url)
        sent = 0
        for message in email_messages:
            try:
                template_id, personalisation = self._personalisation(message)
                reference = (message.extra_headers.get("Message-ID") or "").strip("<>") or None
                for address in message.recipients():
                    client.send_email_notification(
                        email_address=address,
                        template_id=template_id,
                        personalisation=personalisation,
                        reference=reference,
                        email_reply_to_id=self.reply_to_id,
                    )
            except Exception:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent

    def _personalisation(self, message) -> tuple[str, dict]:
        markup = getattr(message, "markup", None)
        body = markup_to_text(markup, inset="^ ") if markup else message.body
        personalisation = {"subject": message.subject, "body": body}
        files = [a for a in message.attachments if not isinstance(a, str)]
        if not files:
            return self.template_id, personalisation
        if len(files) > 1 or not self.file_template_id:
            raise NotifyError(
                "GOV.UK Notify sends one file a message, through NOTIFY_FILE_TEMPLATE_ID: "
                f"{message.subject!r} has {len(files)} and that setting is "
                f"{'set' if self.file_template_id else 'not set'}."
            )
        name, content, _ = files[0]
        content = content.encode() if isinstance(content, str) else content
        personalisation["link_to_file"] = {
            "file": base64.b64encode(content).decode(),
            "filename": name,
            "confirm_email_before_download": True,
            "retention_period": FILE_RETENTION,
        }
        return self.file_template_id, personalisation
