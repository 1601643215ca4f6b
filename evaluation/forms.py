from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from havering_improve import roles
from havering_improve.forms import (
    DateField,
    GovukForm,
    VersionedForm,
    short_text_areas,
)
from themes.models import Measure, Theme

from . import selectors
from .models import (
    AuditResult,
    EvaluationActivity,
    FeedbackResult,
    Finding,
    Inspection,
    JudgementArea,
    OfstedGrade,
    Recommendation,
)


def _theme_choices(programme):
    return forms.ModelMultipleChoiceField(
        queryset=Theme.objects.filter(programme=programme).order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Themes it covers",
    )


class ActivityForm(VersionedForm):
    start_date = DateField(label="Start date")
    end_date = DateField(label="End date", required=False, help_text="Leave blank for one day.")
    completed_on = DateField(
        label="Date completed", required=False, help_text="Leave blank until it is done."
    )

    class Meta:
        model = EvaluationActivity
        fields = [
            "title",
            "strand",
            "kind",
            "description",
            "start_date",
            "end_date",
            "completed_on",
            "lead",
            "lead_name",
            "themes",
            "partner_authorities",
        ]
        labels = {
            "kind": "Type of activity",
            "lead": "Who leads it",
            "lead_name": "Or, the name of who leads it",
            "partner_authorities": "Partner local authorities",
        }
        formfield_callback = short_text_areas

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["strand"].queryset = selectors.strands(programme)
        self.fields["lead"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__isnull=False)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["lead"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["themes"] = _theme_choices(programme)


class AuditResultForm(VersionedForm):
    date = DateField(label="Date the grades were agreed")
    measure = forms.ModelChoiceField(
        queryset=Measure.objects.none(),
        required=False,
        label="Record the percentage good or better as a reading of this measure (optional)",
        help_text="Only the chosen theme's percentage measures can take an audit's result.",
    )

    class Meta:
        model = AuditResult
        fields = [
            "theme",
            "date",
            "cases_audited",
            "outstanding",
            "good",
            "requires_improvement",
            "inadequate",
            "notes",
        ]
        labels = {
            "cases_audited": "Number of cases audited",
            "outstanding": "Cases graded outstanding",
            "good": "Cases graded good",
            "requires_improvement": "Cases graded requires improvement to be good",
            "inadequate": "Cases graded inadequate",
        }
        formfield_callback = short_text_areas

    def __init__(self, *args, activity, with_measure=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.activity = activity
        self.fields["theme"].queryset = Theme.objects.filter(
            programme_id=activity.programme_id
        ).order_by("number")
        for name in ("outstanding", "good", "requires_improvement", "inadequate"):
            self.fields[name].required = False
        if with_measure:
            self.fields["measure"].queryset = (
                Measure.objects.filter(
                    theme__programme_id=activity.programme_id, unit=Measure.Unit.PERCENT
                )
                .select_related("theme")
                .order_by("theme__number", "order")
            )
            self.fields["measure"].label_from_instance = lambda m: f"{m.theme.title}: {m.name}"
        else:
            del self.fields["measure"]

    def clean(self):
        data = super().clean()
        for name in ("outstanding", "good", "requires_improvement", "inadequate"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
                setattr(self.instance, name, 0)
        theme, measure = data.get("theme"), data.get("measure")
        if theme and measure and measure.theme_id != theme.pk:
            self.add_error(
                "measure", f"Select a measure of the {theme} theme — the audit grades are for it."
            )
        activity = self.instance.activity
        if (
            theme
            and AuditResult.objects.filter(activity=activity, theme=theme)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("theme", f"This audit already has grades for {theme}: change those.")
        return data


class FeedbackForm(VersionedForm):
    made_on_first_save = True

    class Meta:
        model = FeedbackResult
        fields = ["responses", "key_messages", "themes"]
        labels = {"responses": "Number of responses", "key_messages": "Key messages"}

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.activity = activity
        self.fields["themes"] = _theme_choices(activity.programme)
        self.fields["themes"].label = "Themes the feedback speaks to"


class SurveyImportForm(GovukForm):
    file = forms.FileField(
        label="Survey results (CSV)",
        help_text=(
            "A header row with the columns question and score, and optionally out_of (default 5) "
            "and responses."
        ),
    )

    def __init__(self, *args, existing_scores: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if existing_scores:
            # Importing replaces what is there, so ask before throwing it away.
            self.fields["replace"] = forms.BooleanField(
                label=f"Replace the {existing_scores} scores already recorded",
                error_messages={
                    "required": "Confirm that the file replaces the scores already recorded"
                },
            )


class FindingForm(VersionedForm):
    recorded_on = DateField(label="Date of the finding")
    action_due = DateField(label="Action due date", required=False)

    class Meta:
        model = Finding
        fields = [
            "kind",
            "title",
            "detail",
            "themes",
            "area",
            "recorded_on",
            "response",
            "response_note",
            "action_owner",
            "action_due",
        ]
        labels = {
            "kind": "Type of finding",
            "title": "Finding",
            "detail": "More detail (optional)",
            "area": "Inspection judgement area it bears on (optional)",
            "response": "Response",
            "response_note": "What will be done",
            "action_owner": "Action owner",
        }
        formfield_callback = short_text_areas

    def __init__(self, *args, activity, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.activity = activity
        self.user = user
        self.fields["themes"] = _theme_choices(activity.programme)
        self.fields["themes"].label = "Themes it concerns"
        self.fields["themes"].required = True
        self.fields["themes"].error_messages["required"] = "Select the themes it concerns"

    def clean_themes(self):
        """The rule is roles.finding_themes_problem, asked again by the action; here it is said
        against the field."""
        themes = self.cleaned_data["themes"]
        before = self.instance.themes.all() if self.instance.pk else ()
        problem = roles.finding_themes_problem(self.user, themes, before)
        if problem:
            raise ValidationError(problem)
        return themes


class EvidenceForm(GovukForm):
    file = forms.FileField(label="Evidence file", help_text="PDF, Word, Excel or an image.")
    name = forms.CharField(
        label="Name to show (optional)", required=False, max_length=200, help_text=""
    )


class FindingActionForm(GovukForm):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), label="Theme")

    def __init__(self, *args, finding, user, with_risk: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered: the finding's themes the rule lets this person take it onto.
        themes = [t for t in finding.themes.all() if roles.can_take_finding_onto_theme(user, t)]
        self.fields["theme"].queryset = Theme.objects.filter(pk__in=[t.pk for t in themes])
        if len(themes) == 1:
            self.fields["theme"].initial = themes[0]
        if with_risk:
            scale = [(n, str(n)) for n in range(1, 6)]
            self.fields["likelihood"] = forms.TypedChoiceField(
                choices=scale, coerce=int, label="Likelihood (1 rare to 5 almost certain)"
            )
            self.fields["impact"] = forms.TypedChoiceField(
                choices=scale, coerce=int, label="Impact (1 minimal to 5 severe)"
            )


class InspectionForm(VersionedForm):
    start_date = DateField(label="Start date")
    end_date = DateField(label="End date", required=False)

    class Meta:
        model = Inspection
        fields = ["kind", "title", "inspector", "start_date", "end_date", "summary", "activity"]
        labels = {"kind": "Type", "activity": "Evaluation activity it was planned as (optional)"}
        formfield_callback = short_text_areas

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["activity"].queryset = EvaluationActivity.objects.filter(
            programme=programme
        ).order_by("-start_date")
        self.areas = list(JudgementArea.objects.filter(framework="ILACS").order_by("order"))
        existing = {}
        if self.instance.pk:
            existing = {j.area_id: j.grade for j in self.instance.judgements.all()}
        for area in self.areas:
            self.fields[f"grade_{area.slug}"] = forms.ChoiceField(
                label=f"Judgement: {area.title}",
                choices=[("", "Not judged on this visit"), *OfstedGrade.choices],
                required=False,
                initial=existing.get(area.pk, ""),
            )

    def grades(self) -> dict:
        return {area: self.cleaned_data.get(f"grade_{area.slug}", "") for area in self.areas}

    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RecommendationForm(VersionedForm):
    met_on = DateField(label="Date met", required=False)

    class Meta:
        model = Recommendation
        fields = ["text", "area", "themes", "status", "met_on"]
        labels = {"text": "Recommendation", "area": "Judgement area (optional)"}
        formfield_callback = short_text_areas

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.inspection = inspection
        self.fields["themes"] = _theme_choices(inspection.programme)
        self.fields["themes"].label = "Themes that answer it"
        self.fields["themes"].required = True
        self.fields["themes"].error_messages["required"] = "Select the themes that answer it"


class AreaThemesForm(GovukForm):
    """Which of the programme's themes answer a judgement area. It carries the themes the page
    showed (`opened_with`), so a change made meanwhile is not undone unseen, and whether the
    person has confirmed what their choice changes."""

    opened_with = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, programme, current: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"] = _theme_choices(programme)
        self.fields["themes"].label = "Themes that answer it"
        self.fields["themes"].help_text = "Select all that apply."
        self.current = current
        self.fields_added()
        if not self.is_bound:
            self.initial["themes"] = [theme.pk for theme in current]
            self.initial["opened_with"] = ",".join(str(theme.pk) for theme in current)

    def clean_opened_with(self) -> list[int]:
        text = self.cleaned_data["opened_with"]
        try:
            return [int(pk) for pk in text.split(",") if pk.strip()]
        except ValueError:
            raise ValidationError("Open the page again and choose the themes again.") from None

    def changes(self) -> tuple[list, list]:
        """The themes the choice adds, and those it takes off, against what the page showed."""
        chosen = list(self.cleaned_data["themes"])
        shown = set(self.cleaned_data["opened_with"])
        current = {theme.pk: theme for theme in self.current}
        added = [theme for theme in chosen if theme.pk not in shown]
        chosen_ids = {theme.pk for theme in chosen}
        removed = [t for pk, t in current.items() if pk in shown and pk not in chosen_ids]
        return added, removed


def model_data(form) -> tuple[dict, list | None]:
    """A model form's cleaned data split into plain fields and its themes."""
    data = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
    themes = data.pop("themes", None)
    return data, themes
