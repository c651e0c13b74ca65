"""Migration community 0003: the picks scored before it learn whether their winner won, from the race's
final classification (a penalty after the finish counted), as scoring now stores it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from results.models import Penalty, Race, Result

from . import factories
from .test_picks import make_fan

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("community", "0002_picks_and_leagues")]


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_picks_scored_before_learn_whether_their_winner_won_and_unscored_ones_stay_empty():
    old = migrate(BEFORE)  # the racing tables as they are; the picks without the new column
    sprint = factories.race(kind=Race.Kind.SPRINT, name="Sprint")
    ann, ben = factories.driver("Ann Alpha"), factories.driver("Ben Beta")
    Result.objects.create(race=sprint, driver=ann, position=1, laps=10)
    Result.objects.create(race=sprint, driver=ben, position=2, laps=10, gap="+1.5")
    Penalty.objects.create(race=sprint, driver=ann, seconds=Decimal(3), is_added_after_finish=True)
    later = factories.race(factories.round_(number=2), kind=Race.Kind.SPRINT, name="Later")  # not run yet
    old_picks = old.get_model("community", "Pick").objects
    for name, race, winner, points in [
        ("Anna", sprint, ann, 5),
        ("Bert", sprint, ben, 1),
        ("Cleo", later, ann, None),
    ]:
        old_picks.create(fan_id=make_fan(name).pk, race_id=race.pk, winner_driver_id=winner.pk, points=points)

    new = migrate()
    picks = new.get_model("community", "Pick").objects.order_by("fan__username")
    # Ann's 3 s after the finish put her behind Ben: Ben won, and the points follow.
    assert [(pick.points, pick.is_winner_right) for pick in picks] == [(1, False), (5, True), (None, None)]
