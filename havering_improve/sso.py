"""Single sign-on with the council's Microsoft Entra ID over OpenID Connect.

Switched on by setting OIDC_RP_CLIENT_ID (see README, "Sign-in"). Django's own sign-in stays for
break-glass administrators. The rules, each enforced here:

- Tenant: an ID token counts only if its `tid` is OIDC_ENTRA_TENANT_ID, its `iss` is
  OIDC_OP_ISSUER (Entra's issuer for that tenant unless overridden) and its `aud` is this app.
- Identity: a person is matched on the immutable ids of their council account (tenant and `oid`,
  or `sub` where a provider sends no `oid`), held in CouncilIdentity; their user name is kept
  for display only. On a first council sign-in an existing account is linked if its username is
  the person's council user name, case aside, it is linked to no other council account, and it
  has no password (so break-glass accounts are never taken over). Otherwise a new account is made.
- Roles: OIDC_ROLE_GROUPS maps a group's object id (the `groups` claim) or an app role's value
  (the `roles` claim) to a role; a group's name is never trusted. At each sign-in a person's role
  groups are set to exactly the mapped ones, so Entra stays the source of truth.
- Failure: whatever goes wrong between the browser, the provider and this app ends on the
  "Sign-in could not be completed" page, with a reference, and in the security log as a failed
  sign-in with its reason (never a code, token or secret).
"""

import logging
import re
import secrets
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import LogoutView
from django.core import checks
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from havering_improve import roles, security
from havering_improve.models import CouncilIdentity

logger = logging.getLogger(__name__)

# Set in the session of a person who signed in through the council, and (after sign-out) in the
# signed-out session while the page offers to end the council session too.
SIGNED_IN_WITH_COUNCIL = "signed_in_with_council"
COUNCIL_SIGN_OUT_OFFER = "council_sign_out_offer"

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_ERROR_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

# What the person is told, by kind of failure (the log has the exact reason).
_EXPLANATIONS = {
    "provider": "The council's sign-in service did not complete the sign-in, so you have not "
    "been signed in.",
    "unavailable": "The council's sign-in service could not be reached or gave an answer this "
    "service could not use, so you have not been signed in.",
    "stale": "The sign-in was started in another window or left open too long, so you have not "
    "been signed in.",
    "untrusted": "The answer from the sign-in service could not be trusted, so you have not "
    "been signed in.",
    "tenant": "This service accepts only London Borough of Havering council accounts.",
    "account": "Your council account could not be matched to a single account in this service. "
    "The programme manager can put this right.",
    "disabled": "Your account in this service has been switched off. Ask the programme manager "
    "if you need it again.",
}
_KIND = {
    "refused_at_provider": "provider",
    "not_signed_in": "provider",
    "token_refused": "provider",
    "provider_unavailable": "unavailable",
    "keys_unavailable": "unavailable",
    "userinfo_unavailable": "unavailable",
    "configuration": "unavailable",
    "unexpected_error": "unavailable",
    "no_sign_in_started": "stale",
    "state_unknown": "stale",
    "incomplete_answer": "stale",
    "token_invalid": "untrusted",
    "wrong_audience": "untrusted",
    "wrong_issuer": "untrusted",
    "userinfo_mismatch": "untrusted",
    "no_subject": "untrusted",
    "tenant_not_configured": "tenant",
    "wrong_tenant": "tenant",
    "account_conflict": "account",
    "account_disabled": "disabled",
}


class SignInRefused(Exception):
    """A council sign-in that must not go ahead. `reason` (one of _KIND) and `details` go to the
    security log, so neither may hold a code, token or secret."""

    def __init__(self, reason: str, **details):
        super().__init__(reason)
        self.reason = reason
        self.details = details


def is_object_id(value) -> bool:
    return isinstance(value, str) and bool(_GUID.match(value))


def _provider_error(value) -> str | None:
    """An error code from the provider, fit for the log (it came through the browser)."""
    value = str(value or "")
    return value if _ERROR_CODE.match(value) else ("unreadable" if value else None)


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    """Every failure raises SignInRefused (the callback view turns it into the failure page);
    nothing here returns None for a refused sign-in."""

    def get_token(self, payload):
        try:
            response = requests.post(
                self.OIDC_OP_TOKEN_ENDPOINT,
                data=payload,
                verify=self.get_settings("OIDC_VERIFY_SSL", True),
                timeout=self.get_settings("OIDC_TIMEOUT", None),
                proxies=self.get_settings("OIDC_PROXY", None),
            )
        except requests.RequestException as exc:
            raise SignInRefused(
                "provider_unavailable", endpoint="token", error=type(exc).__name__
            ) from exc
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code != 200:
            # RFC 6749 5.2: {"error": "invalid_grant", ...}; Entra adds numeric error_codes.
            answer = answer if isinstance(answer, dict) else {}
            codes = [c for c in answer.get("error_codes", []) if isinstance(c, int)][:5]
            if "error" not in answer:
                raise SignInRefused(
                    "provider_unavailable", endpoint="token", status=response.status_code
                )
            raise SignInRefused(
                "token_refused",
                status=response.status_code,
                provider_error=_provider_error(answer.get("error")),
                provider_error_codes=codes,
            )
        if not isinstance(answer, dict) or not answer.get("id_token"):
            raise SignInRefused("provider_unavailable", endpoint="token", status=200)
        return answer

    def retrieve_matching_jwk(self, token):
        try:
            return super().retrieve_matching_jwk(token)
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            raise SignInRefused("keys_unavailable", error=type(exc).__name__) from exc
        except (SuspiciousOperation, jwt.InvalidTokenError, jwt.PyJWKError) as exc:
            raise SignInRefused("token_invalid", error=str(exc)[:200]) from exc

    def verify_token(self, token, **kwargs):
        try:
            payload = super().verify_token(token, **kwargs)
        except SignInRefused:
            raise
        except (SuspiciousOperation, jwt.InvalidTokenError) as exc:
            raise SignInRefused("token_invalid", error=str(exc)[:200]) from exc
        self._check_token_claims(payload)
        return payload

    def _check_token_claims(self, payload):
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SignInRefused("wrong_audience")
        if "exp" not in payload:
            raise SignInRefused("token_invalid", error="no expiry")
        if payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SignInRefused("wrong_issuer", issuer_seen=str(payload.get("iss"))[:200])
        tenant = settings.OIDC_ENTRA_TENANT_ID
        if not tenant:
            raise SignInRefused("tenant_not_configured")
        if str(payload.get("tid", "")).lower() != tenant.lower():
            raise SignInRefused("wrong_tenant", tenant_seen=str(payload.get("tid"))[:64])

    def get_userinfo(self, access_token, id_token, payload):
        try:
            userinfo = super().get_userinfo(access_token, id_token, payload)
        except SignInRefused:
            raise
        except (requests.RequestException, ValueError) as exc:
            raise SignInRefused("userinfo_unavailable", error=type(exc).__name__) from exc
        if not isinstance(userinfo, dict):
            raise SignInRefused("userinfo_unavailable", error="not an object")
        # OpenID Connect Core 5.3.2: the userinfo answer must be about the token's subject.
        if userinfo.get("sub") is not None and userinfo.get("sub") != payload.get("sub"):
            raise SignInRefused("userinfo_mismatch")
        # Entra puts "groups" (and "roles") in the ID token, not in the userinfo response; the
        # signed ID token wins wherever the two disagree.
        return {**userinfo, **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        tenant = str(claims["tid"]).lower()
        if claims.get("oid"):
            subject_claim, subject = CouncilIdentity.OBJECT_ID, str(claims["oid"]).lower()
        elif claims.get("sub"):
            subject_claim, subject = CouncilIdentity.SUBJECT, str(claims["sub"])
        else:
            raise SignInRefused("no_subject")
        username = council_username(claims)
        if not username:
            raise SignInRefused("no_subject", error="no user name")
        with transaction.atomic():
            identity = (
                CouncilIdentity.objects.select_for_update()
                .select_related("user")
                .filter(tenant_id=tenant, subject_claim=subject_claim, subject=subject)
                .first()
            )
            if identity is None:
                identity = self._link_or_create(tenant, subject_claim, subject, username)
            user = identity.user
            if not user.is_active:
                raise SignInRefused("account_disabled", username_tried=user.username)
            identity.username = username
            identity.last_sign_in = timezone.now()
            identity.save(update_fields=["username", "last_sign_in"])
            return self.update_user(user, claims)

    def _link_or_create(self, tenant, subject_claim, subject, username):
        """The linking rule (module docstring): an unlinked, password-less account with the
        person's user name is theirs; otherwise they get a new account."""
        User = self.UserModel
        candidates = [
            user
            for user in User.objects.filter(
                username__iexact=username, council_identity__isnull=True
            )
            if not user.has_usable_password()
        ]
        if len(candidates) > 1:
            raise SignInRefused("account_conflict", username_tried=username)
        if candidates:
            user, event = candidates[0], "council_account_linked"
        else:
            user, event = self.create_user({"preferred_username": username}), "council_account_made"
        try:
            with transaction.atomic():
                identity = CouncilIdentity.objects.create(
                    user=user,
                    tenant_id=tenant,
                    subject_claim=subject_claim,
                    subject=subject,
                    username=username,
                    last_sign_in=timezone.now(),
                )
        except IntegrityError:
            # The same person signing in from two tabs at once: the other tab linked first.
            raise SignInRefused("account_conflict", username_tried=username) from None
        security.log_event(event, request=self.request, user=user, council_user_name=username)
        return identity

    def create_user(self, claims):
        username = council_username(claims)
        taken = self.UserModel.objects.filter(username__iexact=username).exists()
        if taken:
            # Someone else holds the name (an earlier holder, or a break-glass account): the new
            # account gets a name of its own, which the next sign-in may tidy.
            username = f"{username}~{secrets.token_hex(3)}"
        return self.UserModel.objects.create_user(username, email=claims.get("email", ""))

    def update_user(self, user, claims):
        user.first_name = claims.get("given_name", user.first_name)
        user.last_name = claims.get("family_name", user.last_name)
        user.email = claims.get("email", user.email)
        fields = ["first_name", "last_name", "email"]
        username = council_username(claims)
        if (
            username
            and user.username != username
            and not self.UserModel.objects.filter(username__iexact=username)
            .exclude(pk=user.pk)
            .exists()
        ):
            user.username = username  # renamed at the council: shown by the new name
            fields.append("username")
        user.save(update_fields=fields)
        self._sync_roles(user, claims)
        return user

    def _sync_roles(self, user, claims):
        mapping = settings.OIDC_ROLE_GROUPS
        unknown = set(mapping.values()) - set(roles.ALL_ROLES)
        if unknown:
            raise SignInRefused("configuration", error="OIDC_ROLE_GROUPS names unknown roles")
        if "groups" not in claims and (
            claims.get("hasgroups") or "groups" in (claims.get("_claim_names") or {})
        ):
            # Entra leaves the groups out when a person is in too many (README, "Sign-in").
            security.log_event(
                "council_groups_left_out", request=self.request, user=user, level=logging.WARNING
            )
        groups = {str(g).lower() for g in claims.get("groups", []) if is_object_id(g)}
        app_roles = set(claims.get("roles", []))
        wanted = {
            role
            for key, role in mapping.items()
            if key in app_roles or (is_object_id(key) and key.lower() in groups)
        }
        role_groups = roles.sync_role_groups()
        user.groups.remove(*(role_groups[name] for name in roles.ALL_ROLES if name not in wanted))
        user.groups.add(*Group.objects.filter(name__in=wanted))
        user.is_staff = roles.PROGRAMME_MANAGER in wanted or roles.AUDITOR in wanted
        user.save(update_fields=["is_staff"])


def council_username(claims) -> str:
    return (claims.get("preferred_username") or claims.get("email") or "").strip().lower()


def sign_in_failed(request, refusal: SignInRefused, next_url: str | None = None):
    """The service's own failure page, and the failed sign-in in the security log."""
    reference = secrets.token_hex(4).upper()
    security.log_event(
        "login_failed",
        request=request,
        level=logging.WARNING,
        method="council",
        reason=refusal.reason,
        reference=reference,
        **refusal.details,
    )
    kind = _KIND.get(refusal.reason, "provider")
    retry = reverse("oidc_authentication_init")
    if next_url:
        retry += "?" + urlencode({"next": next_url})
    return render(
        request,
        "registration/sign_in_failed.html",
        {
            "explanation": _EXPLANATIONS[kind],
            "reference": reference,
            "retry_url": retry,
            "offer_retry": kind not in ("tenant", "disabled", "account"),
        },
        status=400,
    )


class CouncilCallbackView(OIDCAuthenticationCallbackView):
    """Where Entra sends the browser back. The library's checks (state, nonce, one use of each
    state) stand; every way they or the provider can fail ends on the failure page."""

    def get(self, request):
        next_url = request.session.get("oidc_login_next")
        try:
            return self._complete(request)
        except SignInRefused as refusal:
            return sign_in_failed(request, refusal, next_url)
        except Exception as exc:  # fail safe: a sign-in never ends on a 500
            logger.exception("Council sign-in failed unexpectedly")
            return sign_in_failed(
                request, SignInRefused("unexpected_error", error=type(exc).__name__), next_url
            )

    def _complete(self, request):
        if request.GET.get("error"):
            try:
                super().get(request)  # forgets the state, signs out anyone signed in…
            except SignInRefused:
                pass  # …and ends with login_failure(); the provider's refusal is what to log
            raise SignInRefused(
                "refused_at_provider", provider_error=_provider_error(request.GET["error"])
            )
        if not request.GET.get("code") or not request.GET.get("state"):
            raise SignInRefused("incomplete_answer")
        if "oidc_states" not in request.session:
            raise SignInRefused("no_sign_in_started")
        try:
            return super().get(request)
        except SuspiciousOperation:
            raise SignInRefused("state_unknown") from None

    def login_failure(self):
        raise SignInRefused("not_signed_in")

    def login_success(self):
        response = super().login_success()
        self.request.session[SIGNED_IN_WITH_COUNCIL] = True
        return response


@receiver(user_logged_in, dispatch_uid="council_sign_out_offer_spent")
def _forget_sign_out_offer(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(COUNCIL_SIGN_OUT_OFFER, None)


def council_sign_out_offer(request) -> dict | None:
    """Read before signing out: what "Sign out of your council account too" needs, if the person
    came through the council and the provider has an end-session endpoint."""
    if not request.session.get(SIGNED_IN_WITH_COUNCIL) or not settings.OIDC_OP_LOGOUT_ENDPOINT:
        return None
    return {"id_token": request.session.get("oidc_id_token")}


def offer_council_sign_out(request, offer: dict | None) -> None:
    """After signing out (the idle timeout too): the signed-out session makes the offer, because
    on a shared PC the council session would otherwise outlive this one."""
    if offer is not None:
        request.session[COUNCIL_SIGN_OUT_OFFER] = offer


class SignOutView(LogoutView):
    def post(self, request, *args, **kwargs):
        offer = council_sign_out_offer(request)
        response = super().post(request, *args, **kwargs)
        offer_council_sign_out(request, offer)
        return response


@require_POST
def council_sign_out(request):
    """The "Sign out of your council account too" button: on to the provider's end-session
    endpoint, which comes back to the sign-in page."""
    offer = request.session.pop(COUNCIL_SIGN_OUT_OFFER, None)
    if not offer or not settings.OIDC_OP_LOGOUT_ENDPOINT:
        return redirect("login")
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    if offer.get("id_token"):
        params["id_token_hint"] = offer["id_token"]
    security.log_event("council_logout", request=request)
    return HttpResponseRedirect(f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(params)}")


def _only_when_enabled(view):
    def wrapper(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not switched on")
        return view(request, *args, **kwargs)

    return wrapper


# State, nonce and a PKCE (S256) challenge go with every authorisation request (settings).
sso_start = _only_when_enabled(OIDCAuthenticationRequestView.as_view())
sso_callback = _only_when_enabled(CouncilCallbackView.as_view())
sso_logout = _only_when_enabled(council_sign_out)


@checks.register(checks.Tags.security)
def check_council_sign_in(app_configs=None, **kwargs):
    """With council sign-in on: a tenant (by its ID) and a role mapping that names real roles."""
    if not settings.OIDC_ENABLED:
        return []
    errors = []
    tenant = settings.OIDC_ENTRA_TENANT_ID
    if not is_object_id(tenant):
        errors.append(
            checks.Error(
                "OIDC_ENTRA_TENANT_ID must be the council's tenant ID (a GUID, as Entra shows "
                f"it), not {tenant!r}.",
                hint="Without it, council sign-ins are refused: tokens are checked against it.",
                id="havering_improve.E101",
            )
        )
    mapping = settings.OIDC_ROLE_GROUPS
    if not isinstance(mapping, dict):
        errors.append(
            checks.Error("OIDC_ROLE_GROUPS must be a JSON object", id="havering_improve.E102")
        )
    else:
        unknown = sorted(set(mapping.values()) - set(roles.ALL_ROLES))
        if unknown:
            errors.append(
                checks.Error(
                    "OIDC_ROLE_GROUPS names roles that do not exist: "
                    + ", ".join(map(str, unknown)),
                    hint=f"The roles are: {', '.join(roles.ALL_ROLES)}.",
                    id="havering_improve.E103",
                )
            )
    if not settings.OIDC_RP_CLIENT_SECRET:
        errors.append(checks.Error("OIDC_RP_CLIENT_SECRET must be set", id="havering_improve.E104"))
    return errors
