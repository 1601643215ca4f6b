"""The one way a view runs an action from a form: validate, call, show what went wrong, redirect.

    form = XForm(editing.posted(request), instance=x)
    return editing.edit_page(request, form, lambda form: services.x_update(...),
                             done=url, template="...", context={...})

`edit_page` is the whole page (the form on GET); `form_action` its POST half, for a view that
does something else on GET. `button_action` runs an action from a button, with no form.
`save_versioned` is the call that saves a `VersionedForm`.

A refused stale edit (`StaleEdit`) shows what the other person changed and keeps the editor's
input, with the form now carrying the latest version, so a second save is a deliberate one.
A ValidationError from the action goes against the fields it names, or above the form.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from havering_improve.actions import StaleEdit
from havering_improve.forms import add_service_errors


def posted(request):
    """The form data of a POST, even when empty (a bare POST is a submission to be refused,
    where `request.POST or None` would make it look like a first visit)."""
    return request.POST if request.method == "POST" else None


def save_versioned(form, action, **about):
    """`action(**about, version=…, **the form's fields)` for a valid `VersionedForm`: the version
    is the one the form was opened at (None when the form adds the record)."""
    return action(**about, version=form.cleaned_data.get("version"), **form.content())


def form_action(
    request,
    form,
    call,
    *,
    done,
    template,
    context=None,
    success="Your changes were saved.",
    error_status=200,
):
    """The POST half of every form page. `call(form)` runs one action and returns its result;
    `done` is the address to go to (or a function of the result); `success` the message (or a
    function of the result, or None for none); `error_status` the status of a page sent back
    with errors."""
    context = dict(context or {})
    stale = None
    if form.is_valid():
        try:
            result = call(form)
        except StaleEdit as exc:
            stale = exc
            form.add_error(None, str(exc))
            data = form.data.copy()
            data[form.add_prefix("version")] = exc.obj.version
            form.data = data
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = success(result) if callable(success) else success
            if text:
                messages.success(request, text)
            return redirect(done(result) if callable(done) else done)
    return render(request, template, {**context, "form": form, "stale": stale}, status=error_status)


def edit_page(request, form, call, *, template, context=None, **options):
    """A whole form page: the form on GET (or HEAD); on POST, `form_action` with the same
    `template` and `context` and its `options` (`done`, `success`, `error_status`)."""
    if request.method != "POST":
        return render(request, template, {**(context or {}), "form": form})
    return form_action(request, form, call, template=template, context=context, **options)


def button_action(request, call, *, success):
    """A button's action, with no form to send back: `call()`, then `success` as a message (or
    `success(what call returned)`), or the action's refusal (a ValidationError) as an error
    message. The view redirects after."""
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success(result) if callable(success) else success)
