"""The page cache: anonymous readers are answered early and only while what the page shows is unchanged;
a comment or another season's fix leaves pages cached; made-up parameters add no entries; one render for
many readers; pages rendered again in the background after a change; Redis down costs no page."""

import gzip
import threading
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks import default_task_backend

from community.models import Comment
from results.cache import pages, rendering, versions
from results.models import Competition, Driver, Race, RaceReport, Result
from results.read import pages as read_pages

from . import factories

pytestmark = pytest.mark.django_db

RACE = "/2024/montreal/nations-cup/main-race/"
STANDINGS = "/2024/nations-cup/standings/"
REPORT = "/reports/2024-montreal-nations-cup-miyazono-leads/"


def gallo():
    return Result.objects.get(race__slug="main-race", driver__name="Valerio Gallo")


def test_a_cached_page_is_answered_without_sessions_users_or_queries(client, demo):
    first = client.get(RACE)
    assert first.status_code == 200
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch("django.contrib.sessions.middleware.SessionMiddleware.process_request") as sessions,
    ):
        again = client.get(RACE)
    assert again.status_code == 200 and again.content == first.content
    assert len(queries) == 0 and not sessions.called
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert again[header] == first[header], header
    assert again["ETag"] == first["ETag"] and again["Cache-Control"] == "public, no-cache"
    assert again["Last-Modified"] == first["Last-Modified"]
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
    assert response["Cache-Control"] == "private, no-cache, no-store"


def test_a_reader_with_a_message_waiting_sees_it(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create_user("fan", "fan@example.com", "pw-long-enough-1"))
    client.post("/accounts/logout/")  # signed out: the message waits for the next page
    assert CookieStorage.cookie_name in client.cookies
    Client().get(RACE)  # meanwhile another, anonymous reader has the page cached
    assert "You have signed out." in client.get(RACE).content.decode()


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


def test_an_edited_result_shows_on_the_next_request_in_both_encodings(client, demo):
    client.get(RACE)
    client.get(RACE, HTTP_ACCEPT_ENCODING="gzip")
    result = gallo()
    result.reason = "Late brake"
    result.save()
    assert "Late brake" in client.get(RACE).content.decode()
    assert "Late brake" in gzip.decompress(client.get(RACE, HTTP_ACCEPT_ENCODING="gzip").content).decode()


def test_an_update_through_a_queryset_shows_on_the_next_request(client, demo):
    client.get(RACE)
    Result.objects.filter(pk=gallo().pk).update(reason="Spun at the hairpin")
    assert "Spun at the hairpin" in client.get(RACE).content.decode()


def test_a_comment_leaves_every_racing_page_cached(client, demo, django_user_model):
    racing = ["/", "/2024/", "/2024/montreal/", RACE, STANDINGS, "/drivers/valerio-gallo/"]
    for path in [*racing, REPORT]:
        assert client.get(path).status_code == 200
    fan = django_user_model.objects.create_user("fan", "fan@example.com", "pw-long-enough-1")
    report = RaceReport.objects.get(slug=REPORT.split("/")[2])
    Comment.objects.create(report=report, author=fan, body="What a final lap!")
    for path in racing:
        assert pages.is_cached(path), path
    assert not pages.is_cached(REPORT)  # only the report's own comment section changed
    assert "What a final lap!" in client.get(REPORT).content.decode()


def test_a_fix_in_one_season_leaves_another_seasons_pages_cached(client, demo):
    old = factories.race(
        factories.round_(factories.season(2023), name="Lisbon"),
        factories.competition(factories.season(2023)),
        points_scale=[10, 8, 6],
    )
    old_result = Result.objects.create(race=old, driver=factories.driver("Old Timer"), position=1, laps=10)
    old_pages = ["/2023/", "/2023/lisbon/", "/2023/nations-cup/standings/", old.get_absolute_url()]
    for path in [*old_pages, RACE, "/"]:
        assert client.get(path).status_code == 200, path
    result = gallo()
    result.reason = "Fixed after the race"
    result.save()
    for path in old_pages:
        assert pages.is_cached(path), path
    assert not pages.is_cached(RACE) and not pages.is_cached("/")
    old_result.laps = 9
    old_result.save()
    assert not pages.is_cached("/2023/lisbon/")
    assert not pages.is_cached(old.get_absolute_url())


@pytest.fixture
def cache_database():
    """The cache tables' database for one test; its connection closed after (on PostgreSQL it is a
    second connection to the test database, which could not be dropped while it is open)."""
    yield connections["cache"]
    connections["cache"].close()


@pytest.mark.django_db(databases=["default", "cache"])  # the cache tables' database
def test_made_up_query_parameters_share_one_entry(client, demo, settings, cache_database):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "test_page_cache"},
    }
    call_command("createcachetable", database="cache")

    def entries():
        """Stored pages (not the versions of scopes, single-flight locks, nor a page's read mark)."""
        with cache_database.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM test_page_cache WHERE cache_key LIKE %s"
                " AND cache_key NOT LIKE %s AND cache_key NOT LIKE %s",
                ["%page:%", "%:lock:%", "%:read"],
            )
            return cursor.fetchone()[0]

    assert client.get(STANDINGS).status_code == 200
    before = entries()
    for n in range(60):
        assert client.get(f"{STANDINGS}?utm={n}&fbclid=x{n}").status_code == 200
        assert client.get(f"{STANDINGS}?after_round={1000 + n}").status_code == 200  # no such round
        assert client.get(f"{REPORT}?page={50 + n}").status_code == 200  # no such page of comments
        assert client.get(f"/2024/no-such-round-{n}/").status_code == 404
    assert client.get(f"{STANDINGS}?after_round=²").status_code == 200  # not a number: the page
    assert entries() == before
    assert client.get(f"{STANDINGS}?after_round=1").status_code == 200  # a real round: its own page
    assert entries() == before + 2  # as it is and gzipped


@pytest.mark.django_db(transaction=True)
def test_many_readers_of_a_missing_page_wait_for_one_render(demo):
    renders = []
    real = read_pages.race_page_data

    def slow(*args):
        renders.append(threading.get_ident())
        time.sleep(0.4)
        return real(*args)

    answers = []

    def read():
        answers.append(Client().get(RACE))

    with mock.patch.object(read_pages, "race_page_data", side_effect=slow):
        readers = [threading.Thread(target=read) for _ in range(4)]
        for reader in readers:
            reader.start()
            time.sleep(0.05)
        for reader in readers:
            reader.join(10)
    connection.close()
    assert len(renders) == 1
    assert [answer.status_code for answer in answers] == [200] * 4
    assert len({answer.content for answer in answers}) == 1


def test_a_reader_renders_itself_when_the_render_it_waits_for_never_comes(client, demo, settings):
    first = client.get(RACE)
    result = gallo()
    result.reason = "Stuck render"
    result.save()
    lookup_rule, kwargs = pages.rule_of(RACE)
    tokens, _ = versions.current(list(lookup_rule.scopes(**kwargs)))
    key = lookup_rule.key(RACE, {})
    lock = pages.lock_key(key, tuple(tokens.values()))
    caches["pages"].add(lock, 1, 60)  # another worker took the render, then died
    with mock.patch.object(pages, "WAIT_SECONDS", 0.1):
        page = client.get(RACE)
    assert page.status_code == 200 and "Stuck render" in page.content.decode()
    assert page.content != first.content


def test_after_a_change_its_pages_are_rendered_in_the_background(demo, django_capture_on_commit_callbacks):
    default_task_backend.clear()
    result = gallo()
    with django_capture_on_commit_callbacks(execute=True):
        result.reason = "Rendered by the worker"
        result.save()
    # (the other task queued scores the race's picks again: community.scoring)
    [task] = [task for task in default_task_backend.results if task.task.name == "render_again"]
    touched = rendering.touched_paths(*task.args)
    for path in ("/", RACE, STANDINGS, "/2024/montreal/", "/2024/", "/api/v1/2024/nations-cup/standings/"):
        assert path in touched, path
        assert not pages.is_cached(path)
    assert rendering.render_again.call(*task.args) == len(touched)
    for path in touched:
        assert pages.is_cached(path), path
    assert "Rendered by the worker" in Client().get(RACE).content.decode()


@pytest.mark.django_db(databases=["default", "cache"])  # the cache tables' database
def test_pages_are_served_from_the_database_when_redis_cannot_be_reached(
    client, demo, settings, cache_database
):
    unreachable = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }
    settings.CACHES = {
        "default": {
            "BACKEND": "results.cache.backends.FallbackCache",
            "OPTIONS": {"PRIMARY": "redis", "FALLBACK": "database"},
        },
        "pages": {
            "BACKEND": "results.cache.backends.FallbackCache",
            "OPTIONS": {"PRIMARY": "redis-pages", "FALLBACK": "nowhere"},
        },
        "redis": unreachable,
        "redis-pages": unreachable,
        "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "gtws_cache"},
        "nowhere": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    call_command("createcachetable", database="cache")  # the rate limits' fallback table
    for path in ("/", RACE, STANDINGS, REPORT, "/drivers/valerio-gallo/", "/api/v1/2024/calendar/"):
        response = client.get(path)
        assert response.status_code == 200, path
    # Rate limits are counted in the database meanwhile: sign-in failures still lock out.
    user = get_user_model().objects.create_user("fan", "fan@example.com", "pw-long-enough-1")
    refused = [
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"}).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" in refused[-1]


def test_comments_arriving_fast_cost_one_render_a_second_and_never_touch_racing_data(
    client, demo, django_user_model
):
    fan = django_user_model.objects.create_user("fan", "fan@example.com", "pw-long-enough-1")
    report = RaceReport.objects.get(slug=REPORT.split("/")[2])
    client.get(REPORT)
    with mock.patch.object(pages, "SOFT_REFRESH_SECONDS", 0.5):
        Comment.objects.create(report=report, author=fan, body="First!")
        assert "First!" in client.get(REPORT).content.decode()  # the first reader refreshes it
        Comment.objects.create(report=report, author=fan, body="Second, a moment later")
        with CaptureQueriesContext(connection) as queries:
            page = client.get(REPORT).content.decode()
        assert "Second" not in page and len(queries) == 0  # within the second: the stored page
        signed_in = Client()
        signed_in.force_login(fan)
        assert "Second, a moment later" in signed_in.get(REPORT).content.decode()  # the author sees it
        time.sleep(0.6)
        assert "Second, a moment later" in client.get(REPORT).content.decode()
    result = gallo()
    result.reason = "Racing data is never served late"
    result.save()
    assert "Racing data is never served late" in client.get(REPORT).content.decode()


def test_a_page_that_fails_to_render_in_the_background_does_not_stop_the_others(demo):
    touched = rendering.touched_paths([Race.objects.get(slug="main-race").pk], [2024])
    with mock.patch.object(read_pages, "standings_page_data", side_effect=RuntimeError("broken")):
        rendered = rendering.render_again.call([Race.objects.get(slug="main-race").pk], [2024])
    assert 0 < rendered < len(touched)
    assert pages.is_cached(RACE) and pages.is_cached("/")
    assert not pages.is_cached(STANDINGS)


def test_readers_of_a_cached_page_write_nothing_to_the_cache(client, demo):
    client.get(RACE)  # rendered, stored, and noted as being read
    store = caches["pages"]
    with (
        mock.patch.object(store, "set", wraps=store.set) as sets,
        mock.patch.object(store, "set_many", wraps=store.set_many) as set_manys,
        mock.patch.object(store, "add", wraps=store.add) as adds,
    ):
        for _ in range(50):
            assert client.get(RACE).status_code == 200
    assert (sets.call_count, set_manys.call_count, adds.call_count) == (0, 0, 0)
    assert pages.is_being_read(RACE)


def test_a_page_still_read_after_half_an_hour_is_noted_again(client, demo):
    client.get(RACE)
    key = pages.rule_of(RACE)[0].key(RACE, {})
    caches["pages"].set(pages.read_key(key), time.time() - pages.READ_SECONDS * 0.6, pages.READ_SECONDS)
    client.get(RACE)  # a hit: the mark is renewed for another hour
    assert time.time() - caches["pages"].get(pages.read_key(key)) < 60


def test_a_deploy_with_new_static_files_never_serves_pages_linking_the_old_ones(settings, tmp_path):
    from results.cache.pages import code_version

    settings.STATIC_ROOT = tmp_path
    code_version.cache_clear()
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/site.css": "css/site.aaaa.css"}}')
    before = code_version()
    code_version.cache_clear()
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/site.css": "css/site.bbbb.css"}}')
    try:
        assert code_version() != before  # pages stored before collectstatic are not found after it
    finally:
        code_version.cache_clear()


# --- Race tables kept as fragments: redrawn only where their race, season frame or shared rows changed


def tables_drawn(response):
    return [t.name for t in response.templates].count("includes/_results_table.html")


def test_a_result_saved_in_one_race_redraws_only_that_races_table_on_the_report(client, demo):
    first = client.get(REPORT)
    assert tables_drawn(first) == 2  # the sprint's and the main race's
    result = gallo()
    result.reason = "Brake failure on the last lap"
    result.save()
    again = client.get(REPORT)
    assert "Brake failure on the last lap" in again.content.decode()
    assert tables_drawn(again) == 1  # the sprint's table is the one drawn before
    assert again.content.decode().count("<table") == first.content.decode().count("<table")


def test_the_race_page_and_the_report_share_a_races_table(client, demo):
    client.get(REPORT)
    result = gallo()
    result.reason = "Lost fourth gear"
    result.save()
    race_page = client.get(RACE)
    assert tables_drawn(race_page) == 1
    assert "includes/_strategy_chart.html" in [t.name for t in race_page.templates]
    with CaptureQueriesContext(connection) as queries:
        report = client.get(REPORT)
    assert tables_drawn(report) == 0  # both tables as drawn: the sprint's before, the main race's just now
    assert "includes/_strategy_chart.html" not in [t.name for t in report.templates]  # its chart too
    assert not any("results_tyrestint" in query["sql"] for query in queries)  # so no sheet is read
    assert "Lost fourth gear" in report.content.decode()


def rename(model, name, **which):
    return lambda: model.objects.filter(**which).update(name=name)


@pytest.mark.parametrize(
    "change, on_the_report, on_the_race_page",
    [
        # The main race's format line names the race its grid came from.
        (
            rename(Race, "Qualifying Sprint", slug="sprint-race"),
            "order of Qualifying Sprint.",
            "Qualifying Sprint",
        ),
        (
            rename(Competition, "Nations Trophy", slug="nations-cup"),
            "Nations Trophy Main Race classification",
            "Nations Trophy Main Race classification",
        ),
        (
            rename(Driver, "Valerio Gallo Jr", slug="valerio-gallo"),
            "Valerio Gallo Jr</a>",
            "Valerio Gallo Jr</a>",
        ),
    ],
    ids=["a race renamed", "a competition renamed", "a driver renamed"],
)
def test_a_change_that_tables_show_elsewhere_redraws_them(
    client, demo, change, on_the_report, on_the_race_page
):
    client.get(REPORT)
    client.get(RACE)
    change()
    assert on_the_report in client.get(REPORT).content.decode()
    assert on_the_race_page in client.get(RACE).content.decode()
