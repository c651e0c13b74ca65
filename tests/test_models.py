"""The database refuses what can never be true, and model validation says why in words."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from results.models import GridSlot, Penalty, PitStop, Race, RaceReport, Result, Round, TyreStint

from . import factories

pytestmark = pytest.mark.django_db


def refused_by_database(make):
    """The row is refused by the database itself, not only by forms."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_result_per_position_and_per_driver_in_a_race():
    race, kaj, takuma = factories.race(), factories.driver("Kaj"), factories.driver("Takuma")
    Result.objects.create(race=race, driver=kaj, position=4, laps=10)
    refused_by_database(lambda: Result.objects.create(race=race, driver=takuma, position=4, laps=10))
    refused_by_database(lambda: Result.objects.create(race=race, driver=kaj, position=5, laps=10))
    with pytest.raises(ValidationError, match="Two results of a race cannot share a finishing position"):
        Result(race=race, driver=takuma, position=4).full_clean()


def test_several_unclassified_entries_may_share_a_race():
    race = factories.race()
    Result.objects.create(race=race, driver=factories.driver(), status="dns")
    Result.objects.create(race=race, driver=factories.driver(), status="dsq")
    assert race.results.filter(position__isnull=True).count() == 2


def test_laps_are_never_negative():
    race = factories.race()
    refused_by_database(lambda: Result.objects.create(race=race, driver=factories.driver(), laps=-1))
    refused_by_database(lambda: Race.objects.filter(pk=race.pk).update(laps=0))


def test_positions_and_laps_stay_within_what_a_race_can_be():
    race, driver = factories.race(), factories.driver()
    refused_by_database(lambda: Result.objects.create(race=race, driver=driver, position=101))
    refused_by_database(lambda: Result.objects.create(race=race, driver=driver, position=1, laps=1001))
    refused_by_database(lambda: GridSlot.objects.create(race=race, driver=driver, position=101))
    refused_by_database(lambda: PitStop.objects.create(race=race, driver=driver, lap=1001))
    refused_by_database(lambda: Race.objects.filter(pk=race.pk).update(laps=1001))
    with pytest.raises(ValidationError, match=r"Finishing positions run from 1 to 100\."):
        Result(race=race, driver=driver, position=2_000).full_clean()


def test_a_disqualified_driver_has_no_position():
    race = factories.race()
    refused_by_database(
        lambda: Result.objects.create(race=race, driver=factories.driver(), position=1, status="dsq")
    )
    with pytest.raises(ValidationError, match="has no finishing position"):
        Result(race=race, driver=factories.driver(), position=1, status="dsq").full_clean()


def test_the_gap_as_published_is_kept_and_parsed_for_sorting():
    race = factories.race()
    result = Result.objects.create(race=race, driver=factories.driver(), position=9, laps=10, gap="+ 43.476")
    result.refresh_from_db()
    assert (result.gap, result.gap_seconds, result.gap_laps) == ("+ 43.476", Decimal("43.476"), None)
    lapped = Result.objects.create(race=race, driver=factories.driver(), position=10, laps=9, gap="+1 lap")
    assert (lapped.gap_seconds, lapped.gap_laps) == (None, 1)


def test_an_unreadable_gap_is_refused_with_the_published_forms():
    result = Result(race=factories.race(), driver=factories.driver(), position=1, gap="+1,0684")
    with pytest.raises(ValidationError) as caught:
        result.full_clean()
    assert caught.value.message_dict["gap"] == [
        "“+1,0684” is not a gap: write it as +1.0684, +1.6 s, +1:05.950, +1 lap, +2 laps or N/A."
    ]


def test_stints_cannot_start_or_end_on_the_same_lap_twice_nor_end_before_they_start():
    race, drumont = factories.race(), factories.driver("Drumont")
    TyreStint.objects.create(race=race, driver=drumont, compound="S", first_lap=1, last_lap=10)
    refused_by_database(
        lambda: TyreStint.objects.create(race=race, driver=drumont, compound="M", first_lap=1, last_lap=5)
    )
    refused_by_database(
        lambda: TyreStint.objects.create(race=race, driver=drumont, compound="M", first_lap=12, last_lap=11)
    )
    # A stint whose laps are both unknown is kept (a report names the compound only).
    TyreStint.objects.create(race=race, driver=drumont, compound="M")
    with pytest.raises(ValidationError, match="A stint cannot end before it starts"):
        TyreStint(race=race, driver=drumont, compound="M", first_lap=12, last_lap=11).full_clean()


def test_grid_slots_pit_stops_and_penalties_are_constrained():
    race, a, b = factories.race(), factories.driver(), factories.driver()
    GridSlot.objects.create(race=race, driver=a, position=1)
    refused_by_database(lambda: GridSlot.objects.create(race=race, driver=b, position=1))
    refused_by_database(lambda: GridSlot.objects.create(race=race, driver=b, position=0))
    PitStop.objects.create(race=race, driver=a, lap=5)
    refused_by_database(lambda: PitStop.objects.create(race=race, driver=a, lap=5))
    refused_by_database(
        lambda: Penalty.objects.create(race=race, driver=a, seconds=Decimal("-0.5"), reason="x")
    )


def test_rounds_and_races_have_unique_numbers_and_slugs():
    season = factories.season()
    montreal = factories.round_(season, 1, "Montréal")
    refused_by_database(
        lambda: Round.objects.create(
            season=season, number=1, name="Prague", slug="prague", city="Prague", country="CZ"
        )
    )
    refused_by_database(
        lambda: Round.objects.create(
            season=season, number=2, name="X", slug=montreal.slug, city="X", country="CZ"
        )
    )
    factories.race(montreal, number=1, name="Sprint")
    refused_by_database(lambda: factories.race(montreal, number=1, name="Main"))


def test_a_grid_must_come_from_an_earlier_race_of_the_same_round():
    season = factories.season()
    montreal, prague = factories.round_(season, 1, "Montréal"), factories.round_(season, 2, "Prague")
    sprint = factories.race(montreal, number=1, name="Sprint")
    main = factories.race(montreal, number=2, name="Main", grid_from=sprint)
    main.full_clean()

    elsewhere = factories.race(prague, number=2, name="Prague Main", grid_from=sprint)
    with pytest.raises(ValidationError) as caught:
        elsewhere.full_clean()
    assert caught.value.message_dict["grid_from"] == [
        "The grid can only come from an earlier race of Prague; “Sprint” is a race of Round 1, Montréal."
    ]

    sprint.grid_from = main
    with pytest.raises(ValidationError, match="“Main” is race 2 of the round and this is race 1"):
        sprint.full_clean()
    refused_by_database(lambda: Race.objects.filter(pk=sprint.pk).update(grid_from=sprint))


def test_points_scales_and_mandatory_compounds_are_validated():
    race = factories.race(points_scale=[6, 5, "four"], required_compounds=["S", "X"])
    with pytest.raises(ValidationError) as caught:
        race.full_clean()
    assert set(caught.value.message_dict) == {"points_scale", "required_compounds"}


def test_a_published_report_needs_a_publication_time_and_slugs_are_unique():
    montreal = factories.round_()
    refused_by_database(
        lambda: RaceReport.objects.create(round=montreal, title="T", slug="t", body="b", is_published=True)
    )
    RaceReport.objects.create(round=montreal, title="T", slug="t", body="b")
    refused_by_database(lambda: RaceReport.objects.create(round=montreal, title="U", slug="t", body="b"))
