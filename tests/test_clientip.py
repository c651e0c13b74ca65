"""The client behind the proxies: each client counted on its own, a forged header counted as nothing."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from gunicorn.config import Config

from gtws_site.clientip import AccessLogger, client_address

ATTACKER, FAN, PROXY = "203.0.113.66", "198.51.100.7", "10.0.0.2"
PASSWORD = "a-long-Passw0rd-for-tests"


@pytest.fixture
def fan_account(db):
    user = get_user_model().objects.create_user("fan", "fan@example.com", PASSWORD)
    EmailAddress.objects.create(user=user, email="fan@example.com", verified=True, primary=True)
    return user


def sign_in(client, email, password, forwarded_for):
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def is_refused(response):
    return response.status_code == 429 or "Too many failed login attempts" in response.content.decode()


def test_behind_one_proxy_an_attacker_is_stopped_and_a_fan_elsewhere_still_signs_in(
    client, fan_account, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    # Ten wrong passwords a minute from one address (each for another account, so only the
    # address counts); the attacker also writes addresses of their own in front of the proxy's.
    tries = [
        sign_in(client, f"victim{n}@example.com", "wrong", f"192.0.2.{n}, {ATTACKER}") for n in range(11)
    ]
    assert [is_refused(response) for response in tries] == [False] * 10 + [True]

    fan = sign_in(client, "fan@example.com", PASSWORD, FAN)
    assert fan.status_code == 302 and fan["Location"] == "/"


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(client, fan_account, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    tries = [sign_in(client, f"victim{n}@example.com", "wrong", f"192.0.2.{n}") for n in range(11)]
    assert [is_refused(response) for response in tries] == [False] * 10 + [True]
    # The connecting address is what counts: a new X-Forwarded-For buys nothing.
    assert is_refused(sign_in(client, "fan@example.com", PASSWORD, FAN))


@pytest.mark.django_db
def test_sign_up_is_limited_per_client_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def sign_up(address):
        return client.post("/accounts/signup/", {}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)

    statuses = [sign_up(ATTACKER).status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]  # the empty form is shown again, until the limit
    assert sign_up(FAN).status_code == 200


@pytest.mark.django_db
def test_password_reset_is_limited_per_client_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def reset(email, address):
        return client.post(
            "/accounts/password/reset/", {"email": email}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address
        )

    statuses = [reset(f"someone{n}@example.com", ATTACKER).status_code for n in range(11)]
    assert statuses == [302] * 10 + [429]
    assert reset("fan@example.com", FAN).status_code == 302


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "proxies", "client"),
    [
        ("10.0.0.2", "", 0, "10.0.0.2"),
        ("10.0.0.2", "203.0.113.66", 0, "10.0.0.2"),  # no proxy trusted: the header is the client's word
        ("10.0.0.2", "203.0.113.66", 1, "203.0.113.66"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.66", 1, "203.0.113.66"),  # the left entry was forged
        ("10.0.0.3", "203.0.113.66, 10.0.0.2", 2, "203.0.113.66"),  # two proxies, each appending
        ("10.0.0.2", " 203.0.113.66 ", 1, "203.0.113.66"),
        ("10.0.0.2", "[2001:db8::66]:4711", 1, "2001:db8::66"),
        ("10.0.0.2", "203.0.113.66:4711", 1, "203.0.113.66"),
        ("10.0.0.2", "2001:DB8:0:0::66", 1, "2001:db8::66"),
        ("10.0.0.2", "203.0.113.66", 2, "10.0.0.2"),  # shorter than the count: did not pass both proxies
        ("10.0.0.2", "not-an-address", 1, "10.0.0.2"),
        ("10.0.0.2", "1.2.3.4, ", 1, "10.0.0.2"),
        ("10.0.0.2", "<script>, 999.1.1.1", 1, "10.0.0.2"),
        ("", "", 0, "unknown"),
    ],
)
def test_the_client_address_is_the_nth_from_the_right_or_the_connecting_one(
    remote_addr, forwarded_for, proxies, client
):
    assert client_address(remote_addr, forwarded_for, proxies) == client


def test_the_access_log_names_the_client_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    environ = {
        "REMOTE_ADDR": PROXY,
        "HTTP_X_FORWARDED_FOR": f"192.0.2.1, {FAN}",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/",
        "QUERY_STRING": "",
    }
    response = SimpleNamespace(status="200 OK", sent=2, headers=[])
    request = SimpleNamespace(headers=[])
    atoms = AccessLogger(Config()).atoms(response, request, environ, timedelta(milliseconds=3))
    assert atoms["h"] == FAN
