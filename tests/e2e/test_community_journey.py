"""A newcomer signs up, verifies, comments, replies, edits, deletes; a moderator sets up a second
factor and hides a flagged comment."""

import re

import pytest
from django.contrib.auth import get_user_model

from community.moderators import ensure_moderators_group
from results.demo import load_demo
from tests.twofactor import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "/reports/2024-montreal-nations-cup-miyazono-leads/"


def sign_up(page, base, queued_mail, email, name, password="a-long-Passw0rd-for-tests"):
    page.goto(base + REPORT)
    assert "Sign up to comment — it's completely free." in page.inner_text("#comments")
    page.locator("#comments").get_by_role("link", name="Sign up").click()
    page.fill("#id_email", email)
    page.fill("#id_display_name", name)
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.get_by_role("button", name="Sign Up").click()
    assert "Verify Your Email Address" in page.inner_text("main")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", queued_mail.deliver()[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()


def test_newcomer_comments_replies_edits_deletes_and_a_moderator_hides_a_flagged_comment(
    browser, live_server, artifacts, queued_mail
):
    load_demo()
    base = live_server.url
    fan = browser.new_context(viewport={"width": 1280, "height": 900})
    page = fan.new_page()

    sign_up(page, base, queued_mail, "newcomer@example.com", "Pit Lane Pete")
    # Back on the report after confirming, signed in.
    assert page.url.startswith(base + REPORT)
    assert "Pit Lane Pete" in page.inner_text("header")

    page.fill("#id_body", "What a pass by Miyazono!\n\nSerrano deserved more.")
    page.get_by_role("button", name="Post comment").click()
    first = page.locator("#comment-list > li.comment").first
    first.wait_for()
    assert "What a pass by Miyazono!" in first.inner_text()
    assert page.inner_text("#comment-count") == "1 comment"

    first.locator("summary", has_text="Reply").click()
    first.locator("textarea[name=body]").fill("Replying to myself: Drumont was unlucky.")
    first.get_by_role("button", name="Post reply").click()
    page.locator(".replies > li.comment").first.wait_for()
    assert page.inner_text("#comment-count") == "2 comments"
    page.screenshot(path=str(artifacts / "community-1-comments.png"), full_page=True)

    page.reload()
    page.locator("#comment-list > li.comment").first.get_by_role("link", name="Edit").first.click()
    page.fill("#id_body", "What a pass by Miyazono! (edited)")
    page.get_by_role("button", name="Save changes").click()
    assert "(edited)" in page.inner_text("#comment-list")
    assert "edited" in page.locator("#comment-list .edited").first.inner_text()

    page.locator(".replies > li.comment").get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete it").click()
    assert "Your comment was deleted." in page.inner_text("main")
    assert page.inner_text("#comment-count") == "1 comment"

    # A second fan flags the comment.
    other = browser.new_context().new_page()
    sign_up(other, base, queued_mail, "critic@example.com", "Critic")
    other.goto(base + REPORT)
    other.locator("#comment-list").get_by_role("link", name="Flag").click()
    other.get_by_label("Spam or advertising").check()
    other.get_by_role("button", name="Send to the moderators").click()
    assert "the moderators will look at this comment" in other.inner_text("main")

    # A moderator hides it through the admin.
    moderator = get_user_model().objects.create_user(
        "mod", "mod@example.com", "a-long-Moderat0r-pass", is_staff=True
    )
    moderator.groups.add(ensure_moderators_group())
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=moderator, email=moderator.email, verified=True, primary=True)
    admin = browser.new_context().new_page()
    admin.goto(base + "/admin/community/comment/")
    admin.fill("#id_login", "mod@example.com")
    admin.fill("#id_password", "a-long-Moderat0r-pass")
    admin.get_by_role("button", name="Sign In").click()
    # Staff set up a second factor before the admin opens: the password again, then a code.
    assert "Staff accounts open the admin with a second factor." in admin.inner_text("main")
    admin.fill("#id_password", "a-long-Moderat0r-pass")
    admin.get_by_role("button", name="Confirm").click()
    secret = admin.input_value("#authenticator_secret")
    admin.fill("#id_code", totp_code(secret))
    admin.get_by_role("button", name="Activate").click()
    assert "Recovery Codes" in admin.inner_text("main")
    admin.screenshot(path=str(artifacts / "community-2-recovery-codes.png"), full_page=True)
    admin.goto(base + "/admin/community/comment/")
    assert admin.url.endswith("/admin/community/comment/")
    row = admin.locator("#result_list tbody tr").first
    assert (
        "What a pass by Miyazono!" in row.inner_text()
        and "1" in row.locator("td.field-open_flags").inner_text()
    )
    row.locator("input.action-select").check()
    admin.select_option("select[name=action]", "hide")
    admin.get_by_role("button", name="Go").click()
    assert "Hid 1 comment(s)." in admin.locator("ul.messagelist").inner_text()

    page.goto(base + REPORT)
    assert "What a pass by Miyazono" not in page.inner_text("#comments")
    assert page.inner_text("#comment-count") == "0 comments"
    page.screenshot(path=str(artifacts / "community-3-hidden.png"), full_page=True)
