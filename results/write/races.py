"""Writing a round's races: a competition's races added in one step from a format."""

from django.utils.text import slugify

from results.models import Race
from results.rules.formats import numbered
from results.write.changes import racing_change


@racing_change()
def add_races(round, competition, race_format, tracks, laps):
    """Create the format's races in ``round`` for ``competition``, numbered after those it has, each
    race's grid taken from the race the format chains it to. Returns the races."""
    existing = Race.objects.filter(round=round, competition=competition)
    placed = numbered(
        race_format.races,
        existing.values_list("number", flat=True),
        existing.values_list("slug", flat=True),
        slugify,
    )
    created = []
    for index, (spec, number, slug) in enumerate(placed):
        race = Race(
            round=round,
            competition=competition,
            number=number,
            name=spec.name,
            slug=slug,
            kind=spec.kind,
            track=tracks[index],
            laps=laps[index] or spec.laps,
            points_scale=list(spec.points_scale),
            points_multiplier=spec.points_multiplier,
            grid_from=created[spec.grid_from] if spec.grid_from is not None else None,
            required_compounds=list(spec.required_compounds),
            required_compounds_min=spec.required_at_least,
        )
        race.full_clean()
        race.save()
        created.append(race)
    return created
