"""A project lead at work, for the mixed-load benchmark: once a second, through the real pages
(form, CSRF token, POST, redirect), alternately add a reading to one of their theme's measures
and edit one of its milestones. Prints one JSON line when stopped (SIGTERM) or when --seconds
run out: how many changes it made, how many failed, and their median and slowest times.

    python -m bench.writer --base http://127.0.0.1:8000 --session KEY --theme SLUG \
        --measure 12 --milestone 34 [--seconds 30]
"""

import argparse
import http.cookiejar
import json
import signal
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The fields a browser would send from the first form posting to `action` (or to the page
    itself): what its inputs, selected options, checked boxes and text areas hold."""

    def __init__(self, action: str):
        super().__init__()
        self.action = action
        self.inside = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self._select = None
        self._textarea = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form":
            self.inside = (a.get("action") or self.action) == self.action  # none: the page
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value") or ""
            if "selected" in a:
                self.fields.append((self._select, a.get("value") or ""))
                self._select = None  # one choice is enough
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self.fields.append((self._select, self._first_option or ""))
            self._select = None


class Lead:
    def __init__(self, base: str, session: str):
        self.base = base
        jar = http.cookiejar.CookieJar()
        host = urllib.parse.urlsplit(base).hostname
        jar.set_cookie(
            http.cookiejar.Cookie(
                0, "sessionid", session, None, False, host, False, False, "/", True,
                False, None, False, None, None, {},
            )
        )  # fmt: skip
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def submit(self, path: str, changes: dict) -> None:
        """GET the form at `path`, change some fields, POST it; raise unless it redirects."""
        with self.opener.open(self.base + path, timeout=30) as page:
            html = page.read().decode()
        form = FormFields(path)
        form.feed(html)
        if not form.fields:
            raise RuntimeError(f"no form posting to {path}")
        fields = [(k, v) for k, v in form.fields if k not in changes] + list(changes.items())
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": self.base + path},
        )
        with self.opener.open(request, timeout=30) as answer:
            answer.read()
            if answer.url.rstrip("/").endswith(path.rstrip("/")):
                raise RuntimeError(f"{path} did not accept the change (form shown again)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--session", required=True)
    parser.add_argument("--theme", required=True)
    parser.add_argument("--measure", type=int, required=True)
    parser.add_argument("--milestone", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=3600)
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args()
    lead = Lead(args.base, args.session)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    reading = f"/themes/{args.theme}/measures/{args.measure}/readings/add/"
    milestone = f"/themes/{args.theme}/milestones/{args.milestone}/edit/"
    times, failures, errors = [], 0, []
    started = time.monotonic()
    n = 0
    while not stopping and time.monotonic() - started < args.seconds:
        tick = time.monotonic()
        try:
            if n % 2 == 0:
                lead.submit(reading, {"value": str(40 + n % 50), "note": f"Bench reading {n}"})
            else:
                lead.submit(milestone, {"title": f"Benchmark milestone, edit {n}"})
            times.append(time.monotonic() - tick)
        except (OSError, RuntimeError, urllib.error.HTTPError) as exc:
            failures += 1
            if len(errors) < 3:
                errors.append(str(exc)[:200])
        n += 1
        time.sleep(max(0.0, args.interval - (time.monotonic() - tick)))
    print(
        json.dumps(
            {
                "changes": len(times),
                "failures": failures,
                "errors": errors,
                "median_ms": round(statistics.median(times) * 1000, 1) if times else None,
                "slowest_ms": round(max(times) * 1000, 1) if times else None,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
