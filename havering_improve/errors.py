"""What a service raises when the action asked for has already happened."""

from django.core.exceptions import ValidationError


class AlreadyDone(ValidationError):
    """The action was done already (a double click, or someone else got there first), so nothing
    changed. `obj` is what stands: a view tells the person so and takes them to it, never a 500.
    A ValidationError, so a caller that does not tell the two apart still shows the message."""

    def __init__(self, message, obj=None):
        super().__init__(message)
        self.obj = obj
