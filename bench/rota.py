"""Seconds to plan a rota for ten years of monthly meetings (prints one JSON line)."""

import argparse
import json
import time

from bench import django_env


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    django_env.setup()
    from board.rota import rota_build
    from themes.models import Theme

    themes = list(Theme.objects.order_by("number").values_list("pk", flat=True))
    meetings = 12 * args.years
    started = time.perf_counter()
    plan = rota_build(themes=themes, meetings=meetings, per_meeting=2)
    seconds = time.perf_counter() - started
    assert len(plan) == meetings
    print(json.dumps({"meetings": meetings, "seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
