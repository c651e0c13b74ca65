"""Writing a race's results: a pasted press list, and the rows the season import writes too."""

from django.utils.text import slugify

from results.models import Driver, Result
from results.write.changes import racing_change


@racing_change()
def save_pasted_results(race, rows):
    """Replace the race's results with pasted rows (:func:`results.exchange.paste.parse_pasted`).

    Each row's ``known_driver`` is the stored driver it names, or None for a new driver, who is
    created; its ``known_team`` the stored team (or brand) the line names, or None. A team named
    on the line is saved; otherwise teams and cars already entered for a driver are kept.
    """
    kept = {r.driver_id: (r.team_id, r.car_id) for r in race.results.all()}
    race.results.all().delete()
    results = []
    for row in rows:
        driver = row.known_driver or Driver.objects.create(
            name=row.driver, slug=free_slug(Driver, row.driver), nation=row.nation
        )
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
