from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm


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
