"""The grid a race takes from an earlier one follows that race's final classification."""

from decimal import Decimal

import pytest

from results.models import Penalty, Result
from results.write.grids import set_grid_from_source

from . import factories

pytestmark = pytest.mark.django_db


def sprint_and_main(*finishers):
    """A sprint finished by ``finishers`` (name, gap) in order, and the main race it sets the grid of."""
    sprint = factories.race(number=1, name="Sprint", kind="sprint")
    main = factories.race(number=2, name="Main", grid_from=sprint)
    drivers = {}
    for position, (name, gap) in enumerate(finishers, start=1):
        drivers[name] = factories.driver(name)
        Result.objects.create(race=sprint, driver=drivers[name], position=position, laps=10, gap=gap)
    return sprint, main, drivers


def grid(race):
    return [(slot.position, slot.driver.name) for slot in race.grid_slots.select_related("driver")]


def test_a_sprint_winner_demoted_by_a_penalty_after_the_finish_does_not_start_first():
    sprint, main, drivers = sprint_and_main(("Winner", ""), ("Second", "+1.000"), ("Third", "+3.000"))
    Penalty.objects.create(
        race=sprint,
        driver=drivers["Winner"],
        seconds=Decimal(5),
        reason="Track limits",
        is_added_after_finish=True,
    )

    assert set_grid_from_source(main) == 3

    assert grid(main) == [(1, "Second"), (2, "Third"), (3, "Winner")]


def test_a_penalty_served_on_track_leaves_the_published_order():
    sprint, main, drivers = sprint_and_main(("Winner", ""), ("Second", "+1.000"))
    Penalty.objects.create(race=sprint, driver=drivers["Winner"], seconds=Decimal(5), reason="Track limits")

    set_grid_from_source(main)

    assert grid(main) == [(1, "Winner"), (2, "Second")]
