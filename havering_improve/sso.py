"""Single sign-on with the council's Microsoft Entra ID over OpenID Connect.

Switched on by setting OIDC_RP_CLIENT_ID (see README, "Sign-in"). Django's own sign-in stays for
break-glass administrators. Entra groups are mapped to the app's roles by OIDC_ROLE_GROUPS: at each
sign-in the person's role groups are set to exactly the mapped ones, so Entra stays the source
of truth and a person removed from an Entra group loses the role at their next sign-in.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from havering_improve import roles


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    def get_userinfo(self, access_token, id_token, payload):
        # Entra puts "groups" (and "roles") in the ID token, not in the userinfo response.
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def verify_claims(self, claims):
        return bool(self._username(claims))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username__iexact=self._username(claims))

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            self._username(claims), email=claims.get("email", "")
        )
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        user.first_name = claims.get("given_name", user.first_name)
        user.last_name = claims.get("family_name", user.last_name)
        user.email = claims.get("email", user.email)
        user.save(update_fields=["first_name", "last_name", "email"])
        self._sync_roles(user, claims)
        return user

    @staticmethod
    def _username(claims) -> str:
        return (claims.get("preferred_username") or claims.get("email") or "").strip().lower()

    @staticmethod
    def _sync_roles(user, claims):
        mapping = settings.OIDC_ROLE_GROUPS
        entra_groups = set(claims.get("groups", [])) | set(claims.get("roles", []))
        wanted = {mapping[g] for g in entra_groups if g in mapping}
        unknown = wanted - set(roles.ALL_ROLES)
        if unknown:
            raise ValueError(f"OIDC_ROLE_GROUPS names roles that do not exist: {unknown}")
        role_groups = roles.sync_role_groups()
        user.groups.remove(*(role_groups[name] for name in roles.ALL_ROLES if name not in wanted))
        user.groups.add(*Group.objects.filter(name__in=wanted))
        user.is_staff = roles.PROGRAMME_MANAGER in wanted or roles.AUDITOR in wanted
        user.save(update_fields=["is_staff"])


def _only_when_enabled(view):
    def wrapper(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not switched on")
        return view(request, *args, **kwargs)

    return wrapper


sso_start = _only_when_enabled(OIDCAuthenticationRequestView.as_view())
sso_callback = _only_when_enabled(OIDCAuthenticationCallbackView.as_view())
