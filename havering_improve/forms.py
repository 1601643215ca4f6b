from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS


class GovukFormMixin:
    """GOV.UK rendering for a form: fields through crispy-forms-gds, errors in the page's error
    summary (`{% error_summary form %}`), the <form> tag written by the template."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.show_non_field_errors = False


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class LoginForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }


def add_service_errors(form, exc) -> None:
    """A service refused a write with a ValidationError: show its reasons against the fields it
    names (or above the form), so they reach the page's error summary."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:  # adding a record: there is nothing to be stale against
            del self.fields["version"]
        elif not self.is_bound:
            self.initial["version"] = self.instance.version

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
