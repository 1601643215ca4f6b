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
from havering_improve.validators import single_line
from themes.models import HighlightReport, Theme

from .models import Action, BoardSettings, Decision, Meeting


class MeetingForm(VersionedForm):
    date = DateField(label="Date")
    online_link = forms.URLField(label="Online meeting link", required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = ["date", "start_time", "venue", "online_link", "chair"]
        help_texts = {"start_time": "For example, 10:00"}
        labels = {"online_link": "Online meeting link", "start_time": "Start time"}
        widgets = {"start_time": forms.TimeInput(format="%H:%M")}


class RecurrenceForm(GovukForm):
    first_date = DateField(label="Date of the first meeting")
    count = forms.IntegerField(label="How many meetings", min_value=1, max_value=60, initial=12)
    repeat = forms.ChoiceField(
        label="How often",
        choices=[("monthly", "Monthly, on the same day of the month"), ("weeks", "Every N weeks")],
        widget=forms.RadioSelect,
        initial="monthly",
    )
    every_weeks = forms.IntegerField(
        label="Weeks apart",
        min_value=1,
        max_value=26,
        required=False,
        help_text="Only for every N weeks, for example 4",
    )
    start_time = forms.TimeField(label="Start time", required=False, help_text="For example, 10:00")
    venue = forms.CharField(
        label="Venue", required=False, max_length=300, validators=single_line("Venue")
    )
    online_link = forms.URLField(label="Online meeting link", required=False, assume_scheme="https")
    chair = forms.CharField(
        label="Chair", required=False, max_length=200, validators=single_line("Chair")
    )

    def clean(self):
        data = super().clean()
        if data.get("repeat") == "weeks" and not data.get("every_weeks"):
            self.add_error("every_weeks", "Enter how many weeks apart the meetings are")
        return data


class MeetingCancelForm(StateChangeForm):
    """The confirmation of a meeting's cancellation: it carries the version of the meeting the
    person read, so they never cancel a meeting someone moved since."""


class PinsForm(StateChangeForm):
    """One choice per theme: in focus, kept off, or left to the rota. It carries the meeting's
    version: the pins are the meeting's."""

    CHOICES = [("auto", "Rota decides"), ("in", "Pinned to this meeting"), ("off", "Kept off")]

    def __init__(self, *args, themes, pins, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = list(themes)
        for theme in self.themes:
            pin = pins.get(theme.pk)
            self.fields[f"theme_{theme.pk}"] = forms.ChoiceField(
                label=theme.title,
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                initial="auto" if pin is None else ("in" if pin.in_focus else "off"),
            )
        self.fields_added()


class MinutesForm(VersionedForm):
    class Meta:
        model = Meeting
        fields = ["minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 12})}


class DecisionForm(GovukForm):
    """A decision of the Board; answering a lead's request (`report`), its outcome too."""

    text = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(
        label="The Board's answer",
        choices=[("", "Not an answer to a request"), *Decision.Outcome.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    conditions = forms.CharField(
        label="Conditions (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Anything the Board attached to its answer, such as a date to report back by",
    )
    theme = forms.ModelChoiceField(
        label="Theme (optional)", queryset=Theme.objects.none(), required=False
    )
    report = forms.ModelChoiceField(
        queryset=HighlightReport.objects.none(), required=False, widget=forms.HiddenInput
    )
    restricted = forms.BooleanField(
        label="Restricted: leave out of reports to public bodies", required=False
    )

    def __init__(self, *args, programme, asked=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(programme=programme)
        self.fields["report"].queryset = HighlightReport.objects.filter(
            theme__programme=programme, status=HighlightReport.Status.SUBMITTED
        ).select_related("theme")
        self.asked = asked
        if asked is not None:  # answering what a lead asked: the answer is required
            self.fields["outcome"].choices = Decision.Outcome.choices
            self.fields["outcome"].required = True
            self.fields["outcome"].error_messages["required"] = (
                "Choose whether the Board agreed, declined or deferred it"
            )
            self.fields["report"].initial = asked.pk
            self.fields["theme"].widget = forms.HiddenInput()
            self.fields["theme"].initial = asked.theme_id
            self.fields[
                "text"
            ].help_text = "The decision as the minutes record it, for example what was agreed"


class ActionForm(GovukModelForm):
    due_date = DateField(label="Due date")

    class Meta:
        model = Action
        fields = ["description", "owner", "due_date", "theme", "restricted"]
        help_texts = {"restricted": "Left out of reports to public bodies."}
        labels = {"theme": "Theme (optional)", "restricted": "Restricted"}
        formfield_callback = short_text_areas

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__isnull=False)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["theme"].queryset = Theme.objects.filter(programme=programme)


class ActionUpdateForm(VersionedForm):
    class Meta:
        model = Action
        fields = ["status", "progress_note"]
        labels = {"progress_note": "Progress"}
        widgets = {"status": forms.RadioSelect, "progress_note": forms.Textarea(attrs={"rows": 4})}


class BoardSettingsForm(VersionedForm):
    made_on_first_save = True

    class Meta:
        model = BoardSettings
        fields = ["pack_days_before", "reminder_working_days"]
        labels = {
            "pack_days_before": "Days before a meeting its pack is built",
            "reminder_working_days": "Working days before the pack deadline leads are reminded",
        }
