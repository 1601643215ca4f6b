from django.apps import AppConfig


class HaveringImproveConfig(AppConfig):
    name = "havering_improve"
    verbose_name = "Havering Improve"

    def ready(self):
        from django.contrib import messages
        from django.contrib.auth.signals import user_logged_out

        def _signed_out(sender, request, user, **kwargs):
            if request is not None:
                messages.success(request, "You have signed out.")

        user_logged_out.connect(_signed_out, dispatch_uid="havering_improve_signed_out")
