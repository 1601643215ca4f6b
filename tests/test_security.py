import io
import json
import logging
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from freezegun import freeze_time

from havering_improve import security
from havering_improve.uploads import name_has_case_identifier, validate_upload

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy_and_framing_and_referrer_headers(
    client, board_member
):
    client.force_login(board_member)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_is_httponly_and_samesite(client, lead):
    response = client.post("/accounts/login/", {"username": "lead", "password": "secret-pass-123"})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_five_failed_sign_ins_lock_the_username_out_and_are_logged(client, lead, caplog):
    caplog.set_level(logging.INFO, logger="havering_improve.security")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "lead", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "lead", "password": "secret-pass-123"})
    assert response.status_code == 429
    assert "Sign-in locked for now" in response.content.decode()
    assert "Wait 15 minutes" in response.content.decode()
    events = [r.getMessage() for r in caplog.records if r.name == "havering_improve.security"]
    assert events.count("login_failed") >= 5
    assert "lockout" in events


def test_a_successful_sign_in_is_logged_with_user_and_address(client, lead, caplog):
    caplog.set_level(logging.INFO, logger="havering_improve.security")
    client.post(
        "/accounts/login/",
        {"username": "lead", "password": "secret-pass-123"},
        REMOTE_ADDR="10.1.2.3",
    )
    record = next(r for r in caplog.records if r.getMessage() == "login")
    line = json.loads(security.JsonLinesFormatter().format(record))
    assert line["event"] == "login"
    assert line["user"] == "lead"
    assert line["ip"] == "10.1.2.3"
    assert line["time"].endswith("+00:00")


def test_a_permission_denial_is_logged(client, no_role_user, caplog):
    caplog.set_level(logging.INFO, logger="havering_improve.security")
    client.force_login(no_role_user)
    client.get("/themes/")
    record = next(r for r in caplog.records if r.getMessage() == "permission_denied")
    assert record.security["user"] == "norole"
    assert record.security["path"] == "/themes/"


def test_the_client_address_trusts_only_the_configured_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 81.2.69.160"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert security.client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert security.client_ip(request) == "81.2.69.160"


def test_an_idle_session_is_signed_out_with_a_message(client, board_member):
    with freeze_time("2026-11-26 09:00:00") as frozen:
        client.force_login(board_member)
        assert client.get("/").status_code == 200
        frozen.tick(29 * 60)
        assert client.get("/").status_code == 200
        frozen.tick(31 * 60)
        response = client.get("/themes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?timeout=1")
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had not done anything for a while" in page


def test_staying_signed_in_extends_the_session(client, board_member):
    with freeze_time("2026-11-26 09:00:00") as frozen:
        client.force_login(board_member)
        client.get("/")
        frozen.tick(25 * 60)
        assert client.get("/accounts/session/extend/").status_code == 204
        frozen.tick(25 * 60)
        assert client.get("/").status_code == 200


def test_extending_a_session_needs_one(client):
    assert client.get("/accounts/session/extend/").status_code == 401


@pytest.mark.parametrize("path", ["/privacy/", "/accessibility/"])
def test_the_privacy_notice_and_accessibility_statement_need_no_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "govuk-heading-xl" in response.content.decode()


def test_the_privacy_notice_says_the_service_holds_no_case_records(client):
    assert "Children's case records" in client.get("/privacy/").content.decode()


def _docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_an_upload_is_recognised_by_its_content():
    assert validate_upload(SimpleUploadedFile("audit.pdf", b"%PDF-1.7\n...")) == "pdf"
    assert validate_upload(SimpleUploadedFile("minutes.docx", _docx_bytes())) == "docx"


def test_a_file_whose_content_is_not_what_its_name_says_is_refused():
    with pytest.raises(ValidationError, match="must be a PDF"):
        validate_upload(SimpleUploadedFile("audit.pdf", b"MZ\x90\x00 not really a pdf"))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("audit.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="smaller than 1 MB"):
        validate_upload(big)


@pytest.mark.parametrize("name", ["943 476 5919 audit.pdf", "case-9434765919.pdf"])
def test_a_file_name_with_an_nhs_number_is_refused_with_the_reason(name):
    with pytest.raises(ValidationError, match="looks like it contains an NHS number"):
        validate_upload(SimpleUploadedFile(name, b"%PDF-1.7"))


def test_ten_digit_numbers_that_fail_the_nhs_check_digit_are_not_mistaken_for_one():
    assert name_has_case_identifier("9434765919.pdf")
    assert not name_has_case_identifier("invoice 1234567890.pdf")
    assert not name_has_case_identifier("budget-2019-20.xlsx")


def test_exports_are_written_to_the_security_log(client, finance_officer, caplog):
    caplog.set_level(logging.INFO, logger="havering_improve.security")
    client.force_login(finance_officer)
    response = client.get("/budget/2019-20/report.csv")
    assert response.status_code == 200
    record = next(r for r in caplog.records if r.getMessage() == "export")
    assert record.security["user"] == "finance"
    assert record.security["file"].startswith("budget-monitoring-2019-20")
