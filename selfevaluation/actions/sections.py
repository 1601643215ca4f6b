"""A section's own words around its claims, evidence and plans."""

from havering_improve.actions import action, save_current

from ..models import Section
from ._common import require_open


@action("can_edit_self_evaluation", on="section.self_evaluation")
def section_update(
    *,
    actor,
    section: Section,
    version: int | None,
    what_we_know: str,
    how_we_know: str,
    plans: str,
) -> Section:
    require_open(section.self_evaluation)
    fields = {"what_we_know": what_we_know, "how_we_know": how_we_know, "plans": plans}
    return save_current(section, version, fields)
