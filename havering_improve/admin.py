from django.contrib import admin

from havering_improve.models import CouncilIdentity


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
