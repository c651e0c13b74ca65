"""Anonymous readers are answered from the page cache early, with every security header;
signed-in readers and readers with messages waiting never get someone else's page."""

import gzip
from unittest import mock

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from redis.exceptions import ConnectionError as RedisConnectionError

from results.cache import pages as caching
from results.models import Race

pytestmark = pytest.mark.django_db

RACE = "/2024/montreal/nations-cup/main-race/"


def test_a_cached_page_is_answered_without_sessions_users_or_queries(client, demo):
    first = client.get(RACE)
    assert first.status_code == 200
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch("django.contrib.sessions.middleware.SessionMiddleware.process_request") as sessions,
    ):
        again = client.get(RACE)
    assert again.status_code == 200 and again.content == first.content
    # Without Redis the shared cache is a table: its one read is the only query.
    assert all("gtws_cache" in query["sql"] for query in queries.captured_queries)
    assert len(queries) <= 1 and not sessions.called
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert again[header] == first[header], header
    assert again["ETag"] == first["ETag"] and again["Cache-Control"] == "public, no-cache"
    assert int(again["Content-Length"]) == len(again.content)
    assert client.get(RACE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_signed_in_reader_gets_their_own_page(client, demo, django_user_model):
    client.get(RACE)  # an anonymous reader fills the cache
    fan = django_user_model.objects.create_user("fan", "fan@example.com", "pw-long-enough-1")
    fan.profile.display_name = "Lapping Fan"
    fan.profile.save()
    signed_in = Client()
    signed_in.force_login(fan)
    response = signed_in.get(RACE)
    assert "Lapping Fan" in response.content.decode()
    assert response["Cache-Control"] == "private, no-cache"


def test_a_reader_with_a_message_waiting_sees_it(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create_user("fan", "fan@example.com", "pw-long-enough-1"))
    client.post("/accounts/logout/")  # signed out: the message waits for the next page
    assert CookieStorage.cookie_name in client.cookies
    Client().get(RACE)  # meanwhile another, anonymous reader has the page cached
    assert "You have signed out." in client.get(RACE).content.decode()


def test_an_unreachable_cache_does_not_break_the_early_path(client, demo):
    with mock.patch.object(caching.versioning, "current_with", side_effect=RedisConnectionError("down")):
        response = client.get(RACE)
    assert response.status_code == 503  # the view's own cache lookup fails too: the friendly 503 page
    assert "Back in a moment" in response.content.decode()


def test_browsers_that_accept_gzip_get_the_page_compressed_once(client, demo):
    plain = client.get(RACE)
    first = client.get(RACE, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    again = client.get(RACE, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    for response in (first, again):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content) / 3
        assert "Accept-Encoding" in response["Vary"]
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    assert first["ETag"] == again["ETag"] != plain["ETag"]  # each encoding is its own representation
    assert client.get(RACE, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_new_result_shows_in_the_compressed_page_too(client, demo):
    client.get(RACE, HTTP_ACCEPT_ENCODING="gzip")
    Race.objects.get(slug="main-race").results.filter(driver__name="Valerio Gallo").update(
        reason="Late brake"
    )
    Race.objects.get(slug="main-race").results.get(driver__name="Valerio Gallo").save()
    page = gzip.decompress(client.get(RACE, HTTP_ACCEPT_ENCODING="gzip").content).decode()
    assert "Late brake" in page
