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


def service(request):
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else None
    url_name = match.url_name if match else None
    nav_items = [
        {
            "label": label,
            "href": reverse(name),
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
                "href": reverse("themes:mine"),
                "active": url_name == "mine",
            },
        )
    return {
        "service_name": settings.SERVICE_NAME,
        "user_roles": roles.role_names(user) if user is not None else [],
        "nav_items": nav_items,
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "oidc_enabled": settings.OIDC_ENABLED,
    }
