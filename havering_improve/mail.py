"""Where the demo's e-mail goes: one .eml file per message in EMAIL_FILE_PATH.

Django's file backend appends every message of a connection to one log file; a file per
message, named by time and subject, is what a person looking for "the reminder Supervision's
lead got" can find and open in a mail program. The messages name people and their work: the
folder is readable only by its owner (0700), each message too (0600).
"""

import os
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
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.folder.stat().st_mode & 0o077:
            self.folder.chmod(0o700)
        sent = 0
        for message in email_messages:
            slug = re.sub(r"[^a-z0-9]+", "-", message.subject.lower()).strip("-")[:60]
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            name = f"{stamp}-{slug or 'message'}-{get_random_string(6).lower()}.eml"
            fd = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.message().as_bytes(linesep="\n"))
            sent += 1
        return sent
