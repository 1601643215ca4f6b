"""Realistic sample data for the local demo, added by `load_programme --demo`.

Each app that has demo data provides `<app>/demo.py` with
`demo_data_load(*, programme, stdout)`; they run in `DEMO_ORDER` and each is idempotent.
`stdout` is told as each part starts, then what it did and how long it took.
"""

import importlib
import time

from havering_improve.apps_list import PROGRAMME_APPS

# The apps' dependency order (`PROGRAMME_APPS`), but for the budget first: it needs nothing of
# the themes' demo, and each month's highlight report takes its cost rating from the budget, as
# a new report does (themes.prefill), so the reports agree with the budget report.
DEMO_ORDER = ("budget", *(app for app in PROGRAMME_APPS if app != "budget"))

# What each app's part of the demo builds, as the progress line says it.
PARTS = {
    "themes": "the themes' PIDs, teams, milestones, measures, risks and reports",
    "budget": "this year's budget, its ledger and its month-end closes",
    "evaluation": "the evaluation activities, audits and findings",
    "board": "the Improvement Board's meetings, rota, minutes and actions",
    "reporting": "the Board's packs and the progress-report schedules",
    "selfevaluation": "last year's signed-off self-evaluation and this year's draft",
}


class _Progress:
    """Lines of progress, each out at once (under `make run` a long quiet spell looks like a
    hang), indented under the line that says which part is being built."""

    def __init__(self, stdout, indent=""):
        self.stdout, self.indent = stdout, indent

    def write(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(f"{self.indent}{text}")
            if hasattr(self.stdout, "flush"):
                self.stdout.flush()


def demo_data_load(*, programme, stdout=None) -> None:
    lines = _Progress(stdout)
    for app in DEMO_ORDER:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        lines.write(f"Building the demo: {PARTS.get(app, app)} ...")
        started = time.monotonic()
        module.demo_data_load(programme=programme, stdout=_Progress(stdout, "  "))
        lines.write(f"  Done in {time.monotonic() - started:.1f} s.")
