"""A full meeting pack (HTML and PDF) for the latest past meeting: seconds and peak memory.

Runs in its own process, so the peak resident memory is the build's (plus Django's start-up,
reported separately as the baseline). The build runs as on a worker, which loads the PDF renderer
when it starts (reporting.tasks.load_pack_renderer): that one-off load is timed and reported
separately as `renderer_load_seconds`, so `seconds` is the build itself."""

import json
import resource
import time

from bench import django_env


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    django_env.setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from board.models import Meeting
    from reporting.actions import packs as pack_actions
    from reporting.models import MeetingPack

    meeting = Meeting.objects.filter(date__lt=timezone.localdate()).order_by("-date").first()
    user = get_user_model().objects.get(username="bench.pm")
    # A fresh version, so the work is the full build.
    latest = MeetingPack.objects.filter(meeting=meeting).order_by("-version").first()
    baseline = _peak_mb()
    from reporting.tasks import load_pack_renderer

    loading = time.perf_counter()
    load_pack_renderer()
    renderer_seconds = time.perf_counter() - loading
    started = time.perf_counter()
    if latest and latest.is_published:
        pack = pack_actions.pack_reissue(pack=latest, reason="Benchmark build", actor=user)
    else:
        pack = pack_actions.pack_request(meeting=meeting, actor=user)
    pack.refresh_from_db()
    seconds = time.perf_counter() - started
    if pack.status != MeetingPack.Status.READY:
        raise SystemExit(f"The pack did not build: {pack.error}")
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(_peak_mb(), 1),
                "startup_rss_mb": round(baseline, 1),
                "renderer_load_seconds": round(renderer_seconds, 2),
                "pdf_kb": round(pack.pdf.size / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
