"""Writes that follow from the racing rules: the one place that turns their answers into rows."""

from results.cache import versions as versioning
from results.models import GridSlot
from results.rules.grids import Finish, grid_from


def set_grid_from_source(race):
    """Replace a race's grid with the one its source race's classification sets.

    Starting compounds already entered for a driver are kept. Returns the number
    of grid slots written. Call inside a transaction.
    """
    source = race.grid_from
    results = source.results.order_by("position", "pk").values_list("driver_id", "position")
    classified = [Finish(driver, position) for driver, position in results if position is not None]
    unclassified = [Finish(driver, None) for driver, position in results if position is None]
    slots = grid_from(classified + unclassified, is_complete=source.is_complete)
    compounds = dict(race.grid_slots.values_list("driver_id", "compound"))
    race.grid_slots.all().delete()
    GridSlot.objects.bulk_create(
        GridSlot(
            race=race, driver_id=slot.driver, position=slot.position, compound=compounds.get(slot.driver, "")
        )
        for slot in slots
    )
    versioning.bump()  # bulk_create sends no signals
    return len(slots)
