from django.apps import AppConfig
from django.contrib import messages
from django.contrib.auth.signals import user_logged_out


def _signed_out(sender, request, user, **kwargs):
    if request is not None and not getattr(request, "signed_out_for_inactivity", False):
        messages.success(request, "You have signed out.", fail_silently=True)


class HaveringImproveConfig(AppConfig):
    name = "havering_improve"
    verbose_name = "Havering Improve"

    def ready(self):
        # The signals' wiring: these modules read models, so they load once the apps have.
        from havering_improve import middleware, security, sso, summaries, text  # noqa: F401

        security.connect_axes_signals()
        summaries.connect_signals()
        text.connect_signals()
        user_logged_out.connect(_signed_out, dispatch_uid="havering_improve_signed_out")
