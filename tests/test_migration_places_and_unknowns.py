"""Migration 0007: a race stored with no laps was a timed race; it stays one once blank means unknown."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from results.cache import invalidation

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("results", "0006_season_imports")]
AFTER = [("results", "0007_places_and_unknowns")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_races_without_laps_become_timed_and_races_with_laps_do_not():
    old = migrate(BEFORE)
    season = old.get_model("results", "Season").objects.create(year=2030)
    competition = old.get_model("results", "Competition").objects.create(
        season=season, name="Cup", slug="cup"
    )
    round_ = old.get_model("results", "Round").objects.create(
        season=season, number=1, name="City", slug="city", city="City", country="FR"
    )
    track = old.get_model("results", "Track").objects.create(name="Ring", slug="ring")
    races = old.get_model("results", "Race").objects
    common = {"round": round_, "competition": competition, "kind": "main", "track": track}
    races.create(number=1, name="Timed", slug="timed", laps=None, **common)
    races.create(number=2, name="Laps", slug="laps", laps=20, **common)

    new = migrate(AFTER)
    migrated = {race.slug: race.is_timed for race in new.get_model("results", "Race").objects.all()}
    assert migrated == {"timed": True, "laps": False}
    migrate(executor_leaf())
    # Migrations write through historical models, which mark nothing; a deploy changes the code's
    # fingerprint in every page's cache key, so no page cached before it is served after. Say so to
    # the test guard that wants every racing write marked.
    invalidation.racing_changed(seasons=[2030], shared=True)


def executor_leaf():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
