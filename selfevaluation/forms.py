from django import forms
from django.contrib.auth import get_user_model

from havering_improve.forms import (
    DateField,
    GovukForm,
    GovukModelForm,
    StateChangeForm,
    VersionedForm,
    short_text_areas,
)

from .models import (
    Claim,
    EngagementAction,
    EngagementMeeting,
    EvidenceItem,
    PlanItem,
    Section,
    SelfEvaluation,
    SignOffGrant,
)


def _people(queryset):
    field = forms.ModelChoiceField(queryset=queryset, required=False)
    field.label_from_instance = lambda user: user.get_full_name() or user.username
    return field


def _reviewers(programme):
    User = get_user_model()
    return User.objects.filter(sign_off_grants__programme=programme).order_by("last_name")


class StartForm(GovukModelForm):
    as_of = DateField(label="Evidence up to", help_text="Only evidence dated by then is gathered.")

    class Meta:
        model = SelfEvaluation
        fields = ["year", "as_of", "reviewer", "previous"]
        labels = {
            "year": "Year of the self-evaluation",
            "previous": "Start from",
            "reviewer": "Who signs it off",
        }
        help_texts = {
            "previous": "Its words, claims and written plans are carried over; evidence is "
            "gathered afresh.",
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        reviewer = _people(_reviewers(programme))
        reviewer.label = "Who signs it off"
        reviewer.help_text = "People the programme manager has given the Sign-off permission."
        self.fields["reviewer"] = reviewer
        self.fields["previous"].queryset = SelfEvaluation.objects.filter(programme=programme)
        self.fields["previous"].required = False
        self.fields_added()


class SettingsForm(VersionedForm):
    as_of = DateField(label="Evidence up to")

    class Meta:
        model = SelfEvaluation
        fields = ["as_of", "reviewer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reviewer = _people(_reviewers(self.instance.programme))
        reviewer.label = "Who signs it off"
        self.fields["reviewer"] = reviewer
        self.fields_added()


class SectionForm(VersionedForm):
    class Meta:
        model = Section
        fields = ["what_we_know", "how_we_know", "plans"]
        formfield_callback = short_text_areas


class EvidenceItemForm(VersionedForm):
    class Meta:
        model = EvidenceItem
        fields = ["kept", "order", "narrative"]
        labels = {"order": "Position in the section"}
        formfield_callback = short_text_areas


class ClaimForm(VersionedForm):
    class Meta:
        model = Claim
        fields = ["kind", "sentence", "evidence"]
        labels = {"kind": "Strength or area for improvement", "evidence": "Evidence for it"}
        widgets = {"kind": forms.RadioSelect, "evidence": forms.CheckboxSelectMultiple}
        formfield_callback = short_text_areas

    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["evidence"]
        field.queryset = section.evidence.filter(kept=True)
        field.required = False
        field.label_from_instance = lambda item: item.statement
        field.help_text = "A claim with no evidence is flagged."
        self.fields["kind"].choices = Claim.Kind.choices
        self.fields_added()


class PlanItemForm(VersionedForm):
    due = DateField(label="Due", required=False)

    class Meta:
        model = PlanItem
        fields = ["text", "owner", "due", "kept", "order"]
        labels = {"text": "Plan", "owner": "Who owns it", "order": "Position"}
        formfield_callback = short_text_areas


class NewPlanItemForm(PlanItemForm):
    class Meta(PlanItemForm.Meta):
        fields = ["text", "owner", "due"]


class ReturnForm(StateChangeForm):
    note = forms.CharField(
        label="What needs to change", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class GrantForm(GovukModelForm):
    granted_on = DateField(label="Granted on")

    class Meta:
        model = SignOffGrant
        fields = ["user", "role_title", "granted_on"]
        labels = {"user": "Who", "role_title": "Their post"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        who = _people(User.objects.filter(groups__isnull=False).distinct().order_by("last_name"))
        who.required, who.label = True, "Who"
        self.fields["user"] = who
        self.fields_added()


class MeetingForm(VersionedForm):
    date = DateField(label="Date of the meeting")

    class Meta:
        model = EngagementMeeting
        fields = ["date", "attendees", "notes", "self_evaluation"]
        labels = {"self_evaluation": "The self-evaluation discussed"}
        formfield_callback = short_text_areas

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["self_evaluation"].queryset = SelfEvaluation.objects.filter(programme=programme)
        self.fields["self_evaluation"].required = False
        self.fields_added()


class LetterForm(GovukForm):
    letter = forms.FileField(
        label="Ofsted's follow-up letter",
        help_text="A PDF or Word document. It is kept with the meeting and not published.",
    )


class ActionAddForm(GovukModelForm):
    due_date = DateField(label="Due date")

    class Meta:
        model = EngagementAction
        fields = ["description", "owner", "due_date"]
        labels = {"description": "Action", "owner": "Who owns it"}
        formfield_callback = short_text_areas

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        owner = _people(User.objects.filter(groups__isnull=False).distinct().order_by("last_name"))
        owner.required, owner.label = True, "Who owns it"
        self.fields["owner"] = owner
        self.fields_added()


class ActionUpdateForm(VersionedForm):
    closed_on = DateField(label="Date done", required=False)

    class Meta:
        model = EngagementAction
        fields = ["status", "progress_note", "closed_on"]
        labels = {"progress_note": "Progress"}
        widgets = {"status": forms.RadioSelect}
        formfield_callback = short_text_areas
