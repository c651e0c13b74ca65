"""The order a race's lap-stamped rows are shown and written in."""


def by_lap(row):
    """Pit stops and penalties: by lap, rows without a lap last, then in the order entered."""
    return (row.lap is None, row.lap or 0, row.pk)


def stint_order(stint):
    """Stints: by first lap (the last one where the first is not known), then by last lap."""
    return (stint.first_lap or stint.last_lap or 0, stint.last_lap or 0)
