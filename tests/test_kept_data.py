"""A season's scores and title race are worked out once per change and kept beside the pages
(results.cache.kept): the writer's renders ahead, the task worker's renders and readers share them,
and nobody is given data that is not stored, nor a writer data older than its own writes."""

from unittest import mock

import pytest
from django.db import transaction
from django.test import Client

from results.cache import invalidation, kept, rendering, versions
from results.cache.scopes import season
from results.models import Competition, Race
from results.read import loaders, title
from results.read import pages as read_pages
from results.write.changes import racing_change

pytestmark = [pytest.mark.on_commit, pytest.mark.django_db(transaction=True)]

READ = ["/", "/2024/nations-cup/standings/", "/2024/montreal/", "/drivers/valerio-gallo/"]


def nations_cup():
    return Competition.objects.get(season__year=2024, slug="nations-cup")


def leader_points():
    return loaders.competition_standings(nations_cup())[0].points


def leader_points_as_stored():
    """The leader's points worked out from the rows now, past any keeper."""
    cup = nations_cup()
    return loaders.competition_standings(cup, scores=loaders.read_scores([cup])[cup.pk])[0].points


def double_the_main_race():
    race = Race.objects.get(slug="main-race")
    race.points_multiplier = 2  # every total changes
    race.save()


def test_after_a_save_the_worker_renders_every_touched_page_without_working_the_scores_out_again(
    demo, settings
):
    settings.PAGE_RENDER_BEFORE_COMMIT = True
    reader = Client()
    for path in READ:
        reader.get(path)
    before = leader_points_as_stored()
    race = Race.objects.get(slug="main-race")
    with (
        mock.patch.object(loaders, "read_scores", wraps=loaders.read_scores) as scores,
        mock.patch.object(title, "title_race", wraps=title.title_race) as titles,
    ):
        with racing_change():
            double_the_main_race()
        read_by_writer = scores.call_count
        touched = rendering.touched_paths([race.pk], [2024])
        assert rendering.render_again.call([race.pk], [2024]) == len(touched)
    assert read_by_writer and scores.call_count == read_by_writer  # the worker read them from the cache
    # The standings, the title page and their API answers of both competitions: one title race each.
    assert any("/title/" in path for path in touched)
    assert titles.call_count == Competition.objects.filter(season__year=2024).count()
    points = leader_points_as_stored()
    assert points > before
    assert f">{points}<" in reader.get("/2024/nations-cup/standings/").content.decode()
    standings = reader.get("/api/v1/2024/nations-cup/standings/").json()
    assert standings["standings"][0]["points"] == points


def test_a_writer_reading_after_its_own_write_gets_the_scores_it_wrote(demo):
    before = leader_points()  # kept now, under the season's version
    with transaction.atomic():
        double_the_main_race()
        assert leader_points() > before  # read afresh, not the kept scores
        transaction.set_rollback(True)
    invalidation.forget_pending()  # (the marks of a rollback wait for the next commit)
    with mock.patch.object(loaders, "read_scores", wraps=loaders.read_scores) as scores:
        assert leader_points() == before  # from the keeper: nothing the writer read was kept
    assert scores.call_count == 0


def test_what_a_writer_works_out_ahead_of_its_commit_is_kept_only_under_its_next_versions(demo):
    stored = {"2023": "as stored", "2024": "as stored"}
    with transaction.atomic():
        double_the_main_race()  # a change of the 2024 season, not yet published
        prepared = versions.prepare([season(2024)])
        with versions.rendering_at(prepared):
            ahead = kept.kept_under_seasons(
                {"2023": 2023, "2024": 2024}, lambda names: dict.fromkeys(names, "ahead")
            )
        transaction.set_rollback(True)
    assert ahead == {"2023": "ahead", "2024": "ahead"}
    # Neither is found at the versions readers know: the 2023 value was not kept at all, the 2024 one
    # only under the version the writer would have published.
    assert (
        kept.kept_under_seasons({"2023": 2023, "2024": 2024}, lambda names: {n: stored[n] for n in names})
        == stored
    )
    with versions.rendering_at(prepared):
        assert kept.kept_under_seasons({"2024": 2024}, lambda names: dict.fromkeys(names, "again")) == {
            "2024": "ahead"
        }


def test_scores_are_read_again_after_each_change_of_their_season_only(demo):
    cup = nations_cup()
    with mock.patch.object(loaders, "read_scores", wraps=loaders.read_scores) as scores:
        for _ in range(3):
            loaders.competition_standings(cup)
        assert scores.call_count == 1
        versions.bump_now([season(2023)])  # another season's change
        loaders.competition_standings(cup)
        assert scores.call_count == 1
        with racing_change():
            double_the_main_race()
        loaders.competition_standings(cup)
        assert scores.call_count == 2


def test_with_the_page_cache_off_scores_are_read_each_time(demo, settings):
    settings.PAGE_CACHE = False
    with mock.patch.object(loaders, "read_scores", wraps=loaders.read_scores) as scores:
        for _ in range(2):
            loaders.competition_standings(nations_cup())
    assert scores.call_count == 2


def test_a_change_published_between_the_scores_and_the_title_race_is_in_the_title_race_kept(demo):
    """A reader reads the scores, then a writer commits, then the reader works out the title race: the
    title race it keeps under the new versions shows the change."""
    loaders.competition_standings(nations_cup())  # the scores before the change, kept
    choices = read_pages.race_choices

    def a_writer_commits_meanwhile(scores):
        if not a_writer_commits_meanwhile.done:
            a_writer_commits_meanwhile.done = True
            with racing_change():
                double_the_main_race()
        return choices(scores)

    a_writer_commits_meanwhile.done = False
    with mock.patch.object(read_pages, "race_choices", a_writer_commits_meanwhile):
        read_pages.standings_page_data(2024, "nations-cup", with_title=True)
    title_now = read_pages.standings_page_data(2024, "nations-cup", with_title=True).title
    cup = nations_cup()
    fresh = loaders.read_scores([cup])[cup.pk]
    expected = title.title_data(cup, fresh).title.outlooks
    assert [(o.name, o.points) for o in title_now.title.outlooks] == [(o.name, o.points) for o in expected]
    assert max(o.points for o in expected) == leader_points_as_stored()
