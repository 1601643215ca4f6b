"""The annual engagement meeting's pages: the meeting, Ofsted's letter, the actions arising."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from havering_improve import editing, roles
from havering_improve.uploads import file_download
from themes.selectors import current_programme

from . import access
from .actions import engagement as engagement_actions
from .forms import ActionAddForm, ActionUpdateForm, LetterForm, MeetingForm


@roles.programme_reader_required
def meeting_add(request):
    access.require_editor(request.user)
    programme = current_programme()
    form = MeetingForm(editing.posted(request), programme=programme)
    return editing.edit_page(
        request,
        form,
        lambda form: engagement_actions.engagement_meeting_record(
            actor=request.user, programme=programme, **form.content()
        ),
        template="selfevaluation/form.html",
        context={"title": "Record the annual engagement meeting"},
        done=lambda meeting: meeting.get_absolute_url(),
    )


@require_safe
@roles.programme_reader_required
def meeting(request, pk):
    found = access.get_meeting_for_user(request.user, pk)
    return render(
        request,
        "selfevaluation/meeting.html",
        {
            "meeting": found,
            "actions": list(found.actions.select_related("owner")),
            "can_edit": roles.is_programme_manager(request.user),
            "letter_form": LetterForm(),
        },
    )


@roles.programme_reader_required
def meeting_edit(request, pk):
    found = access.get_meeting_for_user(request.user, pk, edit=True)
    form = MeetingForm(editing.posted(request), instance=found, programme=found.programme)
    return editing.edit_page(
        request,
        form,
        lambda form: editing.save_versioned(
            form, engagement_actions.engagement_meeting_update, actor=request.user, meeting=found
        ),
        template="selfevaluation/form.html",
        context={"title": "Change the annual engagement meeting"},
        done=found.get_absolute_url(),
    )


@roles.programme_reader_required
def letter(request, pk):
    """GET: the letter, downloaded (never shown in the browser). POST: upload it."""
    found = access.get_meeting_for_user(request.user, pk, edit=request.method == "POST")
    if request.method != "POST":
        if not found.letter:
            return render(request, "selfevaluation/no_letter.html", {"meeting": found}, status=404)
        return file_download(found.letter, name=found.letter_name, kind=found.letter_kind)
    form = LetterForm(request.POST, request.FILES)
    return editing.form_action(
        request,
        form,
        lambda form: engagement_actions.engagement_letter_upload(
            actor=request.user, meeting=found, upload=form.cleaned_data["letter"]
        ),
        template="selfevaluation/form.html",
        context={"title": "Upload Ofsted's follow-up letter", "multipart": True},
        done=found.get_absolute_url(),
        success="Ofsted's letter is kept with the meeting.",
    )


@roles.programme_reader_required
def action_add(request, pk):
    found = access.get_meeting_for_user(request.user, pk, edit=True)
    form = ActionAddForm(editing.posted(request))
    return editing.edit_page(
        request,
        form,
        lambda form: engagement_actions.engagement_action_add(
            actor=request.user, meeting=found, **form.cleaned_data
        ),
        template="selfevaluation/form.html",
        context={"title": "Add an action arising"},
        done=found.get_absolute_url(),
    )


@roles.programme_reader_required
def action_update(request, pk):
    found = access.get_action_for_user(request.user, pk)
    form = ActionUpdateForm(editing.posted(request), instance=found)
    return editing.edit_page(
        request,
        form,
        lambda form: editing.save_versioned(
            form,
            engagement_actions.engagement_action_update,
            actor=request.user,
            engagement_action=found,
        ),
        template="selfevaluation/form.html",
        context={"title": "Update your action", "statement": found.description},
        done="home",
    )
