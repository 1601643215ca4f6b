"""The plan as the cabinet report wrote it: each theme's objectives (sections 2.1–2.7) are its
PID's aims and scope, deliverables and partners, with or without the demo; section 3.2's review
is in the programme's record."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portfolio import loader
from programme.models import Programme
from themes.models import PID, PIDVersion

pytestmark = pytest.mark.django_db

# The report's own words that each theme's PID must carry (the list of specifics).
REPORT_OBJECTIVES = {
    "pathway-planning": [
        "Health Passport",
        "Personal Education Plans",
        "Leaving Well",
        "Digital Life Story Work",
        "co-production",
        "transition",
    ],
    "smart-planning": [
        "SMART",
        "guidance and exemplars",
        "Children in Need",
        "Child Protection",
        "Strategy Discussions",
        "returning home from care",
    ],
    "supervision": ["'good' supervision", "group and peer supervision", "'offer' of supervision"],
    "case-recording": [
        "new case management system",
        "quality assurance framework for data quality",
    ],
    "adolescent-safeguarding": [
        "Serious Youth Violence",
        "Child Sexual Exploitation",
        "Missing",
        "Criminal Exploitation",
        "County Lines",
        "Radicalisation",
        "contextual safeguarding",
    ],
    "quality-assurance": ["auditing activity reviewed", "Ofsted", "robust framework"],
    "workforce-development": [
        "Social Care Academy",
        "career progression and fast-track",
        "national accreditation",
        "PDR",
        "Recruitment, retention, induction and recognition",
    ],
}


def _pid_text(pid) -> str:
    return "\n".join(getattr(pid, name) for name in PID.PLAN_FIELDS)


def test_a_fresh_load_without_the_demo_gives_every_pid_the_reports_objectives():
    call_command("load_programme", stdout=StringIO())

    pids = {pid.theme.slug: pid for pid in PID.objects.select_related("theme")}
    assert set(pids) == set(REPORT_OBJECTIVES)
    for slug, phrases in REPORT_OBJECTIVES.items():
        pid = pids[slug]
        assert pid.aims and pid.scope and pid.deliverables, slug
        text = _pid_text(pid)
        for phrase in phrases:
            assert phrase in text, (slug, phrase)
    assert pids["pathway-planning"].partners.splitlines() == ["Health", "Education"]
    assert "Health Passport" in pids["pathway-planning"].deliverables.splitlines()[0]


def test_the_review_after_the_first_year_is_in_the_programmes_record():
    call_command("load_programme", stdout=StringIO())
    programme = Programme.objects.get()
    assert programme.review_due == dt.date(2020, 3, 31)
    assert "After the first year the programme will be reviewed" in programme.review_plan
    roles = programme.roles_after_review.splitlines()
    assert "QA Support Officer" in roles and "Project Manager" in roles


def test_loading_again_changes_nothing_and_never_overwrites_what_a_lead_wrote():
    call_command("load_programme", stdout=StringIO())
    pid = PID.objects.get(theme__slug="supervision")
    pid.aims = "Our own aims, as the theme group agreed them."
    pid.save()

    out = StringIO()
    call_command("load_programme", stdout=out)

    assert "already up to date; nothing changed" in out.getvalue()
    pid.refresh_from_db()
    assert pid.aims == "Our own aims, as the theme group agreed them."
    assert "group and peer supervision" in pid.deliverables


def test_a_blanked_pid_field_is_filled_from_the_plan_again():
    call_command("load_programme", stdout=StringIO())
    PID.objects.filter(theme__slug="quality-assurance").update(scope="")

    out = StringIO()
    call_command("load_programme", stdout=out)

    assert "Updated 1 PIDs" in out.getvalue()
    assert "auditing" in PID.objects.get(theme__slug="quality-assurance").scope


def test_a_theme_whose_deliverables_are_not_a_list_is_refused_whole_with_its_place_named():
    data = loader.read_data_file(loader.DEFAULT_DATA_FILE)
    data["themes"][3]["deliverables"] = {"one": "two"}

    with pytest.raises(loader.ProgrammeDataError, match='themes, item 4: "deliverables"'):
        loader.programme_load(data=data)

    assert not Programme.objects.exists()
    assert not PID.objects.exists()


def test_a_bad_review_date_is_refused_by_the_command_with_its_place_named(tmp_path):
    text = loader.DEFAULT_DATA_FILE.read_text().replace("due: 2020-03-31", "due: 31/03/2020")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)

    with pytest.raises(CommandError, match="Nothing was loaded. programme, review: '31/03/2020'"):
        call_command("load_programme", str(bad), stdout=StringIO())
    assert not PID.objects.exists()


def test_the_demo_adds_progress_on_top_of_the_plan_and_keeps_its_text(settings):
    settings.DEBUG = True
    call_command("load_programme", "--demo", stdout=StringIO())

    for slug, phrases in REPORT_OBJECTIVES.items():
        approved = PIDVersion.objects.get(theme__slug=slug, number=1)
        text = _pid_text(approved)
        for phrase in phrases:
            assert phrase in text, (slug, phrase)
        assert approved.outcomes and approved.governance  # the demo's working detail


def test_about_the_programme_shows_the_review_and_the_roles_in_question(client, board_member):
    client.force_login(board_member)
    html = client.get("/about/").content.decode()
    assert "After the first year" in html
    assert "31 March 2020" in html
    assert "<li>Family Therapists (five roles)</li>" in html
    assert 'href="/themes/"' in html  # the dashboard, one click away


def test_a_theme_page_shows_its_deliverables_and_partners_from_the_plan(client, board_member):
    client.force_login(board_member)
    html = client.get("/themes/pathway-planning/").content.decode()
    assert "<li>A Health Passport</li>" in html
    assert "Digital Life Story Work" in html
    assert "Health<br>Education" in html
