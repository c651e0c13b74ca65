"""Writing a race's results: a pasted press list, and the rows the season import writes too."""

from django.utils.text import slugify

from results.models import Driver, GridSlot, Penalty, PitStop, Race, Result, TyreStint
from results.rules.names import fold
from results.write.changes import racing_change


@racing_change()
def save_pasted_sheet(sheet):
    """Write every list of a :class:`results.exchange.sheet_paste.PastedSheet` read without errors,
    each replacing the race's rows of its kind; lists not pasted are left as they are. New drivers
    are created with the results. Returns the names of the lists written."""
    race = sheet.race
    drivers = {}
    if sheet.results:
        drivers = save_pasted_results(race, sheet.results)
    changes = {}
    if sheet.set_laps:
        changes["laps"] = sheet.set_laps
    if sheet.is_complete != race.is_complete:
        changes["is_complete"] = sheet.is_complete
    if changes:
        Race.objects.filter(pk=race.pk).update(**changes)
        for name, value in changes.items():
            setattr(race, name, value)

    def driver_id(key):
        return drivers.get(key, key)

    if sheet.grid:
        race.grid_slots.all().delete()
        GridSlot.objects.bulk_create(
            GridSlot(race=race, driver_id=driver_id(r.driver_key), position=r.position, compound=r.compound)
            for r in sheet.grid
        )
    if sheet.strategies:
        stored_laps = dict(race.results.exclude(laps=None).values_list("driver_id", "laps"))
        laps_done = {r.driver_key: stored_laps.get(driver_id(r.driver_key)) for r in sheet.strategies}
        race.stints.all().delete()
        TyreStint.objects.bulk_create(
            TyreStint(race=race, driver_id=driver_id(key), compound=compound, first_lap=first, last_lap=last)
            for key, compound, first, last in sheet.stint_rows(laps_done)
        )
    if sheet.strategies or sheet.pit_stops:
        race.pit_stops.all().delete()
        PitStop.objects.bulk_create(
            PitStop(race=race, driver_id=driver_id(key), lap=lap, duration_seconds=duration)
            for _, _, key, _, lap, duration in sheet.pit_stop_rows()
        )
    if sheet.penalties:
        race.penalties.all().delete()
        Penalty.objects.bulk_create(
            Penalty(
                race=race,
                driver_id=driver_id(r.driver_key),
                seconds=r.seconds,
                reason=r.reason,
                lap=r.lap,
                is_added_after_finish=r.after_finish,
            )
            for r in sheet.penalties
        )
    return sheet.pasted


@racing_change()
def save_pasted_results(race, rows):
    """Replace the race's results with pasted rows (:func:`results.exchange.paste.parse_pasted`).

    Each row's ``known_driver`` is the stored driver it names, or None for a new driver, who is
    created; its ``known_team`` the stored team (or brand) the line names, or None. A team named
    on the line is saved; otherwise teams and cars already entered for a driver are kept. Returns
    {the new drivers' keys ("new:<folded name>"): their ids}.
    """
    kept = {r.driver_id: (r.team_id, r.car_id) for r in race.results.all()}
    race.results.all().delete()
    results, created = [], {}
    for row in rows:
        driver = row.known_driver or Driver.objects.create(
            name=row.driver, slug=free_slug(Driver, row.driver), nation=row.nation
        )
        if row.known_driver is None:
            created[f"new:{fold(row.driver)}"] = driver.pk
        team_id, car_id = kept.get(driver.pk, (None, None))
        known_team = getattr(row, "known_team", None)
        if known_team is not None:
            team_id = known_team.pk
        results.append(
            new_result(
                race,
                driver_id=driver.pk,
                team_id=team_id,
                car_id=car_id,
                position=row.position,
                place_unknown=row.place_unknown,
                place_from=row.place_from,
                place_to=row.place_to,
                laps=row.laps,
                time=row.time,
                gap=row.gap,
                status=row.status,
            )
        )
    Result.objects.bulk_create(results)
    return created


def new_result(race, **values):
    """A Result for ``bulk_create``, which skips ``Result.save``: its sortable gap set here."""
    return Result(race=race, **values).sort_gap()


SLUG_BASE_LENGTH = 90  # every slug column holds 100 characters or more: room for a "-2"


def free_slug(model, text):
    """A slug made from ``text`` that no row of ``model`` has yet, short enough for its column."""
    base = slugify(text)[:SLUG_BASE_LENGTH].strip("-") or model._meta.model_name
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
