"""The matching rules at work: which rule places a ledger row (`Matcher`, the year's rules
indexed for a look-up per row, as an import reads thousands), and the rows waiting in the
allocation queue that a rule would place. None of it writes."""

from __future__ import annotations

from .models import MatchingRule
from .selectors import closed_periods, ledger_rows


class Matcher:
    """The year's rules, indexed for a fast look-up per row. Post number wins; then cost centre
    and subjective, rules with description text before the general one."""

    def __init__(self, rules):
        self.by_post: dict[str, MatchingRule] = {}
        self.by_coding: dict[tuple[str, str], list[MatchingRule]] = {}
        for rule in rules:
            if rule.kind == MatchingRule.Kind.POST:
                self.by_post[rule.post_number.strip().upper()] = rule
            else:
                key = (rule.cost_centre.strip().upper(), rule.subjective.strip())
                self.by_coding.setdefault(key, []).append(rule)
        for candidates in self.by_coding.values():
            candidates.sort(key=lambda r: -len(r.description_contains))

    @classmethod
    def for_allocation(cls, allocation):
        return cls(MatchingRule.objects.filter(allocation=allocation).select_related("line"))

    def match(self, row) -> MatchingRule | None:
        if row.post_number:
            rule = self.by_post.get(row.post_number)
            if rule is not None:
                return rule
        candidates = self.by_coding.get((row.cost_centre, row.subjective))
        if candidates:
            text = row.description.lower()
            for rule in candidates:
                needle = rule.description_contains.strip().lower()
                if not needle or needle in text:
                    return rule
        return None


def rule_queue_matches(rule) -> list:
    """The rows waiting in the allocation queue that `rule` would place, with the year's other
    rules taking their usual precedence; rows in closed periods stay where they are."""
    closed = closed_periods(rule.allocation)
    matcher = Matcher.for_allocation(rule.allocation)
    rows = ledger_rows(rule.allocation, queue=True).exclude(period__in=closed)
    return [row for row in rows if getattr(matcher.match(row), "pk", None) == rule.pk]
