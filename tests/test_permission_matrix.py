"""Every URL in the project, for every kind of person, for GET and POST: what they get.

The URL list comes from the resolver, so a new URL without a row here fails
`test_every_url_is_in_the_matrix`. The people, in column order:

    anonymous · no role · programme manager · finance officer · board member · auditor ·
    lead of Supervision · lead of another theme · Supervision team member

and what each gets:

    .  allowed (200, 204, a redirect other than to sign-in, or a form with errors)
    L  sent to sign in    X  403 forbidden    N  404 not found    M  405 wrong method

The objects (a milestone, a report, an import…) come from the demo programme, always in the
Supervision theme; see tests/matrix_objects.py. POSTs are empty forms; each request runs in a
transaction that is rolled back, so what one person does never changes what the next one sees.
FILTERED holds addresses with a query (the ledger's filters and its downloads, a report as at a
period), GET only, in the same columns.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from havering_improve import actions
from tests.matrix_objects import kwargs_for

PEOPLE = [
    "anonymous",
    "no role",
    "programme.manager",
    "finance.officer",
    "board.member",
    "auditor",
    "lead.supervision",
    "lead.quality-assurance",
    "member.supervision",
]

READ = "LX......."  # anyone with a role reads it
READ_ONLY = ("LX.......", "MMMMMMMMM")  # …and nobody posts to it
PUBLIC = (".........", "MMMMMMMMM")
THEME_EDIT = "LX.XXX.XX"  # the theme's lead and the programme manager
PM_ONLY = "LX.XXXXXX"
BUDGET_EDIT = "LX..XXXXX"  # finance officers and the programme manager
BUDGET_RECORDS = "LX..X.XXX"  # …and the auditor reads the records behind the figures
POST_ONLY = "MMMMMMMMM"  # (as a GET column: only POST is accepted; as POST: only GET)

SE_READERS = "LX.X....X"  # the programme manager, board, auditor and project leads
SE_SIGNED = ("LX.X..XXX", "MMMMMMMMM")  # signed off: the programme manager, board and auditor
SELF_EVALUATION: dict[str, tuple[str, str]] = {
    "selfevaluation:index": (SE_READERS, "MMMMMMMMM"),
    "selfevaluation:compare": (SE_READERS, "MMMMMMMMM"),
    "selfevaluation:detail": SE_SIGNED,
    "selfevaluation:version": SE_SIGNED,
    "selfevaluation:version_pdf": SE_SIGNED,
    "selfevaluation:version_docx": SE_SIGNED,
    "selfevaluation:section": ("LX.XXX..X", "MMMMMMMMM"),
    "selfevaluation:gather": (POST_ONLY, PM_ONLY),
    "selfevaluation:sign_off": ("LXXXXXXXX", "LXXXXXXXX"),  # its reviewer (the DCS) alone
    "selfevaluation:return": ("LXXXXXXXX", "LXXXXXXXX"),
    "selfevaluation:meeting": SE_SIGNED,
    "selfevaluation:letter": ("LX.X..XXX", PM_ONLY),
    "selfevaluation:action": ("LX.XXX.XX", "LX.XXX.XX"),  # its owner, lead.supervision
    **{
        f"selfevaluation:{name}": (PM_ONLY, PM_ONLY)
        for name in (
            *("start", "grants", "settings", "submit", "section_edit", "claim_add"),
            *("plan_add", "evidence_edit", "claim_edit", "plan_edit", "meeting_add"),
            *("meeting_edit", "action_add"),
        )
    },
}

MATRIX: dict[str, tuple[str, str]] = {
    # Sign-in and the service's own pages
    "home": READ_ONLY,
    "about": READ_ONLY,
    "healthz": PUBLIC,
    "privacy": PUBLIC,
    "accessibility": PUBLIC,
    "login": (".........", "........."),
    "logout": (POST_ONLY, "LLLLLLLLL"),
    "password_reset_confirm": (".........", "........."),  # the link's page, to anyone
    "password_reset_complete": PUBLIC,
    "session_extend": (".........", "........."),
    "oidc_authentication_init": ("NNNNNNNNN", "NNNNNNNNN"),  # single sign-on is off here
    "oidc_authentication_callback": ("NNNNNNNNN", "NNNNNNNNN"),
    "oidc_logout": ("NNNNNNNNN", "NNNNNNNNN"),
    # Themes
    "themes:index": READ_ONLY,
    "themes:mine": READ_ONLY,
    "themes:detail": READ_ONLY,
    "themes:section": READ_ONLY,
    "themes:pid_edit": (THEME_EDIT, THEME_EDIT),
    "themes:pid_submit": (THEME_EDIT, THEME_EDIT),
    "themes:pid_review": (PM_ONLY, PM_ONLY),
    "themes:pid_compare": READ_ONLY,
    "themes:pid_version": READ_ONLY,
    "themes:milestone_add": (THEME_EDIT, THEME_EDIT),
    "themes:milestone": READ_ONLY,
    "themes:milestone_edit": (THEME_EDIT, THEME_EDIT),
    "themes:measure_add": (THEME_EDIT, THEME_EDIT),
    "themes:measure": READ_ONLY,
    "themes:measure_chart": READ_ONLY,  # the SVG, at the address of the data it draws
    "themes:measure_edit": (THEME_EDIT, THEME_EDIT),
    "themes:reading_add": (THEME_EDIT, THEME_EDIT),
    "themes:risk_add": (THEME_EDIT, THEME_EDIT),
    "themes:risk_edit": (THEME_EDIT, THEME_EDIT),
    "themes:report_start": (THEME_EDIT, THEME_EDIT),
    "themes:report": READ_ONLY,
    "themes:report_edit": (THEME_EDIT, THEME_EDIT),
    "themes:report_submit": (THEME_EDIT, THEME_EDIT),
    "themes:report_correct": (THEME_EDIT, THEME_EDIT),
    "themes:comment_add": (POST_ONLY, "LX.XXX.X."),  # the team comments too
    "themes:evidence_add": ("LX.XXX.X.", "LX.XXX.X."),
    "themes:evidence": READ_ONLY,
    "themes:team_add": (THEME_EDIT, THEME_EDIT),
    "themes:team_remove": (THEME_EDIT, THEME_EDIT),
    # Budget
    "budget:index": READ_ONLY,
    "budget:year": READ_ONLY,
    "budget:report_xlsx": READ_ONLY,
    "budget:report_csv": READ_ONLY,
    "budget:chart": READ_ONLY,  # the report's chart: its totals, as the report shows them
    # Ledger rows are transaction-level (a payroll row is one person's pay): the budget's keepers
    # and the auditor only, filtered or not (see FILTERED below).
    "budget:ledger": (BUDGET_RECORDS, POST_ONLY),
    "budget:ledger_xlsx": (BUDGET_RECORDS, POST_ONLY),
    "budget:ledger_csv": (BUDGET_RECORDS, POST_ONLY),
    "budget:themes": READ_ONLY,
    "budget:line": READ_ONLY,
    "budget:imports": (BUDGET_RECORDS, BUDGET_EDIT),
    "budget:import": (BUDGET_RECORDS, POST_ONLY),
    "budget:import_file": (BUDGET_RECORDS, POST_ONLY),
    "budget:import_confirm": (POST_ONLY, BUDGET_EDIT),
    "budget:import_cancel": (POST_ONLY, BUDGET_EDIT),
    "budget:import_reverse": (BUDGET_EDIT, BUDGET_EDIT),
    "budget:queue": (BUDGET_RECORDS, POST_ONLY),
    "budget:allocate": (BUDGET_EDIT, BUDGET_EDIT),
    "budget:rules": (BUDGET_RECORDS, BUDGET_EDIT),
    "budget:rule_delete": (POST_ONLY, BUDGET_EDIT),
    "budget:rule_apply": (BUDGET_EDIT, BUDGET_EDIT),
    "budget:periods": READ_ONLY,
    "budget:period_close": (BUDGET_EDIT, BUDGET_EDIT),  # period 1 is the next to close
    "budget:period_reopen": (PM_ONLY, PM_ONLY),  # period 1 is open: "open already", nothing done
    "budget:virements": (READ, BUDGET_EDIT),
    "budget:settings": (BUDGET_EDIT, BUDGET_EDIT),
    "budget:carry_forward": (BUDGET_EDIT, BUDGET_EDIT),
    "budget:line_months": (BUDGET_EDIT, BUDGET_EDIT),
    "budget:line_themes": (PM_ONLY, PM_ONLY),  # the programme manager sets theme weights
    "budget:commitment_add": (BUDGET_EDIT, BUDGET_EDIT),
    "budget:commitment": (BUDGET_EDIT, BUDGET_EDIT),
    "budget:post_add": (BUDGET_EDIT, BUDGET_EDIT),
    "budget:post": (BUDGET_EDIT, BUDGET_EDIT),
    # Evaluation
    "evaluation:index": READ_ONLY,
    "evaluation:readiness": READ_ONLY,
    "evaluation:inspection_list": READ_ONLY,
    "evaluation:inspection_detail": READ_ONLY,
    "evaluation:activity_detail": READ_ONLY,
    "evaluation:theme_evidence": READ_ONLY,
    "evaluation:activity_create": (PM_ONLY, PM_ONLY),
    "evaluation:activity_edit": (PM_ONLY, PM_ONLY),
    "evaluation:audit_create": (PM_ONLY, PM_ONLY),
    "evaluation:audit_edit": (PM_ONLY, PM_ONLY),
    "evaluation:feedback_edit": (PM_ONLY, PM_ONLY),
    "evaluation:survey_import": (PM_ONLY, PM_ONLY),
    "evaluation:inspection_create": (PM_ONLY, PM_ONLY),
    "evaluation:inspection_edit": ("LXXXXXXXX", "LXXXXXXXX"),  # the loaded baseline is fixed
    "evaluation:recommendation_create": (PM_ONLY, PM_ONLY),
    "evaluation:recommendation_edit": (PM_ONLY, PM_ONLY),
    # Leads add findings for their own themes; the activity covers both leads' themes.
    "evaluation:finding_create": ("LX.XXX..X", "LX.XXX..X"),
    "evaluation:finding_edit": (THEME_EDIT, THEME_EDIT),
    "evaluation:evidence_add": (THEME_EDIT, THEME_EDIT),
    "evaluation:finding_milestone": (THEME_EDIT, THEME_EDIT),
    "evaluation:finding_risk": (THEME_EDIT, THEME_EDIT),
    "evaluation:evidence_download": READ_ONLY,
    "evaluation:area_themes": (PM_ONLY, PM_ONLY),
    # The Improvement Board: the programme manager changes calendars, rotas, packs and report
    # schedules; board members and the auditor read published packs; an action's owner updates
    # it (the first action is not owned by anyone here but the programme manager's reach).
    "board:index": READ_ONLY,
    "board:meeting": READ_ONLY,
    "board:meeting_add": (PM_ONLY, PM_ONLY),
    "board:meeting_schedule": (PM_ONLY, PM_ONLY),
    "board:meeting_edit": (PM_ONLY, PM_ONLY),
    "board:meeting_pins": (PM_ONLY, PM_ONLY),
    "board:meeting_cancel": (PM_ONLY, PM_ONLY),
    "board:minutes": (PM_ONLY, PM_ONLY),
    "board:decision_add": (PM_ONLY, PM_ONLY),
    "board:action_add": (PM_ONLY, PM_ONLY),
    "board:pack_build": (POST_ONLY, PM_ONLY),
    "board:rota_generate": (PM_ONLY, PM_ONLY),  # the preview; POST applies a previewed rota
    "board:rota_ics": READ_ONLY,
    "board:rota_history": ("LX.XX.XXX", "MMMMMMMMM"),
    "board:settings": (PM_ONLY, PM_ONLY),
    "board:actions": READ_ONLY,
    "board:action_update": (PM_ONLY, PM_ONLY),
    # A published pack: the board, the auditor and the lead of a theme in focus, who presents
    # it; the lead of a theme not in focus does not (a draft is the manager's: see below).
    "board:pack": ("LX.X...XX", "MMMMMMMMM"),
    "board:pack_pdf": ("LX.X...XX", "MMMMMMMMM"),
    "board:pack_chart": ("LX.X...XX", "MMMMMMMMM"),  # one of its charts, as its page
    "board:pack_publish": (PM_ONLY, PM_ONLY),
    "board:pack_reissue": (PM_ONLY, PM_ONLY),
    "board:reports": ("LX.XX.XXX", "MMMMMMMMM"),
    "board:schedule_edit": (PM_ONLY, PM_ONLY),
    "board:schedule_preview": (PM_ONLY, "MMMMMMMMM"),
    "board:schedule_make_now": (POST_ONLY, PM_ONLY),
    "board:report": ("LX.XX.XXX", "MMMMMMMMM"),
    "board:report_pdf": ("LX.XX.XXX", "MMMMMMMMM"),
    "board:report_retry": (POST_ONLY, "LX.XXXXXX"),
    # The self-evaluation (tests/matrix_objects.py: `self_evaluation_kwargs`): the index is for
    # those who read some of it; the signed-off one for board members and the auditor; the
    # draft's section on the impact of leaders for the leads of the themes that answer it.
    **SELF_EVALUATION,
}

# The same addresses with a query: a filter or an export never shows anyone more than the page.
# GET only (POST is refused as above). The allocation queue is the ledger filtered to `queue=1`.
LEDGER_FILTERS = ["queue=1", "line=project-manager", "period=1", "to=6", "line=resources&to=3"]
FILTERED: dict[tuple[str, str], str] = {
    **{
        (name, query): BUDGET_RECORDS
        for name in ("budget:ledger", "budget:ledger_csv", "budget:ledger_xlsx")
        for query in LEDGER_FILTERS
    },
    ("budget:queue", "page=1"): BUDGET_RECORDS,
    ("budget:year", "period=6"): READ,
    ("budget:report_csv", "period=6"): READ,
    ("budget:report_xlsx", "period=6"): READ,
    ("budget:line", "period=6"): READ,
}

# A chart at its own address is an image the browser keeps (privately) until its data changes,
# so a page of charts is not fetched again on every visit; every other answer is never kept.
KEPT_PRIVATELY = {"themes:measure_chart", "board:pack_chart", "budget:chart"}

# The admin checks model permissions on the role groups itself (tests/test_auth.py).
EXCLUDED_NAMESPACES = {"admin"}
ALLOWED = {200, 201, 204, 400, 401, 409}


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from _url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    names = set(_url_names())
    missing, stale = sorted(names - set(MATRIX)), sorted(set(MATRIX) - names)
    assert not missing, f"Add these URLs to the permission matrix: {missing}"
    assert not stale, f"These matrix rows name no URL: {stale}"


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo programme, loaded once for the module (each test's changes roll back)."""
    from tests.matrix_world import build_world

    with django_db_blocker.unblock():
        people = build_world()
        yield people
        call_command("flush", interactive=False, verbosity=0)


def _outcome(response) -> str:
    code = response.status_code
    if code == 302 and response["Location"].startswith(reverse("login")):
        return "L"
    if code in (302, 303) or code in ALLOWED:
        return "."
    return {403: "X", 404: "N", 405: "M"}.get(code, str(code))


def _outcomes(client, demo_world, url, methods=("get", "post"), *, kept=False) -> dict[str, str]:
    """Each method's outcomes for `url`, a letter per person in PEOPLE; fails if a signed-in
    person's answer may be cached (shared PCs), or, for a chart (`kept`), if a chart they may see
    is not kept privately or anything else they get is kept."""
    actual = dict.fromkeys(methods, "")
    kept_by_browser = []
    for username in PEOPLE:
        for method in methods:
            client.logout()
            if demo_world[username] is not None:
                client.force_login(demo_world[username])
            with actions.batch():  # what one person changes, the next does not see
                response = getattr(client, method)(url)
                actual[method] += _outcome(response)
                transaction.set_rollback(True)
            cache_control = response.get("Cache-Control", "")
            if kept and response.status_code == 200:
                assert "private" in cache_control and "immutable" in cache_control, url
            elif demo_world[username] is not None and "no-store" not in cache_control:
                kept_by_browser.append(f"{method.upper()} as {username}")
    assert not kept_by_browser, f"{url} may be cached for: {kept_by_browser}"
    return actual


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_person_gets_the_expected_outcome(client, db, demo_world, name):
    url = reverse(name, kwargs=kwargs_for(name))
    expected_get, expected_post = MATRIX[name]
    actual = _outcomes(client, demo_world, url, kept=name in KEPT_PRIVATELY)
    got = (actual["get"], actual["post"])
    assert got == (expected_get, expected_post), (
        f"MATRIX {name} {url} got GET {got[0]} POST {got[1]}"
    )


@pytest.mark.parametrize(("name", "query"), sorted(FILTERED))
def test_a_filter_or_an_export_shows_no_one_more_than_its_page(client, db, demo_world, name, query):
    url = f"{reverse(name, kwargs=kwargs_for(name))}?{query}"
    got = _outcomes(client, demo_world, url, methods=("get",))["get"]
    assert got == FILTERED[(name, query)], f"FILTERED {url} got GET {got}"


@pytest.mark.parametrize("name", ["board:pack", "board:pack_pdf"])
def test_a_pack_not_yet_published_is_the_programme_manager_s_alone(client, db, demo_world, name):
    """Even the lead of a theme in focus at its meeting reads a pack only once it is published."""
    from reporting.models import MeetingPack

    draft = MeetingPack.objects.exclude(status="published").filter(meeting__slots__isnull=False)
    draft = draft.order_by("pk").first()
    assert draft is not None, "the demo has the next meeting's pack ready, unpublished"
    url = reverse(name, kwargs={"pk": draft.pk})
    presenters = [s.theme.lead for s in draft.meeting.slots.select_related("theme__lead")]
    got = {}
    for user in [demo_world["programme.manager"], demo_world["board.member"], *presenters]:
        client.force_login(user)
        got[user.username] = _outcome(client.get(url))
    assert got.pop("programme.manager") == "."
    assert set(got.values()) == {"X"}, got
