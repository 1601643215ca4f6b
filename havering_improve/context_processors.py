from functools import cache

from django.conf import settings
from django.urls import reverse

from havering_improve import roles

# (label, URL name, URL namespace that marks it active)
NAVIGATION = [
    ("Home", "home", ""),
    ("Themes", "themes:index", "themes"),
    ("Budget", "budget:index", "budget"),
    ("Evaluation", "evaluation:index", "evaluation"),
    ("Board", "board:index", "board"),
]


@cache
def _url(name: str) -> str:
    """The layout's fixed addresses, worked out once per process rather than on every page."""
    return reverse(name)


@cache
def layout_urls() -> dict[str, str]:
    names = ["home", "login", "logout", "session_extend", "accessibility", "privacy"]
    return {name: _url(name) for name in names}


def service(request):
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else None
    url_name = match.url_name if match else None
    nav_items = [
        {
            "label": label,
            "href": _url(name),
            "active": (namespace == ns and bool(ns)) or (not ns and url_name == "home"),
        }
        for label, name, ns in NAVIGATION
    ]
    if roles.has_role(user, roles.PROJECT_LEAD, roles.TEAM_MEMBER):
        # Leads and team members get a short way to their own theme (the view finds it).
        nav_items.insert(
            1,
            {
                "label": "My theme",
                "href": _url("themes:mine"),
                "active": url_name == "mine",
            },
        )
    if roles.has_role(
        user, roles.PROGRAMME_MANAGER, roles.BOARD_MEMBER, roles.AUDITOR, roles.PROJECT_LEAD
    ):
        # Those who read some part of the self-evaluation (a lead, the sections of their theme).
        nav_items.append(
            {
                "label": "Self-evaluation",
                "href": _url("selfevaluation:index"),
                "active": namespace == "selfevaluation",
            }
        )
    return {
        "service_name": settings.SERVICE_NAME,
        "user_roles": roles.role_names(user) if user is not None else [],
        "nav_items": nav_items,
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "oidc_enabled": settings.OIDC_ENABLED,
        "layout_urls": layout_urls(),
    }
