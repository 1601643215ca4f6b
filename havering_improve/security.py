"""The security log: logins, failed logins, lockouts, permission denials, exports and imports,
written as JSON lines (one object per line) with user, IP address and time.

Send it wherever the council collects logs: it goes to the `havering_improve.security` logger,
which prints to stderr and, with SECURITY_LOG_FILE set, appends to that file.
"""

import datetime as dt
import json
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("havering_improve.security")


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
            **getattr(record, "security", {}),
        }
        return json.dumps(payload, default=str, ensure_ascii=False)


def client_ip(request) -> str | None:
    """The client's address. Behind a load balancer, trust only as many X-Forwarded-For hops as
    TRUSTED_PROXY_COUNT says (so a client cannot forge its address)."""
    if request is None:
        return None
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR")


def log_event(event: str, *, request=None, user=None, level=logging.INFO, **details) -> None:
    """Write one security event. `details` must not hold passwords or file contents."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    username = getattr(user, "username", None) if user is not None else None
    if user is not None and not getattr(user, "is_authenticated", False):
        username = None
    record = {
        "user": username,
        "ip": client_ip(request),
        "path": getattr(request, "path", None),
        **details,
    }
    logger.log(level, event, extra={"security": record})


@receiver(user_logged_in, dispatch_uid="security_login")
def _logged_in(sender, request, user, **kwargs):
    council = getattr(user, "backend", "").endswith("CouncilOIDCBackend")
    log_event("login", request=request, user=user, method="council" if council else "password")


@receiver(user_logged_out, dispatch_uid="security_logout")
def _logged_out(sender, request, user, **kwargs):
    log_event("logout", request=request, user=user)


@receiver(user_login_failed, dispatch_uid="security_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    log_event(
        "login_failed",
        request=request,
        level=logging.WARNING,
        username_tried=(credentials or {}).get("username"),
    )


def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    log_event("lockout", request=request, level=logging.WARNING, username_tried=username)


def connect_axes_signals():
    # Called from the app's ready(): axes' signals import its models, and this module is
    # loaded before the apps are (the logging settings name its formatter).
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="security_lockout")
