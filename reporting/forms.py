from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from havering_improve.forms import GovukForm, VersionedForm

from .models import ReportSchedule


class ReissueForm(GovukForm):
    reason = forms.CharField(
        label="Why is the pack being re-issued?", widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportScheduleForm(VersionedForm):
    sections = forms.MultipleChoiceField(
        label="Sections",
        choices=ReportSchedule.Section.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    made_on_first_save = True

    class Meta:
        model = ReportSchedule
        fields = ["frequency", "send_day", "sections", "recipients", "active"]
        labels = {"send_day": "Day of the month it is sent", "active": "Send on schedule"}
        help_texts = {"recipients": "Email addresses, one a line"}
        widgets = {"frequency": forms.RadioSelect, "recipients": forms.Textarea(attrs={"rows": 4})}

    def clean_send_day(self):
        day = self.cleaned_data["send_day"]
        if not 1 <= day <= 28:
            raise ValidationError("Enter a day from 1 to 28")
        return day

    def clean_recipients(self):
        lines = [x.strip() for x in self.cleaned_data["recipients"].splitlines() if x.strip()]
        if not lines:
            raise ValidationError("Enter at least one email address")
        for number, line in enumerate(lines, 1):
            try:
                validate_email(line)
            except ValidationError:
                raise ValidationError(f"Line {number} is not an email address: {line}") from None
        return "\n".join(lines)
