from django.apps import AppConfig


class HaveringImproveConfig(AppConfig):
    name = "havering_improve"
    verbose_name = "Havering Improve"

    def ready(self):
        from django.contrib import messages
        from django.contrib.auth.signals import user_logged_out

        from havering_improve import middleware, security, sso, summaries, text  # noqa: F401

        security.connect_axes_signals()
        summaries.connect_signals()
        text.connect_signals()

        def _signed_out(sender, request, user, **kwargs):
            if request is not None and not getattr(request, "signed_out_for_inactivity", False):
                messages.success(request, "You have signed out.", fail_silently=True)

        user_logged_out.connect(_signed_out, dispatch_uid="havering_improve_signed_out")
