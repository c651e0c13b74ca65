"""Accounts: sign-up tells nobody which addresses have an account, mail leaves through the task
queue, pages for a signed-in person are never stored, staff open the admin with a second factor."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_tasks import default_task_backend

from community import mail as community_mail
from community.moderators import ensure_moderators_group
from results.cache import pages
from results.editors import ensure_editors_group
from tests.twofactor import totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passw0rd-for-tests"
ROOT = Path(__file__).resolve().parents[1]


def make_account(email, verified=True, **fields):
    user = get_user_model().objects.create_user(email.split("@")[0], email, PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def sign_up(client, email, ip="203.0.113.7"):
    return client.post(
        "/accounts/signup/",
        {"email": email, "display_name": "Someone", "password1": PASSWORD, "password2": PASSWORD},
        REMOTE_ADDR=ip,
    )


class CountingHasher(MD5PasswordHasher):
    """A fast hasher that counts the passwords it hashed."""

    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


# --- Sign-up: the same answer, the same work, for new and known addresses ---------------------------


def test_sign_up_with_a_known_address_answers_as_a_new_one_and_mails_the_owner(queued_mail):
    make_account("known@example.com")
    newcomer, someone = Client(), Client()
    new = sign_up(newcomer, "new@example.com")
    known = sign_up(someone, "known@example.com", ip="203.0.113.8")

    assert new.status_code == known.status_code == 302
    assert new["Location"] == known["Location"] == "/accounts/confirm-email/"
    page_new = newcomer.get(new["Location"]).content.decode().replace("new@example.com", "ADDRESS")
    page_known = someone.get(known["Location"]).content.decode().replace("known@example.com", "ADDRESS")
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", page_new) == strip.sub("", page_known)
    assert get_user_model().objects.filter(email="known@example.com").count() == 1

    # Nothing was sent while the fan waited: two messages queued for the task worker.
    assert mail.outbox == []
    to_new, to_known = [result.kwargs for result in queued_mail.queued]
    assert to_new["to"] == ["new@example.com"]
    assert to_new["subject"] == "[GTWS fan site] Please Confirm Your Email Address"
    assert "http://testserver/accounts/confirm-email/" in to_new["body"]
    assert to_known["to"] == ["known@example.com"]
    assert to_known["subject"] == "[GTWS fan site] Account Already Exists"
    assert "http://testserver/accounts/password/reset/" in to_known["body"]

    # The worker sends them as they were queued.
    sent = queued_mail.deliver()
    assert [(message.to, message.subject) for message in sent] == [
        (["new@example.com"], to_new["subject"]),
        (["known@example.com"], to_known["subject"]),
    ]
    assert sent[0].body == to_new["body"]


def test_sign_up_hashes_one_password_for_a_new_or_a_known_address(client, settings):
    make_account("known@example.com")
    settings.PASSWORD_HASHERS = ["tests.test_accounts.CountingHasher"]

    CountingHasher.hashed = 0
    sign_up(client, "new@example.com")
    for_new = CountingHasher.hashed

    CountingHasher.hashed = 0
    sign_up(client, "known@example.com", ip="203.0.113.8")
    assert CountingHasher.hashed == for_new == 1


def test_password_reset_answers_alike_for_known_and_unknown_addresses(queued_mail):
    make_account("known@example.com")
    known = Client().post("/accounts/password/reset/", {"email": "known@example.com"})
    unknown = Client().post("/accounts/password/reset/", {"email": "unknown@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/done/"
    assert mail.outbox == []
    to_known, to_unknown = [result.kwargs for result in queued_mail.queued]
    assert to_known["to"] == ["known@example.com"] and "/accounts/password/reset/key/" in to_known["body"]
    assert (
        to_unknown["to"] == ["unknown@example.com"]
        and "/accounts/password/reset/key/" not in to_unknown["body"]
    )


class RefusingMailServer:
    """A mail server that cannot be reached."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_sign_up_does_not_wait_on_the_mail_server(client, settings):
    settings.EMAIL_BACKEND = "tests.test_accounts.RefusingMailServer"
    assert sign_up(client, "new@example.com").status_code == 302
    assert get_user_model().objects.filter(email="new@example.com").exists()


@pytest.mark.django_db(transaction=True)  # the worker closes its connection, as a process of its own does
def test_the_task_worker_sends_the_sign_up_mail_from_the_database_queue(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sign_up(client, "new@example.com")
    assert mail.outbox == []
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    [message] = mail.outbox
    assert message.to == ["new@example.com"] and "/accounts/confirm-email/" in message.body


def test_a_queued_message_keeps_its_html_part(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    message = mail.EmailMultiAlternatives("Hello", "Plain", "site@example.com", ["fan@example.com"])
    message.attach_alternative("<p>Rich</p>", "text/html")
    community_mail.queue(message)
    [queued] = default_task_backend.results
    queued.task.call(*queued.args, **queued.kwargs)
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.alternatives[0][0]) == ("Hello", "Plain", "<p>Rich</p>")


# --- Pages that show an account are nobody else's -------------------------------------------------

REPORT = "/reports/2024-montreal-nations-cup-miyazono-leads/"
PUBLIC_PAGES = ["/", REPORT, "/2024/", "/2024/nations-cup/standings/"]


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_every_page_for_a_signed_in_fan_is_private_and_never_stored(client, demo):
    fan = make_account("pete@example.com")
    client.force_login(fan)
    for path in [*PUBLIC_PAGES, "/profile/", "/accounts/email/", "/accounts/password/change/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert {"private", "no-store"} <= cache_control(response), path
        assert "public" not in cache_control(response), path
    for path in PUBLIC_PAGES:
        assert not pages.is_cached(path), path

    anonymous = Client().get(REPORT)
    assert "public" in cache_control(anonymous) and "no-store" not in cache_control(anonymous)
    html = anonymous.content.decode()
    assert "pete" not in html.lower() and "Add a comment" not in html and "Sign up to comment" in html


def test_account_pages_are_private_for_anyone(client, demo):
    for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert {"private", "no-store"} <= cache_control(response), path
    refused = client.post("/accounts/login/", {"login": "nobody@example.com", "password": "wrong"})
    assert {"private", "no-store"} <= cache_control(refused)


# --- Two factors for staff ------------------------------------------------------------------------


def make_staff(kind, email="staff@example.com"):
    if kind == "superuser":
        return make_account(email, is_staff=True, is_superuser=True)
    user = make_account(email, is_staff=True)
    user.groups.add(ensure_editors_group() if kind == "editor" else ensure_moderators_group())
    return user


def sign_in(client, email, next_url="/admin/"):
    return client.post(f"/accounts/login/?next={next_url}", {"login": email, "password": PASSWORD})


def set_up_authenticator(client):
    """Through the pages a staff member sees: confirm the password, scan, type a code. The secret.

    allauth announces the new authenticator after its transaction commits (tests that call this
    commit: ``transaction=True``).
    """
    confirm = client.post(
        "/accounts/reauthenticate/", {"password": PASSWORD, "next": "/accounts/2fa/totp/activate/"}
    )
    page = client.get(confirm["Location"]).content.decode()
    secret = re.search(r'id="authenticator_secret"\s+value="([A-Z2-7]+)"', page)[1]
    activated = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert activated.status_code == 302 and activated["Location"] == "/accounts/2fa/recovery-codes/"
    return secret


def opens_the_admin(client):
    page = client.get("/admin/")
    return page.status_code == 200 and "Racing data and race reports" in page.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["editor", "moderator", "superuser"])
def test_staff_without_a_second_factor_set_one_up_before_the_admin_opens(client, kind):
    make_staff(kind)
    assert sign_in(client, "staff@example.com")["Location"] == "/admin/"

    sent = client.get("/admin/")
    assert sent.status_code == 302 and sent["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/admin/community/comment/")["Location"] == "/accounts/2fa/totp/activate/"
    # Allauth asks for the password again before an authenticator is added.
    asked = client.get(sent["Location"], follow=True)
    assert "Staff accounts open the admin with a second factor." in asked.content.decode()
    assert "Confirm Access" in asked.content.decode()

    set_up_authenticator(client)
    codes = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert "The admin now opens for you." in codes
    assert len(re.findall(r"\b\d{8}\b", codes)) >= 10  # recovery codes, shown to keep
    assert opens_the_admin(client)

    # Turned off again: the admin closes until it is set up again.
    assert client.post("/accounts/2fa/totp/deactivate/").status_code == 302
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.django_db(transaction=True)
def test_staff_with_an_authenticator_give_a_code_at_sign_in_and_then_the_admin_opens(client):
    make_staff("editor")
    sign_in(client, "staff@example.com")
    secret = set_up_authenticator(client)
    client.post("/accounts/logout/")

    asked = sign_in(client, "staff@example.com")
    assert asked.status_code == 302 and asked["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")  # not signed in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "Incorrect code." in wrong.content.decode()
    assert client.get("/admin/")["Location"].startswith("/admin/login/")

    right = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert opens_the_admin(client)


def test_staff_signed_in_without_giving_their_code_are_asked_for_it(
    client, django_capture_on_commit_callbacks
):
    """A session from before the second factor was needed (or before the account became staff)."""
    staff = make_staff("moderator")
    sign_in(client, "staff@example.com")
    secret = set_up_authenticator(client)
    older = Client()
    older.force_login(staff)

    asked = older.get("/admin/community/comment/")
    assert asked.status_code == 302
    assert asked["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2Fcommunity%2Fcomment%2F"
    back = older.post(asked["Location"], {"code": totp_code(secret)})
    assert back["Location"] == "/admin/community/comment/"
    assert older.get("/admin/community/comment/").status_code == 200


def test_fans_are_never_asked_for_a_second_factor(client, demo):
    make_account("fan@example.com")
    assert sign_in(client, "fan@example.com", next_url=REPORT)["Location"] == REPORT
    assert client.get(REPORT).status_code == 200 and client.get("/profile/").status_code == 200
    assert client.get("/admin/")["Location"].startswith("/admin/login/")  # no admin for fans at all


def test_the_demo_editor_is_let_in_without_a_second_factor_only_while_debug_is_on(client, settings):
    editor = make_staff("editor", email="editor@example.com")
    settings.STAFF_MFA_EXEMPT = ["editor@example.com"]
    client.force_login(editor)

    settings.DEBUG = False
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"
    settings.DEBUG = True
    assert opens_the_admin(client)
    other = Client()
    other.force_login(make_staff("editor", email="another@example.com"))
    assert other.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


def test_production_settings_refuse_the_exemption():
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "a-test-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "gtws.example.org",
        "STAFF_MFA_EXEMPT": "editor@example.com",
    }
    run = subprocess.run(
        [sys.executable, "-c", "import gtws_site.settings"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode != 0
    assert "STAFF_MFA_EXEMPT lets staff into the admin without a second factor" in run.stderr
    environment.pop("STAFF_MFA_EXEMPT")
    assert (
        subprocess.run([sys.executable, "-c", "import gtws_site.settings"], env=environment).returncode == 0
    )
