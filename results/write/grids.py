"""Writes that follow from the racing rules: the one place that turns their answers into rows."""

from results.models import GridSlot
from results.read.loaders import classification, points_rule
from results.rules.grids import Finish, grid_from


def set_grid_from_source(race):
    """Replace a race's grid with the one its source race's final classification sets.

    The classification is the rules' (time penalties added after the finish move drivers back),
    not the order as published. Starting compounds already entered for a driver are kept.
    Returns the number of grid slots written. Call inside a transaction.
    """
    slots = grid_set_by(race.grid_from)
    compounds = dict(race.grid_slots.values_list("driver_id", "compound"))
    race.grid_slots.all().delete()
    GridSlot.objects.bulk_create(
        GridSlot(
            race=race, driver_id=slot.driver, position=slot.position, compound=compounds.get(slot.driver, "")
        )
        for slot in slots
    )
    return len(slots)


def grid_set_by(source):
    """The grid (:class:`~results.rules.grids.Slot`, by driver id) that ``source``'s final
    classification sets: the rules' classification, penalties added after the finish included."""
    results = source.results.order_by("position", "pk")
    classified = classification(points_rule(source), results, source.penalties.all())
    return grid_from(
        [Finish(result.driver_id, row.position) for result, row in classified], is_complete=source.is_complete
    )
