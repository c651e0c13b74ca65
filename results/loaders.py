"""Rows from the database into the rules' plain data: the one place that queries for them."""

from .rules.checks import GridRow, LapRow, RaceSheet, ResultRow, StintRow


def race_sheet(race):
    """The stored grid, results, stints, pit stops and penalties of a race, as a RaceSheet."""

    def rows(manager, make):
        return [make(index, row) for index, row in enumerate(manager.select_related("driver"), start=1)]

    return RaceSheet(
        laps=race.laps,
        is_complete=race.is_complete,
        results=rows(
            race.results,
            lambda i, r: ResultRow(i, r.driver_id, r.driver.name, r.position, r.laps, r.status),
        ),
        grid=rows(
            race.grid_slots, lambda i, g: GridRow(i, g.driver_id, g.driver.name, g.position, g.compound)
        ),
        stints=rows(
            race.stints,
            lambda i, s: StintRow(i, s.driver_id, s.driver.name, s.compound, s.first_lap, s.last_lap),
        ),
        pit_stops=rows(race.pit_stops, lambda i, p: LapRow(i, p.driver_id, p.driver.name, p.lap)),
        penalties=rows(race.penalties, lambda i, p: LapRow(i, p.driver_id, p.driver.name, p.lap)),
    )
