"""The self-evaluation as plain values: what a frozen version keeps, and what its page, its PDF,
its Word document and the comparison of two versions are drawn from."""

import datetime as dt
from decimal import Decimal

from themes.charts import TrendChart
from themes.models import Measure

from .evidence import day, flags


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _chart(measure: Measure | None, as_of: dt.date) -> dict | None:
    if measure is None:
        return None
    readings = [
        (r.date.isoformat(), str(r.value))
        for r in measure.readings.filter(date__lte=as_of).order_by("date", "pk")
    ]
    return {
        "name": measure.name,
        "unit": measure.unit,
        "direction": measure.get_direction_display(),
        "baseline": [measure.baseline_date.isoformat(), str(measure.baseline_value)],
        "target": [measure.target_date.isoformat(), str(measure.target_value)],
        "readings": readings,
    }


def trend_chart(data: dict) -> TrendChart:
    from_iso = dt.date.fromisoformat
    return TrendChart(
        name=data["name"],
        unit=data["unit"],
        direction=data["direction"],
        baseline=(from_iso(data["baseline"][0]), _decimal(data["baseline"][1])),
        target=(from_iso(data["target"][0]), _decimal(data["target"][1])),
        readings=[(from_iso(d), _decimal(v)) for d, v in data["readings"]],
    )


def _decimal(value: str) -> Decimal:
    return Decimal(value)


def sections_for(self_evaluation):
    return list(
        self_evaluation.sections.select_related("area").prefetch_related(
            "evidence__measure", "claims__evidence", "plan_items"
        )
    )


def take(self_evaluation, *, sections=None) -> dict:
    """The whole self-evaluation, as it stands, with only the evidence kept."""
    sections = sections if sections is not None else sections_for(self_evaluation)
    found = flags(self_evaluation, sections)
    unsupported = {claim.pk for claim in found.unsupported_claims}
    bare = {section.pk for section in found.areas_without_recent_evidence}
    grant = self_evaluation.programme.sign_offs.filter(user_id=self_evaluation.reviewer_id).first()
    out = {
        "programme": self_evaluation.programme.name,
        "local_authority": self_evaluation.programme.local_authority,
        "year": self_evaluation.year,
        "as_of": self_evaluation.as_of.isoformat(),
        "as_of_shown": day(self_evaluation.as_of),
        "status": self_evaluation.get_status_display(),
        "reviewer": _person(self_evaluation.reviewer),
        "reviewer_title": grant.role_title if grant else "",
        "sections": [],
    }
    number = 0
    for section in sections:
        kept = [item for item in section.evidence.all() if item.kept]
        refs = {}
        evidence = []
        for item in kept:
            number += 1
            refs[item.pk] = number
            evidence.append(
                {
                    "ref": number,
                    "kind": item.get_kind_display(),
                    "statement": item.statement,
                    "narrative": item.narrative,
                    "link": item.link,
                    "dated": day(item.dated),
                    "chart": _chart(item.measure, self_evaluation.as_of),
                }
            )
        claims = [
            {
                "kind": claim.kind,
                "kind_shown": claim.get_kind_display(),
                "sentence": claim.sentence,
                "refs": sorted(refs[e.pk] for e in claim.evidence.all() if e.pk in refs),
                "unsupported": claim.pk in unsupported,
            }
            for claim in section.claims.all()
        ]
        plans = [
            {
                "text": item.text,
                "owner": item.owner,
                "due": day(item.due) if item.due else "",
                "source": item.get_source_display(),
            }
            for item in section.plan_items.all()
            if item.kept
        ]
        out["sections"].append(
            {
                "title": section.title,
                "whole": section.is_whole,
                "area_id": section.area_id,
                "what_we_know": section.what_we_know,
                "how_we_know": section.how_we_know,
                "plans_intro": section.plans,
                "strengths": [c for c in claims if c["kind"] == "strength"],
                "improvements": [c for c in claims if c["kind"] == "afi"],
                "evidence": evidence,
                "plans": plans,
                "no_recent_evidence": section.pk in bare,
            }
        )
    return out


def as_text_lines(snapshot: dict) -> list[str]:
    """The snapshot as lines of text, heading by heading, for comparing two versions."""
    lines = [f"Self-evaluation {snapshot['year']}, evidence up to {snapshot['as_of_shown']}"]
    for section in snapshot["sections"]:
        lines.append(f"## {section['title']}")
        lines.append("### What do we know?")
        lines += [ln for ln in section["what_we_know"].splitlines() if ln.strip()]
        lines += [f"Strength: {c['sentence']}" for c in section["strengths"]]
        lines += [f"Area for improvement: {c['sentence']}" for c in section["improvements"]]
        lines.append("### How do we know it?")
        lines += [ln for ln in section["how_we_know"].splitlines() if ln.strip()]
        lines += [f"Evidence: {e['statement']}" for e in section["evidence"]]
        lines.append("### Our plans for the next 12 months")
        lines += [ln for ln in section["plans_intro"].splitlines() if ln.strip()]
        lines += [
            f"Plan: {p['text']}" + (f" ({p['owner']}, {p['due']})" if p["owner"] else "")
            for p in section["plans"]
        ]
    return lines
