"""Where the demo's e-mail goes: one .eml file per message in EMAIL_FILE_PATH.

Django's file backend appends every message of a connection to one log file; a file per
message, named by time and subject, is what a person looking for "the reminder Supervision's
lead got" can find and open in a mail program.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.crypto import get_random_string


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            slug = re.sub(r"[^a-z0-9]+", "-", message.subject.lower()).strip("-")[:60]
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            name = f"{stamp}-{slug or 'message'}-{get_random_string(6).lower()}.eml"
            (self.folder / name).write_bytes(message.message().as_bytes(linesep="\n"))
            sent += 1
        return sent
