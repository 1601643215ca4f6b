from decimal import Decimal

from django import forms
from django.core.validators import FileExtensionValidator

from havering_improve.forms import (
    AffixedInput,
    DateField,
    GovukForm,
    StateChangeForm,
    VersionedForm,
)
from havering_improve.fy import period_month_name
from havering_improve.uploads import validate_upload
from havering_improve.validators import PERCENT_VALIDATORS

from .models import AllocationSettings, Commitment, MatchingRule, Post

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _money_field(label, *, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        required=required,
        help_text=help_text,
        widget=AffixedInput(prefix="£", width=10),
    )


class LedgerUploadForm(GovukForm):
    file = forms.FileField(
        label="Ledger extract",
        help_text="A CSV or Excel (.xlsx) file with the columns of the ledger extract.",
        validators=[FileExtensionValidator(["csv", "xlsx"])],
    )
    cost_centres = forms.CharField(
        label="Programme cost centres",
        help_text="Rows for other cost centres are listed but not counted. Separate with commas.",
        max_length=200,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Content, size and a name free of case identifiers, as for every upload.
        validate_upload(upload, kinds=("csv", "xlsx"), max_bytes=MAX_UPLOAD_BYTES)
        return upload


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class AllocateForm(GovukForm):
    """Up to four shares of one row; a single share can be saved as a rule."""

    SHARES = 4

    save_rule = forms.ChoiceField(
        label="Remember this for next time?",
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, lines, row, **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row
        choices = [("", "Choose a line")] + [(str(line.pk), line.title) for line in lines]
        self.lines = {str(line.pk): line for line in lines}
        for i in range(1, self.SHARES + 1):
            self.fields[f"line_{i}"] = forms.ChoiceField(
                label=f"Budget line {i}" if i > 1 else "Budget line",
                choices=choices,
                required=i == 1,
            )
            self.fields[f"amount_{i}"] = _money_field(
                f"Amount {i}" if i > 1 else "Amount", required=i == 1
            )
        self.fields["amount_1"].initial = row.amount
        rule_choices = [("", "No, just this row")]
        if row.post_number:
            rule_choices.append(("post", f"Yes: post {row.post_number} goes to this line"))
        rule_choices.append(
            (
                "coding",
                f"Yes: cost centre {row.cost_centre} with subjective {row.subjective} "
                "goes to this line",
            )
        )
        if row.description:
            rule_choices.append(
                ("coding-text", "Yes: that coding with this description goes to this line")
            )
        self.fields["save_rule"].choices = rule_choices
        self.order_fields([*[f for i in range(1, 5) for f in (f"line_{i}", f"amount_{i}")]])
        self.fields_added()

    def clean(self):
        data = super().clean()
        splits = []
        for i in range(1, self.SHARES + 1):
            line_id, amount = data.get(f"line_{i}"), data.get(f"amount_{i}")
            if line_id and amount is None:
                self.add_error(f"amount_{i}", "Enter the amount for this line.")
            elif amount and not line_id:
                self.add_error(f"line_{i}", "Choose the line for this amount.")
            elif line_id and amount:
                splits.append((self.lines[line_id], amount))
        data["splits"] = splits
        if data.get("save_rule") and len(splits) > 1:
            self.add_error("save_rule", "Only a row placed on one line can be saved as a rule.")
        return data


class RuleForm(GovukForm):
    kind = forms.ChoiceField(
        label="Match by", choices=MatchingRule.Kind.choices, widget=forms.RadioSelect
    )
    post_number = forms.CharField(label="Post number", required=False, max_length=40)
    cost_centre = forms.CharField(label="Cost centre", required=False, max_length=40)
    subjective = forms.CharField(label="Subjective", required=False, max_length=40)
    description_contains = forms.CharField(
        label="Description contains (optional)", required=False, max_length=200
    )
    line = forms.ModelChoiceField(label="Budget line", queryset=None)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines


class VirementForm(GovukForm):
    from_line = forms.ModelChoiceField(label="From line", queryset=None)
    to_line = forms.ModelChoiceField(label="To line", queryset=None)
    amount = _money_field("Amount")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))
    approved_by = forms.CharField(label="Approved by (name and role)", max_length=200)
    approved_on = DateField(label="Approved on")

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_line"].queryset = lines
        self.fields["to_line"].queryset = lines


class CommitmentForm(VersionedForm):
    raised_on = DateField(label="Date raised or signed")

    class Meta:
        model = Commitment
        fields = ["kind", "description", "reference", "amount", "raised_on"]


class PostForm(VersionedForm):
    start_date = DateField(
        label="Start date", required=False, help_text="Actual or expected. For example, 1 9 2027"
    )

    class Meta:
        model = Post
        fields = ["post_number", "title", "annual_cost", "status", "start_date"]


class LineMonthsForm(StateChangeForm):
    def __init__(self, *args, months, year, **kwargs):
        super().__init__(*args, **kwargs)
        for period in range(1, 13):
            name = f"{period_month_name(period)} (period {period})"
            self.fields[f"profile_{period}"] = _money_field(f"Budget profile: {name}")
            self.fields[f"forecast_{period}"] = _money_field(
                f"Forecast by hand: {name}", required=False
            )
            profile, forecast = months.get(period, (Decimal("0.00"), None))
            self.initial.setdefault(f"profile_{period}", profile)
            self.initial.setdefault(f"forecast_{period}", forecast)
        self.fields_added()


class ThemeWeightsForm(StateChangeForm):
    """One weight per theme of a line. It carries the line's version: the weights are the
    line's."""

    def __init__(self, *args, themes, weights, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = list(themes)
        for theme in self.themes:
            self.fields[f"theme_{theme.pk}"] = forms.DecimalField(
                label=theme.title,
                max_digits=7,
                decimal_places=2,
                min_value=0,
                initial=weights.get(theme.pk, Decimal("1")),
                widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
            )
        self.fields_added()


class SettingsForm(VersionedForm):
    cost_centres = forms.CharField(label="Programme cost centres", max_length=200, required=False)
    amber_percent = forms.DecimalField(
        label="Amber when forecast variance is over (%)",
        max_digits=5,
        decimal_places=2,
        validators=PERCENT_VALIDATORS,
    )
    red_percent = forms.DecimalField(
        label="Red when forecast variance is over (%)",
        max_digits=5,
        decimal_places=2,
        validators=PERCENT_VALIDATORS,
    )

    made_on_first_save = True

    class Meta:
        model = AllocationSettings
        fields = ["cost_centres", "amber_percent", "red_percent"]


class CarryForwardForm(GovukForm):
    confirm = forms.BooleanField(
        label="Yes, start next year's budget with these lines",
        required=True,
    )
