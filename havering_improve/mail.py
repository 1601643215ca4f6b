"""E-mail: every message the service sends is built here, and the demo's backend.

`send_email("reporting/email/reminder", context, to=[...])` renders one template into a message with
two parts: the plain text (`<name>.txt`, subject from `<name>_subject.txt`) and the same words as
HTML in the service's e-mail layout (`email/base.html`: a single column in the style of GOV.UK
Notify's e-mail, readable on a phone, styles inline since mail clients drop <style>). A message's
template is written once, as plain text with a little markup that both parts understand:

    a blank line          starts a new paragraph
    * item                a bullet (a run of them is one list)
    ^ text                inset text, for words quoted from someone (their comments)
    [Link text](url)      a link: "Link text: url" in the plain text, the words linked in HTML
    https://…             any other address is linked as itself

Links in a message are absolute, from the one SITE_URL setting (`site_url`). Each message is
dated in UK time (+0000 in winter, +0100 in summer) and its Message-ID names the site's domain.

`EmlFileBackend` is where the demo's e-mail goes: one .eml file per message in EMAIL_FILE_PATH.
Django's file backend appends every message of a connection to one log file; a file per
message, named by time and subject, is what a person looking for "the reminder Supervision's
lead got" can find and open in a mail program. The messages name people and their work: the
folder is readable only by its owner (0700), each message too (0600).
"""

import itertools
import os
import re
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.html import escape


def site_url(path: str = "") -> str:
    """An absolute address in the service, for a link in an e-mail, from SITE_URL."""
    base = (settings.SITE_URL or "http://127.0.0.1:8000").rstrip("/")
    if path and not path.startswith("/"):
        path = "/" + path
    return base + path


def site_domain() -> str:
    """The host name people open the service at (SITE_URL's), for Message-IDs."""
    return urlsplit(site_url()).hostname or "localhost"


# The markup of a message's template -----------------------------------------------------------

_LINK = re.compile(r"\[([^\[\]\n]+)\]\((https?://[^\s()]+)\)")
_URL = re.compile(r"(?<![\"'=>])\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)]")


def _site_link(match: re.Match) -> bool:
    """Only the service's own addresses get link text: words quoted from someone (a comment that
    holds `[x](https://elsewhere)`) never hide where a link goes."""
    return match.group(2).startswith(site_url() + "/") or match.group(2) == site_url()


def markup_to_text(source: str, *, inset: str = "    ") -> str:
    """The plain-text part: the template's words with its markup read out (inset text
    indented; GOV.UK Notify's body keeps its `^ `)."""
    lines = []
    for line in source.splitlines():
        line = _LINK.sub(
            lambda m: f"{m.group(1)}: {m.group(2)}" if _site_link(m) else m.group(0), line
        )
        if line.startswith("^ "):
            line = inset + line[2:]
        lines.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# GOV.UK's e-mail type: 19px Arial/Helvetica on 25px lines, black text, blue underlined links.
TEXT_STYLE = "font-family:Helvetica,Arial,sans-serif;font-size:19px;line-height:25px;color:#0b0c0c"
STYLES = {
    "p": f"margin:0 0 20px 0;{TEXT_STYLE}",
    "ul": f"margin:0 0 20px 20px;padding:0;list-style-type:disc;{TEXT_STYLE}",
    "li": f"margin:5px 0;padding:0 0 0 5px;{TEXT_STYLE}",
    "inset": f"margin:0 0 20px 0;padding:15px 0 0.1px 15px;border-left:10px solid #b1b4b6;"
    f"{TEXT_STYLE}",
    "a": "color:#1d70b8;text-decoration:underline;word-wrap:break-word",
}


def _inline_html(text: str) -> str:
    """One line of the template as HTML: escaped, its links made links."""
    out, last = [], 0
    for m in _LINK.finditer(text):
        out.append(_linkify(escape(text[last : m.start()])))
        out.append(_anchor(m.group(2), m.group(1)) if _site_link(m) else _linkify(escape(m[0])))
        last = m.end()
    out.append(_linkify(escape(text[last:])))
    return "".join(out)


def _anchor(href: str, words: str) -> str:
    return f'<a href="{escape(href)}" style="{STYLES["a"]}">{escape(words)}</a>'


def _linkify(escaped: str) -> str:
    """Addresses in already-escaped text, linked as themselves."""
    return _URL.sub(lambda m: f'<a href="{m[0]}" style="{STYLES["a"]}">{m[0]}</a>', escaped)


def _kind(line: str) -> str:
    if line.startswith(("* ", "- ")):
        return "bullet"
    return "inset" if line.startswith("^ ") else "text"


def markup_to_html(source: str) -> str:
    """The HTML of the message's words (the layout around them is email/base.html)."""
    html = []
    for block in re.split(r"\n\s*\n", source.strip()):
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        for kind, group in itertools.groupby(lines, key=_kind):
            group = list(group)
            if kind == "bullet":
                items = "".join(
                    f'<li style="{STYLES["li"]}">{_inline_html(g[2:])}</li>' for g in group
                )
                html.append(f'<ul style="{STYLES["ul"]}">{items}</ul>')
            elif kind == "inset":
                text = "<br>".join(_inline_html(g[2:]) for g in group)
                html.append(
                    f'<div style="{STYLES["inset"]}"><p style="{STYLES["p"]}">{text}</p></div>'
                )
            else:
                html.append(f'<p style="{STYLES["p"]}">{"<br>".join(map(_inline_html, group))}</p>')
    return "\n".join(html)


# Building and sending ----------------------------------------------------------------------------


def email_message(
    template: str,
    context: dict,
    *,
    to: list[str],
    attachments: list[tuple[str, bytes, str]] = (),
    connection=None,
) -> EmailMultiAlternatives:
    """The message `template` makes from `context`: subject, plain text and HTML."""
    context = {
        "service_name": settings.SERVICE_NAME,
        "site_url": site_url(),
        "today": timezone.localdate(),
        **context,
    }
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    source = render_to_string(f"{template}.txt", context)
    html = render_to_string(
        "email/base.html",
        {**context, "subject": subject, "content": markup_to_html(source), "styles": STYLES},
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=markup_to_text(source),
        to=to,
        connection=connection,
        headers={
            # UK time, whatever the server's clock zone: +0000 in winter, +0100 in summer.
            "Date": format_datetime(timezone.localtime(timezone.now())),
            "Message-ID": make_msgid(domain=site_domain()),
        },
    )
    message.attach_alternative(html, "text/html")
    message.markup = source  # the words with their markup, for GOV.UK Notify (notify.py)
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


def send_email(template: str, context: dict, *, to: list[str], **kwargs) -> None:
    """Build the message (email_message) and send it; raises if it cannot be sent."""
    email_message(template, context, to=to, **kwargs).send()


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
