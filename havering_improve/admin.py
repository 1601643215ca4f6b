"""The admin's shared pieces, and accounts in the admin: council sign-in identities, and people.
The programme manager manages people and their roles (groups), but only a superuser may make
someone a superuser or staff, give permissions directly or to a group, change a superuser's
account, set another person's password or change their e-mail address (where a reset link goes).
Anyone who manages people may send a person a password reset e-mail, so that they set their own."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.html import format_html
from django.utils.http import urlsafe_base64_encode
from simple_history.admin import SimpleHistoryAdmin

from havering_improve import security
from havering_improve.actions import StaleEdit, lock_current
from havering_improve.forms import version_field
from havering_improve.mail import send_email, site_url
from havering_improve.models import CouncilIdentity

User = get_user_model()


def tabular_inline(model, **options) -> type[admin.TabularInline]:
    """The rows of `model` as a table on their parent's admin page, with no empty rows offered
    (`options` are further TabularInline attributes, such as `fields` or `readonly_fields`)."""
    attrs = {"model": model, "extra": 0, "__module__": model.__module__, **options}
    return type(f"{model.__name__}Inline", (admin.TabularInline,), attrs)


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of programme data: its history, and for a record two people may edit at once
    (a model with a `version`) the change form carries the version it was opened at, as the
    service's forms do, so a save on top of someone else's is refused with what they changed."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or "version" not in {f.name for f in self.model._meta.concrete_fields}:
            return form
        return type(form.__name__, (_OpenedAtVersion, form), {})


class ReadOnly:
    """Programme data in the admin to read, with its history, and never to add, change or
    delete: it changes only through the app's actions, which check who may, keep the version
    and record who and why."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, HistoryAdmin):
    """A record and its history, to read. A past version is shown, never saved back over the
    record (the history's own form would otherwise save whatever is posted to it)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def read_only_inline(model, **options) -> type[admin.TabularInline]:
    """The rows of `model` as a table on a read-only admin page: shown, never added or changed."""
    attrs = {"model": model, "extra": 0, "__module__": model.__module__, **options}
    return type(f"{model.__name__}Inline", (ReadOnly, admin.TabularInline), attrs)


class _OpenedAtVersion:
    """An admin change form that saves only on top of the version it was opened at."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = version_field()
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self):
        data = super().clean()
        try:
            current = lock_current(self.instance, data.get("version"))
        except StaleEdit as exc:
            # Sent back with the latest version, so saving again is a deliberate choice.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = exc.obj.version
            what = "; ".join(f"{c['field']}: {c['before']} → {c['after']}" for c in exc.changes)
            raise ValidationError(
                f"{exc} What they changed: {what}." if what else str(exc)
            ) from None
        data["version"] = current.version + 1
        return data


@admin.register(CouncilIdentity)
class CouncilIdentityAdmin(admin.ModelAdmin):
    """Which account each council sign-in identity opens. Deleting a row unlinks the account: the
    person's next council sign-in links or makes an account by the rule in README, "Sign-in"."""

    list_display = ["username", "user", "subject_claim", "subject", "last_sign_in"]
    search_fields = ["username", "user__username", "subject"]
    readonly_fields = [
        "user",
        "tenant_id",
        "subject_claim",
        "subject",
        "username",
        "linked_at",
        "last_sign_in",
    ]

    def has_add_permission(self, request):
        return False


GRANTS = ("is_superuser", "is_staff", "user_permissions")


# What only a superuser changes on someone else's account: the address a reset link goes to.
OWN_ONLY = ("email",)


def _someone_else(request, obj) -> bool:
    """A person other than the one signed in, to someone who is not a superuser."""
    return obj is not None and obj.pk != request.user.pk and not request.user.is_superuser


class AccountAdmin(UserAdmin):
    actions = ["send_password_reset"]

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += GRANTS
        if _someone_else(request, obj):
            fields += (*OWN_ONLY, "password_by_email")
        return fields

    def get_fieldsets(self, request, obj=None):
        """Someone else's account, to anyone but a superuser: no link to set their password, but
        how to send them a reset e-mail."""
        fieldsets = super().get_fieldsets(request, obj)
        if not _someone_else(request, obj):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": tuple(
                        "password_by_email" if field == "password" else field
                        for field in options["fields"]
                    ),
                },
            )
            for name, options in fieldsets
        ]

    @admin.display(description="Password")
    def password_by_email(self, obj):
        people = reverse("admin:auth_user_changelist")
        return format_html(
            "Only a superuser can set another person’s password. To let {} set a new one, send "
            'them a password reset e-mail: in <a href="{}?q={}">the list of people</a>, tick '
            "them and choose the action “Send a password reset e-mail”.",
            obj.get_full_name() or obj.username,
            people,
            obj.username,
        )

    def user_change_password(self, request, id, form_url=""):
        """Setting a password here is for your own, or a superuser's to do for anyone: someone
        who could set another's could sign in as them and act in their name."""
        if str(unquote(id)) != str(request.user.pk) and not request.user.is_superuser:
            raise PermissionDenied("Only a superuser can set another person's password.")
        return super().user_change_password(request, id, form_url)

    @admin.action(description="Send a password reset e-mail", permissions=["change"])
    def send_password_reset(self, request, queryset):
        """E-mail each chosen person a link to set a new password themselves (valid for
        PASSWORD_RESET_TIMEOUT, used once): the one way to reset someone else's password for
        anyone but a superuser."""
        sent, skipped = [], []
        for user in queryset.order_by("username"):
            if not self.has_change_permission(request, user) or not user.is_active:
                skipped.append(f"{user.username} (not an account you can reset)")
            elif not user.email:
                skipped.append(f"{user.username} (no e-mail address)")
            else:
                _send_reset(request, user)
                self.log_change(request, user, "Sent a password reset e-mail.")
                security.log_event("password_reset_sent", request=request, to_user=user.username)
                sent.append(user.get_full_name() or user.username)
        if sent:
            self.message_user(request, f"Password reset e-mail sent to {', '.join(sent)}.")
        if skipped:
            self.message_user(request, f"Not sent to {', '.join(skipped)}.", level=messages.WARNING)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


class RoleGroupAdmin(GroupAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ("permissions",)
        return fields


for model, model_admin in ((User, AccountAdmin), (Group, RoleGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


def _send_reset(request, user) -> None:
    """E-mail `user` a one-time link to set their own password (Django's reset views)."""
    link = site_url(
        reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    context = {"user": user, "link": link, "sent_by": request.user}
    send_email("registration/password_reset", context, to=[user.email])
