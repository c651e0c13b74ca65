"""An editor's change renders the pages it touched before it commits: the first readers after the
commit get the new data from the cache, without waiting for a render; a change that rolls back, or
that another writer overtakes, never leaves a page that shows what is not stored."""

from unittest import mock

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_tasks import default_task_backend

from results.cache import pages, rendering, versions
from results.cache.scopes import season
from results.models import Competition, Driver, Race, Result
from results.read import loaders
from results.write.changes import racing_change

from .admin_forms import form_data, set_row

pytestmark = [pytest.mark.on_commit, pytest.mark.django_db(transaction=True)]

RACE = "/2024/montreal/nations-cup/main-race/"
TOUCHED = [RACE, "/", "/2024/nations-cup/standings/", "/2024/montreal/", "/drivers/valerio-gallo/"]


@pytest.fixture(autouse=True)
def rendering_ahead(settings):
    settings.PAGE_RENDER_BEFORE_COMMIT = True


def gallo():
    return Result.objects.get(race__slug="main-race", driver__name="Valerio Gallo")


def read_all(reader):
    return {path: reader.get(path) for path in TOUCHED}


def test_after_an_editors_save_readers_get_the_new_page_from_the_cache(demo, django_assert_num_queries):
    reader = Client()
    read_all(reader)  # every page cached before the change
    with racing_change():
        result = gallo()
        result.gap = "+9.8765"
        result.save()
    for path in TOUCHED:
        with django_assert_num_queries(0):  # answered from the cache: nobody waits for a render
            page = reader.get(path)
        assert page.status_code == 200, path
    assert "+9.8765" in reader.get(RACE).content.decode()
    assert "+9.8765" in reader.get("/drivers/valerio-gallo/").content.decode()


def test_until_the_change_is_published_readers_keep_the_stored_page(demo, django_assert_num_queries):
    reader = Client()
    read_all(reader)
    seen = {}

    def read_between_commit_and_publish():
        # Runs after the commit, before the change's own flush publishes its versions: what a
        # reader on another worker sees while the writer's renders wait to be published.
        for path in TOUCHED:
            with django_assert_num_queries(0):
                seen[path] = reader.get(path)

    for before, gap in ((gallo().gap, "+8.7654"), ("+8.7654", "+28.7654")):  # a change, then the next
        with racing_change():
            transaction.on_commit(read_between_commit_and_publish)  # before the change's own flush
            result = gallo()
            result.gap = gap
            result.save()
        assert all(page.status_code == 200 for page in seen.values())
        assert before in seen[RACE].content.decode() and gap not in seen[RACE].content.decode()
        for path in TOUCHED:  # published: the pages rendered ahead are in place
            with django_assert_num_queries(0):
                reader.get(path)
        assert gap in reader.get(RACE).content.decode()


def test_the_pages_of_every_driver_of_a_crew_are_rendered_ahead(demo, django_assert_num_queries):
    relay_rita = Driver.objects.create(name="Relay Rita", slug="relay-rita", nation="IT")
    gallo().crew.create(race=gallo().race, driver=relay_rita, order=2)
    reader = Client()
    reader.get("/drivers/relay-rita/")
    with racing_change():
        result = gallo()
        result.gap = "+8.7654"
        result.save()
    with django_assert_num_queries(0):  # answered from the cache: rendered before the commit
        page = reader.get("/drivers/relay-rita/")
    assert "+8.7654" in page.content.decode()


def test_a_save_in_the_admin_is_cached_with_the_new_gap_before_any_reader_asks(
    editor_client, demo, django_assert_num_queries
):
    reader = Client()
    reader.get(RACE)
    race = Race.objects.get(slug="main-race")
    change = reverse("admin:results_race_change", args=[race.pk])
    data = form_data(editor_client.get(change))
    row = next(i for i in range(12) if data[f"results-{i}-id"] == str(gallo().pk))
    set_row(data, "results", row, gap="+28.7654")
    data["correction_reason"] = "Gap as timed"  # the race is published: a correction
    assert editor_client.post(change, data).status_code == 302
    with django_assert_num_queries(0):
        page = reader.get(RACE)
    assert "+28.7654" in page.content.decode()


def test_the_pages_rendered_ahead_read_each_competitions_scores_once_and_show_the_new_points(
    demo, django_assert_num_queries
):
    reader = Client()
    read_all(reader)  # the home page, the standings and a driver's page all show the standings
    cup = Competition.objects.get(season__year=2024, slug="nations-cup")
    leader_before = loaders.competition_standings(cup)[0]
    with mock.patch.object(loaders, "read_scores", wraps=loaders.read_scores) as reads, racing_change():
        race = Race.objects.get(slug="main-race")
        race.points_multiplier = 2  # the main race counts double: every total changes
        race.save()
    read = [competition.slug for call in reads.call_args_list for competition in call.args[0]]
    assert read and sorted(read) == sorted(set(read))  # each competition's scores read once, not per page
    leader = loaders.competition_standings(cup)[0]
    assert leader.points > leader_before.points
    shown = {"/2024/nations-cup/standings/": f">{leader.points}<", "/": f">{leader.points} pts<"}
    for path, points in shown.items():
        with django_assert_num_queries(0):  # rendered ahead, with the points after the change
            page = reader.get(path).content.decode()
        assert leader.name in page and points in page, path


def test_a_change_that_rolls_back_leaves_no_page_showing_it(demo):
    reader = Client()
    before = reader.get(RACE).content.decode()
    with pytest.raises(RuntimeError), racing_change():
        result = gallo()
        result.gap = "+5.4321"
        result.save()
        transaction.on_commit(lambda: None)  # nothing here commits
        raise RuntimeError("the editor's request failed after the save")
    assert "+5.4321" not in reader.get(RACE).content.decode()
    with racing_change():  # the next change that commits publishes its own pages only
        Race.objects.filter(slug="sprint-race").update(laps=15)
    page = reader.get(RACE).content.decode()
    assert "+5.4321" not in page and gallo().gap in page
    assert before.count("Gallo") == page.count("Gallo")


def test_a_writer_overtaken_between_render_and_publish_leaves_its_pages_cold(demo):
    reader = Client()
    reader.get(RACE)
    with racing_change():
        # Another writer moves the season on after this one rendered, before it publishes.
        transaction.on_commit(lambda: versions.bump_now([season(2024)]))
        result = gallo()
        result.gap = "+3.2109"
        result.save()
    assert not pages.is_cached(RACE)  # what was rendered ahead is not used: the next reader renders
    assert "+3.2109" in reader.get(RACE).content.decode()


def test_inside_another_transaction_nothing_is_rendered_ahead(demo):
    reader = Client()
    reader.get(RACE)
    with transaction.atomic():
        with racing_change():
            result = gallo()
            result.gap = "+2.1098"
            result.save()
        assert pages.is_cached(RACE)  # nothing is committed yet: readers still get the stored page
    assert not pages.is_cached(RACE)  # committed: cold, and nothing was rendered ahead
    assert "+2.1098" in reader.get(RACE).content.decode()


def test_pages_nobody_was_reading_are_left_to_the_worker(demo):
    reader = Client()
    reader.get(RACE)  # the only page read before the change
    default_task_backend.clear()
    with racing_change():
        result = gallo()
        result.gap = "+4.3210"
        result.save()
    assert pages.is_cached(RACE)
    assert not pages.is_cached("/2024/montreal/") and not pages.is_cached("/drivers/valerio-gallo/")
    # The worker renders the rest of what the change touched (the other task scores the race's picks).
    [task] = [task for task in default_task_backend.results if task.task.name == "render_again"]
    assert "/2024/montreal/" in rendering.touched_paths(*task.args)


def test_pages_the_worker_rendered_but_nobody_read_are_left_to_the_worker(demo):
    rendering.render(["/2024/montreal/", RACE])  # the worker's renders: cached, not read
    reader = Client()
    reader.get(RACE)  # a reader gets the race page from the cache: it is being read
    with racing_change():
        result = gallo()
        result.gap = "+6.5432"
        result.save()
    assert pages.is_cached(RACE)
    assert not pages.is_cached("/2024/montreal/")


def test_behind_an_https_proxy_the_site_renders_its_own_pages(demo, settings):
    # Production: HTTPS at the proxy, SECURE_SSL_REDIRECT on; a render must not be answered 301.
    settings.SITE_URL = "https://gtws.example.org"
    settings.ALLOWED_HOSTS = ["gtws.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert Client(HTTP_HOST="gtws.example.org").get(RACE).status_code == 301  # plain HTTP: sent to HTTPS
    assert rendering.render([RACE]) == 1
    assert pages.is_cached(RACE)


def test_a_report_whose_comments_moved_on_is_still_rendered_ahead(demo, django_user_model):
    from community.models import Comment
    from results.demo import REPORT_SLUG
    from results.models import RaceReport

    report = RaceReport.objects.get(slug=REPORT_SLUG)
    path = report.get_absolute_url()
    reader = Client()
    reader.get(path)
    fan = django_user_model.objects.create_user("fan", "fan@example.com", "a-long-fan-password")
    Comment.objects.create(report=report, author=fan, body="What a finish!")  # its section moves on
    assert pages.is_being_read(path)  # readers still get the page, its comments refreshed within a second
    with racing_change():
        result = gallo()
        result.gap = "+6.5432"
        result.save()
    assert pages.is_cached(path)  # rendered ahead: no reader of the report waits for it
    assert "+6.5432" in reader.get(path).content.decode()
