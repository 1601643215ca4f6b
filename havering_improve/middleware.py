import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from havering_improve import sso
from havering_improve.views import healthz

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
                offer = sso.council_sign_out_offer(request)
                logout(request)
                sso.offer_council_sign_out(request, offer)
                return redirect(f"{reverse('login')}?timeout=1&next={request.path}")
            if last_seen is None or now - last_seen >= _TOUCH_EVERY_SECONDS:
                request.session["last_seen"] = now
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="session_idle_start")
def _start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session["last_seen"] = int(time.time())


class NoStoreWhenSignedInMiddleware:
    """Nothing a signed-in person sees is kept by the browser or any cache on the way, so a shared
    council PC shows no programme page after sign-out (Back included): `Cache-Control: no-store`
    (with no-cache, must-revalidate, private, max-age=0) on every response to a signed-in request,
    redirects included, and on the one that signs a person in or out. Placed just after the
    session middleware, so it sees every response but the static files'.

    The one exception is a chart at its own address (`themes.charts.svg_response`, marked
    `kept_by_browser`): an image, never a page, whose address changes with its data, kept
    privately by the browser so a page of charts is fetched once, not on every visit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = SESSION_KEY in request.session
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(response, "kept_by_browser", False):
            return response
        if signed_in or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response


class HealthCheckMiddleware:
    """`/healthz` answers before anything else looks at the request: over plain HTTP (no
    redirect to HTTPS) and whatever Host header it carries, because a load balancer probes each
    instance directly, by its address, without TLS. It tells nothing but whether the database
    and broker answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)


class HtmlMethodsMiddleware:
    """Every page of the service is HTML read with GET (or HEAD) and changed with a form's POST:
    any other method (PUT, DELETE, PATCH, …) is answered 405 Method Not Allowed here, for every
    address, before a view could render its page or act on it. OPTIONS is answered with the
    methods allowed and no body."""

    ALLOWED = ("GET", "HEAD", "POST", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "OPTIONS":
            response = HttpResponse(status=200)
            response["Allow"] = ", ".join(self.ALLOWED)
            response["Content-Length"] = "0"
            return response
        if request.method not in self.ALLOWED:
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)
