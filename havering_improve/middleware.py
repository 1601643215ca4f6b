import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

# Record activity at most this often, so most requests do not write the session.
_TOUCH_EVERY_SECONDS = 60


class SessionIdleTimeoutMiddleware:
    """Sign a person out after SESSION_IDLE_TIMEOUT seconds without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen")
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                request.signed_out_for_inactivity = True  # the login page says why
                logout(request)
                return redirect(f"{reverse('login')}?timeout=1&next={request.path}")
            if last_seen is None or now - last_seen >= _TOUCH_EVERY_SECONDS:
                request.session["last_seen"] = now
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="session_idle_start")
def _start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session["last_seen"] = int(time.time())
