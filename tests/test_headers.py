"""What every answer tells the browser, where the browser reports violations, and security.txt."""

import json
import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_site import run_manage

pytestmark = pytest.mark.django_db

DENIED = ("camera", "microphone", "geolocation", "payment", "usb")


def assert_locked_down(response):
    features = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    assert all(features[feature] == "()" for feature in DENIED)
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_pages_cached_pages_and_errors_deny_browser_features_and_cross_origin_loads(client, demo):
    first = client.get(reverse("results:home"))
    again = client.get(reverse("results:home"))  # answered by the page cache's middleware
    missing = client.get("/no-such-page/")
    assert (first.status_code, again.status_code, missing.status_code) == (200, 200, 404)
    for response in (first, again, missing):
        assert_locked_down(response)


def test_the_sites_own_stylesheet_still_loads_with_cross_origin_resource_policy(client, demo, settings):
    settings.WHITENOISE_USE_FINDERS = True  # whitenoise serves the files as after collectstatic
    page = client.get(reverse("results:home")).content.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in stylesheets
    for href in stylesheets:
        assert href.startswith("/static/")  # same origin as the page: same-origin allows it
        response = client.get(href)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
        assert_locked_down(response)
    assert b"Bootstrap" in b"".join(client.get(stylesheets[0]).streaming_content)


# --- CSP violation reports ---------------------------------------------------------------------------

REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": "https://gtws.example.org/reports/montreal/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://evil.example/x.js",
        "source-file": "https://gtws.example.org/reports/montreal/",
        "line-number": 12,
    }
}
REPORT_TO_BODY = [
    {
        "type": "csp-violation",
        "url": "https://gtws.example.org/",
        "body": {
            "documentURL": "https://gtws.example.org/",
            "effectiveDirective": "img-src",
            "blockedURL": "https://tracker.example/pixel.gif",
            "disposition": "enforce",
        },
    }
]


def report(client, body, content_type="application/csp-report", **extra):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post("/csp-report/", data, content_type=content_type, **extra)


def test_the_policy_sends_violation_reports_to_the_site_itself(client, demo):
    response = client.get(reverse("results:home"))
    policy = response["Content-Security-Policy"]
    assert "report-uri /csp-report/" in policy and "report-to csp-endpoint" in policy
    assert response["Reporting-Endpoints"] == 'csp-endpoint="/csp-report/"'


@pytest.mark.parametrize(
    ("body", "content_type", "logged"),
    [
        (REPORT_URI_BODY, "application/csp-report", "script-src-elem blocked https://evil.example/x.js"),
        (REPORT_TO_BODY, "application/reports+json", "img-src blocked https://tracker.example/pixel.gif"),
    ],
)
def test_a_browsers_report_is_logged_in_one_line_and_answered_204(caplog, body, content_type, logged):
    browser = Client(enforce_csrf_checks=True)  # browsers send no CSRF token with a report
    with caplog.at_level(logging.WARNING, logger="gtws_site.views"):
        response = report(browser, body, content_type, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 204
    [line] = [record.getMessage() for record in caplog.records]
    assert line.startswith("CSP violation from 198.51.100.7: ") and logged in line


def test_a_forged_report_cannot_write_lines_of_its_own_into_the_log(client, caplog):
    forged = {"csp-report": {**REPORT_URI_BODY["csp-report"], "blocked-uri": "x\nERROR admin logged in"}}
    with caplog.at_level(logging.WARNING, logger="gtws_site.views"):
        assert report(client, forged).status_code == 204
    assert "\n" not in caplog.records[0].getMessage()


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"not json", "application/csp-report", 400),
        (b"\xff\xfe\x00", "application/csp-report", 400),
        (b"[" * 8000, "application/reports+json", 400),  # nested deeper than the parser goes
        (b'{"csp-report": "a string"}', "application/csp-report", 400),
        (b"[1, 2, null]", "application/reports+json", 400),
        (b"{}", "application/csp-report", 400),
        (b" ", "application/csp-report", 400),
        (b"x" * 20_000, "application/csp-report", 413),
        (b"<report/>", "text/xml", 415),
        (b"a=b", "application/x-www-form-urlencoded", 415),
    ],
)
def test_junk_is_refused_plainly_never_with_a_server_error(client, body, content_type, status):
    assert report(client, body, content_type).status_code == status


def test_the_report_endpoint_takes_only_posts(client):
    assert client.get("/csp-report/").status_code == 405


def test_reports_are_limited_per_client_address(client, settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr("community.ratelimit.clock", lambda: 1_800_000_030.0)  # no window ends mid-test

    def from_(address):
        return report(client, REPORT_URI_BODY, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)

    statuses = [from_("203.0.113.66").status_code for _ in range(31)]
    assert statuses == [204] * 30 + [429]
    assert from_("198.51.100.7").status_code == 204  # another browser behind the same proxy


# --- security.txt ------------------------------------------------------------------------------------


def fields(text):
    return [tuple(line.split(": ", 1)) for line in text.splitlines() if line]


def test_security_txt_says_whom_to_tell_until_when(client, settings):
    settings.SITE_URL = "https://gtws.example.org"
    settings.SECURITY_CONTACTS = ["mailto:security@gtws.example.org", "https://gtws.example.org/contact/"]
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    found = fields(response.content.decode())
    assert [name for name, _ in found] == [
        "Contact",
        "Contact",
        "Expires",
        "Preferred-Languages",
        "Canonical",
    ]
    values = dict(found)
    assert [value for name, value in found if name == "Contact"] == settings.SECURITY_CONTACTS
    assert values["Canonical"] == "https://gtws.example.org/.well-known/security.txt"
    assert values["Preferred-Languages"] == "en"
    expires = datetime.strptime(values["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    now = datetime.now(UTC)
    assert now + timedelta(days=364) < expires <= now + timedelta(days=365)  # RFC 9116: under a year


def test_security_txt_in_production_names_the_sites_host_by_default():
    shell = (
        "from django.test import Client; "
        "print(Client().get('/.well-known/security.txt', HTTP_HOST='gtws.example.org', secure=True)"
        ".content.decode())"
    )
    done = run_manage(
        "shell",
        "--no-imports",
        "-c",
        shell,
        DEBUG="0",
        SECRET_KEY="a-production-secret-that-is-long-and-random-enough-0123456789abcdef",
        ALLOWED_HOSTS="gtws.example.org",
    )
    assert done.returncode == 0, done.stderr
    values = dict(fields(done.stdout))
    assert values["Contact"] == "mailto:security@gtws.example.org"
    assert values["Canonical"] == "https://gtws.example.org/.well-known/security.txt"
