"""Accounts and comments, and the attacks a comment site meets: each refused, nothing changed."""

import re
import threading
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import Comment, Flag, Profile
from community.moderators import ensure_moderators_group
from tests.twofactor import sign_in_staff

pytestmark = pytest.mark.django_db

REPORT = "/reports/2024-montreal-nations-cup-miyazono-leads/"
POST = "/reports/2024-montreal-nations-cup-miyazono-leads/comments/"


def make_fan(name="Pete", email=None, verified=True):
    email = email or f"{name.lower()}@example.com"
    user = get_user_model().objects.create_user(name.lower(), email, "a-long-Passw0rd-for-tests")
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    user.profile.display_name = name
    user.profile.save()
    return user


@pytest.fixture
def report(demo):
    from results.models import RaceReport

    return RaceReport.objects.get()


@pytest.fixture
def fan(report):
    return make_fan("Pete")


@pytest.fixture
def fan_client(client, fan):
    client.force_login(fan)
    return client


def comments_html(client, url=REPORT):
    html = client.get(url).content.decode()
    return html[html.index('id="comments"') :]


# --- Reading and signing up -------------------------------------------------------------------------


def test_anonymous_readers_see_every_change_to_a_thread(client, report, fan, monkeypatch):
    from results.cache import pages

    monkeypatch.setattr(pages, "SOFT_REFRESH_SECONDS", 0)  # every read refreshes the comment section
    other = make_fan("Quinn")
    top = Comment.objects.create(report=report, author=fan, body="Tyre call won it.")
    reply = Comment.objects.create(report=report, author=other, parent=top, body="Agreed, softs!")
    untouched = Comment.objects.create(report=report, author=other, body="Great race overall.")
    assert "Agreed, softs!" in comments_html(client)  # each thread is kept as a fragment from here on
    Comment.objects.filter(pk=reply.pk).update(body="Agreed, mediums!", edited_at=timezone.now())
    section = comments_html(client)
    assert "Agreed, mediums!" in section and "Agreed, softs!" not in section
    assert "Great race overall." in section
    Profile.objects.filter(user=other).update(display_name="Quinn the Quick")
    assert comments_html(client).count("Quinn the Quick") == 2  # the reply and the other thread
    Comment.objects.filter(pk=reply.pk).update(is_hidden=True)  # a moderator hides the reply
    section = comments_html(client)
    assert "Agreed, mediums!" not in section and "Tyre call won it." in section
    Comment.objects.filter(pk=untouched.pk).update(is_removed=True)
    assert "This comment was deleted by its author." in comments_html(client)


def test_a_new_comment_renders_only_its_own_thread_again(client, report, fan, monkeypatch):
    from django.core.cache import caches

    from results.cache import pages

    monkeypatch.setattr(pages, "SOFT_REFRESH_SECONDS", 0)
    threads = [Comment.objects.create(report=report, author=fan, body=f"Thread {n}") for n in range(3)]
    fresh = comments_html(client)
    Comment.objects.create(report=report, author=fan, parent=threads[1], body="A reply")
    response = client.get(REPORT)
    shown = [template.name for template in response.templates if template.name == "community/_comment.html"]
    assert len(shown) == 2  # thread 1 and its new reply; threads 0 and 2 come from the cache
    Comment.objects.filter(body="A reply").delete()  # thread 1 is as it was: every thread is cached
    store, asked_one_by_one, in_one_trip = caches["pages"], [], []
    get, get_many = store.get, store.get_many

    def one_key(key, *args, **kwargs):
        if not in_one_trip:
            asked_one_by_one.append(key)
        return get(key, *args, **kwargs)

    def many_keys(keys, *args, **kwargs):
        in_one_trip.append(keys)
        try:
            return get_many(keys, *args, **kwargs)  # locmem's get_many asks get() for each key
        finally:
            in_one_trip.pop()

    monkeypatch.setattr(store, "get", one_key)
    monkeypatch.setattr(store, "get_many", many_keys)
    from_fragments = comments_html(client)
    assert " ".join(from_fragments.split()) == " ".join(fresh.split())
    assert not [key for key in asked_one_by_one if "comment-thread" in key]  # all in one get_many


def thread_texts(section):
    """What each comment of a section shows: its id, author, time, edited mark and text or removal."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", match).split())
        for match in re.findall(r'<article aria-labelledby="comment-\d+-by">(.*?)</article>', section, re.S)
    ]


def test_readers_signed_in_or_not_see_the_same_threads(client, report, fan):
    other = make_fan("Quinn")
    nameless = get_user_model().objects.create_user("noprofile", "np@example.com", "a-long-Passw0rd-x")
    nameless.profile.delete()
    top = Comment.objects.create(report=report, author=fan, body="Tyre call won it.")
    Comment.objects.create(report=report, author=other, parent=top, body="Agreed, softs!")
    Comment.objects.create(report=report, author=nameless, parent=top, body="No profile here.")
    hidden = Comment.objects.create(report=report, author=other, parent=top, body="Hidden reply")
    Comment.objects.filter(pk=hidden.pk).update(is_hidden=True)
    gone = Comment.objects.create(report=report, author=other, body="Removed one")
    Comment.objects.create(report=report, author=fan, parent=gone, body="Reply to the removed one")
    Comment.objects.filter(pk=gone.pk).update(is_removed=True, edited_at=timezone.now())
    leaver = make_fan("Leaver")
    Comment.objects.create(report=report, author=leaver, body="I will delete my account.")
    leaver.delete()
    anonymous = thread_texts(comments_html(client))
    reader = Client()
    reader.force_login(make_fan("Reader"))
    signed_in = [
        re.sub(r" (Edit · )?(Delete|Flag)$", "", text) for text in thread_texts(comments_html(reader))
    ]
    assert anonymous == signed_in
    joined = "\n".join(anonymous)
    assert "Hidden reply" not in joined and "noprofile" in joined and "deleted user" in joined
    assert [text.split(" ·")[0] for text in anonymous] == [
        "Pete",
        "Quinn",
        "noprofile",
        "Quinn",
        "Pete",
        "deleted user",
    ]
    assert "This comment was deleted by its author." in anonymous[3] and "edited" in anonymous[3]


def test_anonymous_readers_see_comments_and_a_free_signup_that_brings_them_back(client, report, fan):
    Comment.objects.create(report=report, author=fan, body="Great race")
    html = comments_html(client)
    assert "1 comment" in html and "Great race" in html and "Pete" in html
    assert "Sign up to comment — it's completely free." in html
    assert (
        'href="/accounts/signup/?next=/reports/2024-montreal-nations-cup-miyazono-leads/%23comments"' in html
    )
    assert 'name="body"' not in html


def test_sign_up_verify_and_land_back_on_the_report(client, report, queued_mail):
    signup = client.post(
        "/accounts/signup/?next=" + REPORT,
        {
            "email": "new@example.com",
            "display_name": "New Fan",
            "password1": "a-long-Passw0rd-for-tests",
            "password2": "a-long-Passw0rd-for-tests",
            "next": REPORT,
        },
    )
    assert signup.status_code == 302
    assert Profile.objects.get(user__email="new@example.com").display_name == "New Fan"
    # Not signed in before the e-mail is verified.
    assert "Sign up to comment" in comments_html(client)
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", queued_mail.deliver()[-1].body)[1]
    confirmed = client.post(link)
    assert confirmed.status_code == 302 and confirmed["Location"].startswith(REPORT)
    assert 'name="body"' in comments_html(client)


def test_public_forms_render_through_crispy_bootstrap_with_errors_beside_fields(client, report):
    page = client.post("/accounts/signup/", {"email": "not-an-email", "display_name": ""}).content.decode()
    # The error sits beside its field, in Bootstrap's markup.
    assert 'class="textinput form-control is-invalid"' in page
    assert (
        '<div id="id_email_error" class="invalid-feedback"> '
        '<p id="error_1_id_email"><strong>Enter a valid email address.' in (" ".join(page.split()))
    )
    assert 'id="id_display_name_error" class="invalid-feedback"' in page


# --- Posting ---------------------------------------------------------------------------------------


def test_a_verified_fan_posts_a_comment_with_paragraphs_and_safe_links(fan_client, report):
    response = fan_client.post(POST, {"body": "First para\n\nSee https://example.com/x and <b>bold</b>"})
    comment = Comment.objects.get()
    assert response["Location"] == f"/comments/{comment.pk}/"
    assert fan_client.get(response["Location"])["Location"] == f"{REPORT}#comment-{comment.pk}"
    html = comments_html(fan_client)
    assert "<p>First para</p>" in html
    assert '<a href="https://example.com/x" rel="nofollow ugc">https://example.com/x</a>' in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html


def test_script_and_markup_in_comments_and_display_names_are_escaped(client, report):
    attacker = make_fan("<script>alert('name')</script>")
    Comment.objects.create(
        report=report, author=attacker, body='<script>alert("x")</script><img src=x onerror=alert(1)>'
    )
    html = comments_html(client)
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in html


def test_a_report_slug_with_markup_is_not_found_and_not_echoed(client, report, settings):
    settings.DEBUG = False
    response = client.get("/reports/%3Cscript%3Ealert(1)%3C/script%3E/")
    assert response.status_code == 404
    assert b"<script>alert(1)" not in response.content


def test_json_posting_returns_the_rendered_comment(fan_client, report):
    response = fan_client.post(POST, {"body": "Via fetch"}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 201
    data = response.json()
    assert "Via fetch" in data["html"] and data["parent"] is None
    bad = fan_client.post(POST, {"body": "   "}, HTTP_X_REQUESTED_WITH="fetch")
    assert bad.status_code == 400 and bad.json() == {"errors": {"body": ["This field is required."]}}


def test_comments_have_a_length_limit(fan_client, report):
    response = fan_client.post(POST, {"body": "x" * 2001})
    assert response.status_code == 400
    assert "Ensure this value has at most 2000 characters (it has 2001)." in response.content.decode()
    assert not Comment.objects.exists()


def test_replies_are_one_level_deep(fan_client, report, fan):
    top = Comment.objects.create(report=report, author=fan, body="Top")
    reply = Comment.objects.create(report=report, author=fan, body="Reply", parent=top)
    fan_client.post(POST, {"body": "Reply to the reply", "parent": reply.pk})
    assert Comment.objects.get(body="Reply to the reply").parent == top


def test_a_double_submit_is_ignored(fan_client, report):
    fan_client.post(POST, {"body": "Same words"})
    fan_client.post(POST, {"body": "Same words"})
    assert Comment.objects.count() == 1


def test_the_honeypot_stops_simple_bots(fan_client, report):
    response = fan_client.post(POST, {"body": "Buy now", "website": "http://spam.example"})
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_posting_is_rate_limited_per_user(fan_client, report, monkeypatch):
    # The limits count in fixed windows: hold the clock still so no window ends mid-test.
    monkeypatch.setattr("community.ratelimit.clock", lambda: 1_800_000_030.0)
    statuses = [fan_client.post(POST, {"body": f"Comment {n}"}).status_code for n in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Comment.objects.count() == 3
    assert "Wait a minute and try again." in fan_client.post(POST, {"body": "More"}).content.decode()
    # A double click of the last post is not refused (it finds the comment), nor counted.
    assert fan_client.post(POST, {"body": "Comment 2"}).status_code == 302
    assert Comment.objects.count() == 3


def post_in_parallel(fan, bodies):
    """Each body posted by the fan from a thread and a database connection of its own, all at once."""
    signed_in = Client()
    signed_in.force_login(fan)
    session = signed_in.cookies[django_settings.SESSION_COOKIE_NAME].value
    start = threading.Barrier(len(bodies))
    statuses = []

    def post(body):
        client = Client()
        client.cookies[django_settings.SESSION_COOKIE_NAME] = session
        try:
            start.wait(10)
            statuses.append(client.post(POST, {"body": body}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(statuses)


@pytest.mark.django_db(transaction=True)
def test_parallel_posts_let_no_more_than_the_limit_through_and_no_double(report, fan, monkeypatch):
    """Thirty posts at once get three comments; twenty identical posts at once get one.

    PostgreSQL runs the posts side by side until the fan's profile row is locked; SQLite runs each
    post's transaction after the one before.
    """
    monkeypatch.setattr("community.ratelimit.clock", lambda: 1_800_000_030.0)
    statuses = post_in_parallel(fan, [f"Comment {n}" for n in range(30)])
    assert statuses == [302] * 3 + [429] * 27
    assert Comment.objects.count() == 3

    Comment.objects.all().delete()
    monkeypatch.setattr("community.ratelimit.clock", lambda: 1_800_000_090.0)  # the next minute
    statuses = post_in_parallel(fan, ["The same words"] * 20)
    assert statuses == [302] * 20  # every click lands on the one comment
    assert Comment.objects.count() == 1


# --- Attacks: each refused with the right status, nothing changed ------------------------------------


def test_posting_without_a_session_is_refused(client, report):
    response = client.post(POST, {"body": "Anonymous"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Comment.objects.exists()


def test_posting_without_csrf_is_refused(fan, report):
    client = Client(enforce_csrf_checks=True)
    client.force_login(fan)
    assert client.post(POST, {"body": "No token"}).status_code == 403
    assert not Comment.objects.exists()


def test_an_unverified_account_cannot_sign_in_to_comment(client, report):
    make_fan("Unverified", verified=False)
    response = client.post(
        "/accounts/login/", {"login": "unverified@example.com", "password": "a-long-Passw0rd-for-tests"}
    )
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert client.post(POST, {"body": "Hello"}).status_code == 302
    assert not Comment.objects.exists()


def test_editing_or_deleting_another_users_comment_is_refused(fan_client, report):
    other = make_fan("Other")
    theirs = Comment.objects.create(report=report, author=other, body="Theirs")
    assert fan_client.post(f"/comments/{theirs.pk}/edit/", {"body": "Mine now"}).status_code == 403
    assert fan_client.post(f"/comments/{theirs.pk}/delete/").status_code == 403
    theirs.refresh_from_db()
    assert theirs.body == "Theirs" and theirs.edited_at is None


def test_authors_edit_within_the_window_shown_as_edited_and_delete_any_time(fan_client, report, fan):
    comment = Comment.objects.create(report=report, author=fan, body="Typo")
    assert fan_client.post(f"/comments/{comment.pk}/edit/", {"body": "Fixed"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Fixed" and comment.edited_at is not None
    assert '<span class="edited">edited</span>' in comments_html(fan_client)

    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    assert fan_client.post(f"/comments/{comment.pk}/edit/", {"body": "Too late"}).status_code == 403
    assert fan_client.post(f"/comments/{comment.pk}/delete/").status_code == 302
    assert not Comment.objects.exists()


def test_deleting_a_comment_with_replies_keeps_the_thread(fan_client, report, fan):
    top = Comment.objects.create(report=report, author=fan, body="Top")
    Comment.objects.create(report=report, author=make_fan("Other"), body="A reply", parent=top)
    fan_client.post(f"/comments/{top.pk}/delete/")
    top.refresh_from_db()
    assert top.is_removed and top.body == ""
    html = comments_html(fan_client)
    assert "This comment was deleted by its author." in html and "A reply" in html and "1 comment" in html


def test_a_suspended_fan_cannot_post_or_flag(fan_client, report, fan):
    other_comment = Comment.objects.create(report=report, author=make_fan("Other"), body="Hi")
    Profile.objects.filter(user=fan).update(is_suspended=True)
    refused = fan_client.post(POST, {"body": "Still here"})
    assert refused.status_code == 403
    assert "you cannot post or reply until a moderator lifts the suspension" in refused.content.decode()
    assert fan_client.post(f"/comments/{other_comment.pk}/flag/", {"reason": "spam"}).status_code == 403
    assert Comment.objects.count() == 1 and not Flag.objects.exists()
    html = comments_html(fan_client)
    assert "Your account is suspended from commenting." in html
    assert ">Flag</a>" not in html and "Post reply" not in html


def test_a_suspended_fan_cannot_edit_comments_or_rename_themselves(fan_client, report, fan):
    comment = Comment.objects.create(report=report, author=fan, body="Before the suspension")
    Profile.objects.filter(user=fan).update(is_suspended=True)

    assert ">Edit</a>" not in comments_html(fan_client)
    refused = fan_client.post(f"/comments/{comment.pk}/edit/", {"body": "Rewritten after it"})
    assert refused.status_code == 403
    assert "you cannot edit comments until a moderator lifts the suspension" in refused.content.decode()

    renamed = fan_client.post("/profile/", {"display_name": "Someone Else", "nation": "FR"})
    assert renamed.status_code == 200
    assert "you cannot change your display name" in renamed.content.decode()

    html = comments_html(Client())
    assert "Before the suspension" in html and "Pete" in html and "Someone Else" not in html
    # They can still delete what they wrote.
    assert fan_client.post(f"/comments/{comment.pk}/delete/").status_code == 302
    assert not Comment.objects.exists()


def test_a_suspended_fan_keeps_their_other_profile_details(fan_client, report, fan):
    Profile.objects.filter(user=fan).update(is_suspended=True)
    assert fan_client.post("/profile/", {"display_name": "Pete", "nation": "JP"}).status_code == 302
    fan.profile.refresh_from_db()
    assert (fan.profile.display_name, fan.profile.nation.code) == ("Pete", "JP")


def test_any_fan_flags_a_comment_once_with_a_reason(fan_client, report):
    comment = Comment.objects.create(report=report, author=make_fan("Other"), body="Rude words")
    fan_client.post(f"/comments/{comment.pk}/flag/", {"reason": "abuse", "note": "insults"})
    fan_client.post(f"/comments/{comment.pk}/flag/", {"reason": "spam"})
    flag = Flag.objects.get()
    assert (flag.reason, flag.comment) == ("spam", comment)


def test_the_flag_form_offers_only_the_reasons_and_asks_for_one(fan_client, report):
    comment = Comment.objects.create(report=report, author=make_fan("Other"), body="Rude words")
    page = fan_client.get(f"/comments/{comment.pk}/flag/").content.decode()
    radios = re.findall(r'<input type="radio"[^>]*name="reason"[^>]*>', page)
    assert [re.search(r'value="([^"]*)"', radio)[1] for radio in radios] == [
        "spam",
        "abuse",
        "off-topic",
        "other",
    ]
    assert "---------" not in page and not any("checked" in radio for radio in radios)  # none chosen for them

    refused = fan_client.post(f"/comments/{comment.pk}/flag/", {"reason": "", "note": "hmm"})
    assert refused.status_code == 200
    assert "Choose what is wrong with this comment." in refused.content.decode()
    assert not Flag.objects.exists()


def test_a_fan_cannot_flag_their_own_comment(fan_client, report, fan):
    mine = Comment.objects.create(report=report, author=fan, body="My own words")
    assert ">Flag</a>" not in comments_html(fan_client)
    refused = fan_client.post(f"/comments/{mine.pk}/flag/", {"reason": "spam"})
    assert refused.status_code == 403
    assert "You cannot flag your own comment" in refused.content.decode()
    assert not Flag.objects.exists()


def test_flagging_is_rate_limited_per_user(fan_client, report, monkeypatch):
    monkeypatch.setattr("community.ratelimit.clock", lambda: 1_800_000_030.0)
    other = make_fan("Other")
    comments = [Comment.objects.create(report=report, author=other, body=f"Words {n}") for n in range(7)]
    statuses = [
        fan_client.post(f"/comments/{comment.pk}/flag/", {"reason": "spam"}).status_code
        for comment in comments
    ]
    assert statuses == [302] * 5 + [429] * 2
    assert Flag.objects.count() == 5
    page = fan_client.post(f"/comments/{comments[6].pk}/flag/", {"reason": "spam"}).content.decode()
    assert "Wait a minute and try again." in page
    # Another fan's flags are counted on their own.
    critic = Client()
    critic.force_login(make_fan("Critic"))
    assert critic.post(f"/comments/{comments[6].pk}/flag/", {"reason": "spam"}).status_code == 302


@pytest.fixture
def moderator(report):
    user = make_fan("Mod")
    user.is_staff = True
    user.save()
    user.groups.add(ensure_moderators_group())
    return user


def test_moderators_see_flagged_comments_first_and_hide_them(client, report, moderator):
    quiet = Comment.objects.create(report=report, author=make_fan("Quiet"), body="Nice race")
    flagged = Comment.objects.create(report=report, author=make_fan("Loud"), body="Spam spam")
    reply = Comment.objects.create(
        report=report, author=make_fan("Replier"), body="Reply to spam", parent=flagged
    )
    Flag.objects.create(comment=flagged, user=make_fan("Reporter"), reason="spam")
    sign_in_staff(client, moderator)
    listing = client.get(reverse("admin:community_comment_changelist"))
    assert [c.pk for c in listing.context["cl"].result_list] == [flagged.pk, reply.pk, quiet.pk]

    client.post(
        reverse("admin:community_comment_changelist"), {"action": "hide", "_selected_action": [flagged.pk]}
    )

    flagged.refresh_from_db()
    assert flagged.is_hidden and flagged.hidden_by == moderator and flagged.flags.get().is_resolved
    html = comments_html(Client())
    assert "Spam spam" not in html and "Reply to spam" not in html and "1 comment" in html
    assert Client().get(reply.get_absolute_url()).status_code == 404

    client.post(
        reverse("admin:community_comment_changelist"), {"action": "restore", "_selected_action": [flagged.pk]}
    )
    assert "Spam spam" in comments_html(Client())


def test_moderators_suspend_a_user_from_commenting(client, report, moderator):
    loud = make_fan("Loud")
    comment = Comment.objects.create(report=report, author=loud, body="Spam")
    sign_in_staff(client, moderator)
    client.post(
        reverse("admin:community_comment_changelist"),
        {"action": "suspend_authors", "_selected_action": [comment.pk]},
    )
    assert Profile.objects.get(user=loud).is_suspended


def test_a_non_moderator_cannot_hide_comments(editor_client, report):
    comment = Comment.objects.create(report=report, author=make_fan("Someone"), body="Fine words")
    url = reverse("admin:community_comment_changelist")
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"action": "hide", "_selected_action": [comment.pk]}).status_code == 403
    fan = Client()
    fan.force_login(make_fan("Plain"))
    assert (
        fan.post(url, {"action": "hide", "_selected_action": [comment.pk]}).status_code == 302
    )  # to sign-in
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_brute_forcing_a_login_is_stopped(client, report):
    make_fan("Target")
    wrong = {"login": "target@example.com", "password": "wrong-password"}
    pages = [client.post("/accounts/login/", wrong).content.decode() for _ in range(6)]
    assert ["Too many failed login attempts" in page for page in pages] == [False] * 5 + [True]
    right = client.post(
        "/accounts/login/", {"login": "target@example.com", "password": "a-long-Passw0rd-for-tests"}
    )
    assert "Too many failed login attempts" in right.content.decode()  # even the right password waits
    assert "_auth_user_id" not in client.session


def test_the_admin_login_goes_through_the_same_protection(client, report):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"
    signed_in = Client()
    signed_in.force_login(make_fan("Fan"))
    assert signed_in.get("/admin/login/?next=/admin/").status_code == 403


def test_logging_out_needs_a_post(fan_client, report):
    fan_client.get("/accounts/logout/")
    assert "_auth_user_id" in fan_client.session
    fan_client.post("/accounts/logout/")
    assert "_auth_user_id" not in fan_client.session


def test_profile_and_account_deletion_keep_comments_as_deleted_user(fan_client, report, fan):
    from results.models import Driver

    driver = Driver.objects.get(slug="takuma-miyazono")
    response = fan_client.post(
        "/profile/", {"display_name": "Pete the Fan", "nation": "FR", "favourite_driver": driver.pk}
    )
    assert response.status_code == 302
    fan.profile.refresh_from_db()
    assert (fan.profile.display_name, fan.profile.nation.code, fan.profile.favourite_driver) == (
        "Pete the Fan",
        "FR",
        driver,
    )
    Comment.objects.create(report=report, author=fan, body="My words")

    wrong = fan_client.post("/profile/delete/", {"confirm": "on", "password": "nope"})
    assert "That is not your password." in wrong.content.decode()
    fan_client.post("/profile/delete/", {"confirm": "on", "password": "a-long-Passw0rd-for-tests"})

    assert not get_user_model().objects.filter(pk=fan.pk).exists()
    comment = Comment.objects.get()
    assert comment.author is None and comment.body == "My words"
    assert "deleted user" in comments_html(Client())


def test_security_headers_on_every_response(client, report):
    response = client.get(REPORT)
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_when_served_over_https(client, report, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/healthz")


def test_comment_pages_paginate_and_permalinks_find_the_page(client, report, fan, settings):
    settings.COMMENTS_PER_PAGE = 2
    comments = [Comment.objects.create(report=report, author=fan, body=f"Comment {n}") for n in range(5)]
    assert (
        client.get(comments[4].get_absolute_url())["Location"] == f"{REPORT}?page=3#comment-{comments[4].pk}"
    )
    page2 = comments_html(client, REPORT + "?page=2")
    assert "Comment 2" in page2 and "Comment 0" not in page2 and "5 comments" in page2


def test_the_report_page_runs_the_same_queries_with_more_comments(client, report, fan):
    def count():
        from django.core.cache import caches

        for cache in caches.all(initialized_only=True):
            cache.clear()  # a cold render: no page, no fragment
        with CaptureQueriesContext(connection) as captured:
            client.get(REPORT)
        return len(captured)

    top = Comment.objects.create(report=report, author=fan, body="One")
    Comment.objects.create(report=report, author=fan, body="Reply", parent=top)
    before = count()
    for n in range(10):
        parent = Comment.objects.create(report=report, author=make_fan(f"Fan{n}"), body=f"More {n}")
        Comment.objects.create(report=report, author=fan, body="Reply", parent=parent)
    assert count() == before


def test_password_reset_sends_a_link_and_sets_a_new_password(client, report, queued_mail):
    make_fan("Forgetful")
    page = client.get("/accounts/password/reset/").content.decode()
    assert 'class="emailinput form-control"' in page or 'class="textinput form-control"' in page
    client.post("/accounts/password/reset/", {"email": "forgetful@example.com"})
    outbox = queued_mail.deliver()
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "brand-New-passw0rd", "password2": "brand-New-passw0rd"},
    )
    assert get_user_model().objects.get(email="forgetful@example.com").check_password("brand-New-passw0rd")
