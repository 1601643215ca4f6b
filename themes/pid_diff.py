"""The PID comparison engine: a PID as titled sections of lines, and two of them compared.

Pure functions, no queries: the caller passes the structured parts (measures, milestones,
risks and team) as a snapshot, an approved version's own or `actions.pid.pid_snapshot` of the
theme as it stands for the live draft.
"""

import difflib

from .forms import PIDForm
from .models import PID

# The snapshot's parts, each a titled section of one line an item.
_SNAPSHOT_SECTIONS = [
    ("measures", "Measures of success", "{name}: baseline {baseline}; target {target}"),
    ("milestones", "Milestones", "{title} — due {due} ({status}); owner {owner}"),
    ("risks", "Risks and issues", "{kind}: {description} (score {score}, {status})"),
    ("team", "Team", "{name}, {kind}{organisation_text}"),
]


def pid_sections(source, snapshot: dict | None = None) -> list[tuple[str, list[str]]]:
    """A PID (draft or approved version) as titled sections of lines, for showing and diffing:
    its text fields, then the parts of `snapshot` (an approved version's own when not given)."""
    sections = [
        (PIDForm._meta.labels[name], (getattr(source, name) or "").splitlines())
        for name in PID.TEXT_FIELDS
    ]
    if snapshot is None:
        snapshot = source.snapshot
    for key, title, pattern in _SNAPSHOT_SECTIONS:
        lines = []
        for item in snapshot.get(key, []):
            org = item.get("organisation")
            lines.append(pattern.format(**item, organisation_text=f", {org}" if org else ""))
        sections.append((title, lines))
    return sections


def pid_diff(before, after) -> list[dict]:
    """Per section of two `pid_sections`, each line marked same / added / removed."""
    result = []
    for (title, old), (_, new) in zip(before, after, strict=True):
        lines = []
        for line in difflib.ndiff(old, new):
            code, text = line[:2], line[2:]
            if code == "? ":
                continue
            kind = {"+ ": "added", "- ": "removed"}.get(code, "same")
            lines.append({"kind": kind, "text": text})
        result.append(
            {"title": title, "lines": lines, "changed": any(x["kind"] != "same" for x in lines)}
        )
    return result
