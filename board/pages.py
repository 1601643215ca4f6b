"""What the board's pages, and the pages of its packs and reports, share: the improvement board a
page is about, a form page, and what to say once a job is queued."""

from django.contrib import messages
from django.http import Http404

from havering_improve import editing
from themes.selectors import current_programme

from . import access, selectors
from .models import Board


def improvement_board_page(request, *, manage=False) -> Board:
    """The programme's improvement board; `manage`: for the programme manager only."""
    if manage:
        access.require_manager(request.user)
    board = selectors.improvement_board(current_programme())
    if board is None:
        raise Http404("This programme has no improvement board.")
    return board


def form_page(request, form, call, *, title, success, back=None, done=None, **context):
    """A board/form.html page: the form; on POST `call(form)`, then on to `done` (by default
    the meeting the form is about, `back`)."""
    return editing.edit_page(
        request,
        form,
        call,
        done=done or back.get_absolute_url(),
        success=success,
        template="board/form.html",
        context={"title": title, "back": back, **context},
    )


def say_how_the_job_went(request, job, *, done, failed, waiting):
    """After a job is queued (with no broker it has already run): say it is done (`done` is its
    finished status and message), failed, or still waiting. A message may be a function of the
    job as it now stands."""
    job.refresh_from_db()
    done_status, done_message = done

    def said(message):
        return message(job) if callable(message) else message

    if job.status == done_status:
        messages.success(request, said(done_message))
    elif job.status == type(job).Status.FAILED:
        messages.error(request, said(failed))
    else:
        messages.success(request, said(waiting))
