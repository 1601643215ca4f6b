"""Print what `make test` skipped and why, grouped by reason (read from the log the suite's
conftest writes to $TEST_SKIP_LOG)."""

import json
import sys
from collections import defaultdict
from pathlib import Path


def skip_report(path: Path) -> str:
    by_reason: dict[str, list[str]] = defaultdict(list)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                by_reason[entry["reason"]].append(entry["test"])
    if not by_reason:
        return "Nothing was skipped."
    total = sum(len(tests) for tests in by_reason.values())
    lines = [f"Skipped {total} test{'s' if total != 1 else ''}:"]
    for reason, tests in sorted(by_reason.items(), key=lambda item: (-len(item[1]), item[0])):
        lines.append(f"  {len(tests)} × {reason}")
        lines.extend(f"      {test}" for test in sorted(tests))
    return "\n".join(lines)


if __name__ == "__main__":
    print(skip_report(Path(sys.argv[1])))
