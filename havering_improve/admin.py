"""The admin's shared pieces, and accounts in the admin: council sign-in identities, and people.
The programme manager manages people and their roles (groups), but only a superuser may make
someone a superuser or staff, give permissions directly or to a group, or change a superuser's
account."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from havering_improve.models import CouncilIdentity

User = get_user_model()


def tabular_inline(model, **options) -> type[admin.TabularInline]:
    """The rows of `model` as a table on their parent's admin page, with no empty rows offered
    (`options` are further TabularInline attributes, such as `fields` or `readonly_fields`)."""
    attrs = {"model": model, "extra": 0, "__module__": model.__module__, **options}
    return type(f"{model.__name__}Inline", (admin.TabularInline,), attrs)


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


class AccountAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += GRANTS
        return fields

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
