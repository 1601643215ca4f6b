from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from board import urls as board_urls
from havering_improve import sso, views
from havering_improve.forms import LoginForm, SetOwnPasswordForm
from portfolio import views as portfolio_views
from reporting import urls as reporting_urls

admin.site.site_header = "Havering Improve administration"
admin.site.site_title = "Havering Improve"

urlpatterns = [
    path("", portfolio_views.home, name="home"),
    path("about/", portfolio_views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", sso.SignOutView.as_view(), name="logout"),
    # A password reset e-mail (sent from the admin) links here; the person sets their own.
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetOwnPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("oidc/authenticate/", sso.sso_start, name="oidc_authentication_init"),
    path("oidc/callback/", sso.sso_callback, name="oidc_authentication_callback"),
    path("oidc/logout/", sso.sso_logout, name="oidc_logout"),
    path("accounts/session/extend/", views.session_extend, name="session_extend"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("themes/", include("themes.urls")),
    path("budget/", include("budget.urls")),
    path("evaluation/", include("evaluation.urls")),
    # The board's own pages and those of its packs and progress reports share its addresses
    # and its names ("board:pack"…).
    path("board/", include(([*board_urls.urlpatterns, *reporting_urls.urlpatterns], "board"))),
    path("self-evaluation/", include("selfevaluation.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "havering_improve.views.error_400"
handler403 = "havering_improve.views.error_403"
handler404 = "havering_improve.views.error_404"
handler500 = "havering_improve.views.error_500"
