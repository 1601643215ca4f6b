"""What a service raises when the action asked for has already happened, or could not be done
this moment because someone else was changing the same records."""

from django.core.exceptions import ValidationError


class AlreadyDone(ValidationError):
    """The action was done already (a double click, or someone else got there first), so nothing
    changed. `obj` is what stands: a view tells the person so and takes them to it, never a 500.
    A ValidationError, so a caller that does not tell the two apart still shows the message."""

    def __init__(self, message, obj=None):
        super().__init__(message)
        self.obj = obj


class TryAgain(ValidationError):
    """The database could not do the action this moment: another request held the records it
    needed (on SQLite, the database's one write lock; on PostgreSQL, a lock it waited on too long,
    a deadlock or a serialization failure). Nothing was saved. Raised for any action by
    `havering_improve.actions`, so every view that shows an action's refusal shows this too."""

    MESSAGE = (
        "Someone else was saving a change here at the same moment, so nothing was saved. "
        "Check the page, then try again if it still needs doing."
    )

    def __init__(self, message=MESSAGE):
        super().__init__(message, code="try_again")
