import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.forms.utils import pretty_name

from havering_improve.validators import validate_plausible_date


class GovukFormMixin:
    """GOV.UK rendering for a form: fields through crispy-forms-gds, errors in the page's error
    summary (`{% error_summary form %}`), the <form> tag written by the template."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields_added()

    def fields_added(self):
        """Lay the form out (and name its fields in its messages) again: a form that adds fields
        in its own __init__ calls this after, or those fields are never shown."""
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.show_non_field_errors = False
        self.helper.disable_csrf = True  # the page's template writes the token
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            # A model form also reports its model's validators under the field's messages.
            model_validators = []
            if model is not None:
                try:
                    model_validators = model._meta.get_field(name).validators
                except FieldDoesNotExist:
                    pass
            plain_error_messages(name, field, model_validators)


def plain_error_messages(name: str, field: forms.Field, model_validators=()) -> None:
    """Replace Django's generic messages ("This field is required.", "Ensure this value is
    greater than or equal to 1.") with ones that name the field, as the GOV.UK Design System
    asks. Messages a form sets itself are kept."""
    label = str(field.label or pretty_name(name)).replace("%", "%%")
    what, name_ = label[0].lower() + label[1:], label[0].upper() + label[1:]
    if what.split(" ", 1)[0] not in {"how", "what", "which", "who", "when", "why", "the", "a"}:
        what = f"the {what}"
    defaults = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    choosing = isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.FileField))
    choosing = choosing or isinstance(field, forms.BooleanField)
    plain = {
        "required": f"Select {what}" if choosing else f"Enter {what}",
        "invalid": f"{name_} must be a number"
        if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField))
        else None,
        "invalid_choice": f"Choose {what} from the list",
        "min_value": f"{name_} must be %(limit_value)s or more",
        "max_value": f"{name_} must be %(limit_value)s or less",
        "max_length": f"{name_} must be %(limit_value)s characters or fewer",
        "max_digits": f"{name_} must have no more than %(max)s digits",
        "max_decimal_places": f"{name_} must have no more than %(max)s decimal places",
    }
    # A validator's own message (a model's "cannot be less than £0") wins over ours: Django
    # replaces a validator's message with the field's message for the same code.
    custom = {
        getattr(v, "code", None)
        for v in [*field.validators, *model_validators]
        if str(getattr(v, "message", "")) != str(getattr(type(v), "message", ""))
    }
    for key, text in plain.items():
        if text is None or key in custom:
            continue
        current = field.error_messages.get(key)
        if current is None or str(current) == str(defaults.get(key)):
            field.error_messages[key] = text if "%(" in text else text.replace("%%", "%")


def short_text_areas(model_field, **kwargs):
    """A model form's `Meta.formfield_callback`: the model's text fields as text areas three rows
    high, the service's size for a few lines, unless the form's `Meta.widgets` gives another."""
    if isinstance(model_field, models.TextField) and not model_field.choices:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    return model_field.formfield(**kwargs)


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class LoginForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }


class SetOwnPasswordForm(GovukFormMixin, SetPasswordForm):
    """A new password, from the link of a password reset e-mail."""


def add_service_errors(form, exc) -> None:
    """A service refused a write with a ValidationError: show its reasons against the fields it
    names (or above the form), so they reach the page's error summary."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class DateField(DateInputField):
    """The one way the service asks for a date: the GOV.UK date input (day, month, year), with
    the Design System's messages naming the field ("Due date must be a real date"), never
    Python's ("day is out of range for month"). Dates outside 2000 to 2100 are refused."""

    default_validators = [validate_plausible_date]

    def __init__(self, *, label: str, required: bool = True, help_text: str = "", **kwargs):
        super().__init__(
            label=label,
            required=required,
            require_all_fields=False,
            help_text=help_text or DATE_HINT,
            **kwargs,
        )
        name = label[0].upper() + label[1:]
        what = label[0].lower() + label[1:]
        self.error_messages["required"] = f"Enter the {what}"
        self.error_messages["incomplete"] = f"Enter the {what}"
        self.label_name = name
        self.real_date = f"{name} must be a real date"
        for part, sub in zip(("day", "month", "year"), self.fields, strict=True):
            sub.error_messages["incomplete"] = f"{name} must include a {part}"
            sub.validators = [RegexValidator(r"^\s*[0-9]+\s*$", self.real_date)]
            sub.widget.attrs["inputmode"] = "numeric"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(year.strip()) != 4:
            raise ValidationError(f"{self.label_name} must include a year with 4 numbers")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(self.real_date) from exc


DATE_HINT = "For example, 27 3 2027"


class AffixedInput(forms.TextInput):
    """A GOV.UK text input sized to its content, with its unit shown before or after it
    (£ before an amount, % after a percentage)."""

    template_name = "havering_improve/widgets/affixed_input.html"

    def __init__(self, *, prefix: str = "", suffix: str = "", width: int = 5, attrs=None):
        attrs = {"inputmode": "decimal", "class": f"govuk-input--width-{width}", **(attrs or {})}
        super().__init__(attrs=attrs)
        self.prefix, self.suffix = prefix, suffix

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(prefix=self.prefix, suffix=self.suffix)
        return context


VERSION_MISSING = (
    "This form is missing the version of the record it was opened at, so saving it could "
    "overwrite someone else's changes. Open the page again and redo your changes."
)


def version_field() -> forms.IntegerField:
    """The hidden version an edit form carries: required, so a form without it is refused."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": VERSION_MISSING, "invalid": VERSION_MISSING},
    )


class _CarriesVersion:
    """A hidden field's errors are shown nowhere on the page, so the version's go above the form."""

    def full_clean(self):
        super().full_clean()
        errors = getattr(self, "_errors", None) or {}
        if "version" in errors:
            self._errors.setdefault(NON_FIELD_ERRORS, self.error_class()).extend(
                errors.pop("version")
            )


class VersionedForm(_CarriesVersion, GovukModelForm):
    """An edit form for a record two people may edit at once: it carries the version the editor
    opened, and the action refuses the save if the record has moved on since."""

    version = version_field()
    # True for a record that is one of a kind, made by its first save (a board's settings, a
    # body's report schedule): two people may open it before it exists, so the form carries
    # version 0 ("there was none"), and the second to save is refused like any stale edit.
    made_on_first_save = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.made_on_first_save:
            del self.fields["version"]  # adding a record: there is nothing to be stale against
            self.fields_added()  # the layout made before would name the field it no longer has
        elif not self.is_bound:
            self.initial["version"] = self.instance.version if self.instance.pk else 0

    def content(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in self._meta.fields}


class StateChangeForm(_CarriesVersion, GovukForm):
    """A button that changes a record's state (submit, approve, close): it carries the version
    the person saw, so they never act on a record someone changed since."""

    version = version_field()

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        if record is not None and not self.is_bound:
            self.initial["version"] = record.version
