"""The theme's forms: milestones, measures, readings and risks, the PID and its review,
highlight reports (the month to start, the report, a correction), comments, evidence and team
members. Dates are GOV.UK date inputs; the forms of records two people edit carry the version
they were opened at (`VersionedForm`, `StateChangeForm`)."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from havering_improve.forms import (
    AffixedInput,
    DateField,
    GovukForm,
    GovukModelForm,
    StateChangeForm,
    VersionedForm,
    short_text_areas,
)

from .models import (
    PID,
    RAG,
    HighlightReport,
    Measure,
    MeasureReading,
    Milestone,
    Risk,
    TeamMembership,
)
from .selectors import current_period, report_due_date


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> DateField:
    return DateField(label=label, required=required, help_text=help_text)


class MilestoneForm(VersionedForm):
    due_date = _date_field("Due date")
    completed_on = _date_field("Completion date", required=False, help_text="When it was done")

    class Meta:
        model = Milestone
        fields = ["title", "owner", "due_date", "status", "completed_on"]
        labels = {"owner": "Owner (the person responsible)"}


class MeasureForm(VersionedForm):
    baseline_date = _date_field("Baseline date")
    target_date = _date_field("Target date")

    class Meta:
        model = Measure
        fields = [
            "name",
            "definition",
            "unit",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
        ]
        labels = {"name": "Name of the measure", "direction": "Which way is better?"}
        widgets = {"baseline_value": AffixedInput(), "target_value": AffixedInput()}
        formfield_callback = short_text_areas


UNIT_SUFFIXES = {Measure.Unit.PERCENT: "%", Measure.Unit.DAYS: "days"}


class ReadingForm(GovukModelForm):
    date = _date_field("Date of the reading")

    class Meta:
        model = MeasureReading
        fields = ["value", "date", "source", "note"]
        labels = {"source": "Source (for example, the audit or report it came from)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, measure=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
        # The value is entered in the measure's unit, shown beside the box.
        unit = measure.unit if measure is not None else ""
        self.fields["value"].widget = AffixedInput(suffix=UNIT_SUFFIXES.get(unit, ""))
        if unit:
            what = "percentage" if unit == Measure.Unit.PERCENT else unit
            self.fields["value"].label = f"Value ({what})"


def _one_to_five(label: str, help_text: str) -> forms.IntegerField:
    """A score from 1 to 5, with messages that name it."""
    not_a_score = f"{label} must be a whole number from 1 to 5"
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=1,
        max_value=5,
        error_messages={
            "required": f"Enter the {label.lower()}, from 1 to 5",
            "min_value": not_a_score,
            "max_value": not_a_score,
            "invalid": not_a_score,
        },
    )


class RiskForm(VersionedForm):
    likelihood = _one_to_five("Likelihood", "1 (rare) to 5 (almost certain)")
    impact = _one_to_five("Impact", "1 (minimal) to 5 (severe)")
    review_date = _date_field("Review date", required=False, help_text="When to look at it again")

    class Meta:
        model = Risk
        fields = [
            "kind",
            "description",
            "likelihood",
            "impact",
            "owner",
            "mitigation",
            "status",
            "review_date",
            "escalated",
        ]
        labels = {"kind": "Risk or issue", "escalated": "Escalate to the programme"}
        formfield_callback = short_text_areas


class PIDForm(VersionedForm):
    class Meta:
        model = PID
        fields = PID.TEXT_FIELDS
        labels = {
            "aims": "Aims",
            "scope": "Scope (what is in and out)",
            "deliverables": "Deliverables",
            "outcomes": "Outcomes",
            "partners": "Partners",
            "governance": "Governance",
            "dependencies": "Dependencies",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in PID.TEXT_FIELDS}


class PIDReviewForm(StateChangeForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve this PID"), ("return", "Return it with comments")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or return the PID"},
    )
    comments = forms.CharField(
        label="Comments",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you return it: say what needs to change.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comments", "").strip():
            self.add_error("comments", "Say what needs to change before it can be approved")
        return data


_RAG_CHOICES = [("", "Not rated"), *RAG.choices]


class HighlightReportForm(VersionedForm):
    class Meta:
        model = HighlightReport
        fields = HighlightReport.CONTENT_FIELDS
        labels = {
            "overall_rag": "Overall status",
            "overall_reason": "Reason for the overall status",
            **{f"{a}_rag": f"{a.capitalize()} rating" for a in HighlightReport.AREAS},
        }
        # A reason is a few lines; the summary and the sections more.
        widgets = {
            name: forms.Textarea(attrs={"rows": 3 if name.endswith("_reason") else 5})
            for name in HighlightReport.CONTENT_FIELDS
            if not name.endswith("_rag")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            if name.endswith("_rag"):
                self.fields[name].choices = _RAG_CHOICES


def _recent_periods(today: dt.date, count: int = 6) -> list[tuple[str, str]]:
    periods = []
    period = today.replace(day=1)
    for _ in range(count):
        periods.append((period.isoformat(), f"{period:%B %Y}"))
        period = (period - dt.timedelta(days=1)).replace(day=1)
    return periods


class ReportStartForm(GovukForm):
    period = forms.ChoiceField(label="Reporting month")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["period"].choices = _recent_periods(today)
        # The convention: the month just ended is the report being written now.
        period = current_period(today)
        if self.initial.get("period") not in {value for value, _ in self.fields["period"].choices}:
            self.initial["period"] = period.isoformat()
        self.fields["period"].help_text = (
            f"A report covers one calendar month: the {period:%B %Y} report is due on "
            f"{report_due_date(period):%-d %B %Y}."
        )

    def clean_period(self):
        return dt.date.fromisoformat(self.cleaned_data["period"])


class CorrectionForm(GovukForm):
    reason = forms.CharField(
        label="Why does the report need correcting?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the report needs correcting"},
    )


class CommentForm(GovukForm):
    body = forms.CharField(
        label="Add a comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write your comment"},
    )


class EvidenceForm(GovukForm):
    title = forms.CharField(label="What is it?", max_length=200, required=False)
    file = forms.FileField(
        label="File",
        help_text="PDF, Word (DOCX), Excel (XLSX), PNG, JPEG or GIF, smaller than 10 MB",
        error_messages={"required": "Select a file"},
    )


class TeamMemberForm(GovukForm):
    member = forms.ModelChoiceField(
        label="Person",
        queryset=None,
        empty_label="Choose a person",
        help_text="People with an account in the service. The programme manager adds new ones.",
        error_messages={"required": "Choose who to add to the team"},
    )
    kind = forms.ChoiceField(label="Role on the team", choices=TeamMembership.Kind.choices)
    organisation = forms.CharField(
        label="Organisation",
        required=False,
        max_length=200,
        help_text="For partner representatives: for example, Health: CAMHS, or Police.",
    )

    def __init__(self, *args, theme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__isnull=False)
            .exclude(theme_memberships__theme=theme)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["member"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )
