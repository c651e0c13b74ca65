"""Small helpers that make racing data for tests, with sensible defaults."""

import itertools

from django.utils.text import slugify

from results.models import Competition, Driver, Race, Round, Season, Track

_numbers = itertools.count(1)


def season(year=2030):
    return Season.objects.get_or_create(year=year, defaults={"name": f"GTWS {year}"})[0]


def competition(season_=None, name="Nations Cup", **fields):
    season_ = season_ or season()
    return Competition.objects.get_or_create(
        season=season_, slug=slugify(name), defaults={"name": name, **fields}
    )[0]


def round_(season_=None, number=1, name=None, **fields):
    season_ = season_ or season()
    name = name or f"City {number}"
    defaults = {"name": name, "slug": slugify(name), "city": name, "country": "FR", **fields}
    return Round.objects.get_or_create(season=season_, number=number, defaults=defaults)[0]


def track(name="Test Ring"):
    return Track.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]


def race(round_obj=None, competition_obj=None, number=1, name=None, **fields):
    round_obj = round_obj or round_()
    competition_obj = competition_obj or competition(round_obj.season)
    name = name or f"Race {number}"
    fields.setdefault("kind", Race.Kind.MAIN)
    fields.setdefault("laps", 10)
    fields.setdefault("track", track())
    return Race.objects.create(
        round=round_obj, competition=competition_obj, number=number, name=name, slug=slugify(name), **fields
    )


def driver(name=None, nation="FR"):
    name = name or f"Driver {next(_numbers)}"
    return Driver.objects.create(name=name, slug=slugify(name), nation=nation)


def season_document(year=2031, rounds=3, races=2, entries=20):
    """A season file (gtws-results/1) of ``rounds`` rounds of ``races`` races of ``entries`` finishers,
    each with two stints and a penalty."""
    laps = 20

    def entry(position):
        return {
            "position": position,
            "driver": f"Driver number {position} of the {year} season",
            "nation": "FR",
            "team": f"Team {position % 10}",
            "laps": laps,
            "gap": f"+{position}.{position:03d}" if position > 1 else "",
            "time": "40:00.000" if position == 1 else "",
            "reason": "Classified on the road; the stewards looked at the restart and took no action.",
            "penalties": [{"lap": 3, "seconds": 5, "reason": f"Track limits at turn {position % 12 + 1}"}],
            "stints": [
                {"compound": "S", "from_lap": 1, "to_lap": laps // 2},
                {"compound": "M", "from_lap": laps // 2 + 1, "to_lap": laps},
            ],
        }

    def race(number):
        return {
            "number": number,
            "name": f"Race {number}",
            "kind": "main",
            "track": {"name": "Test Ring", "layout": "Full", "country": "FR"},
            "laps": laps,
            "car": "Test Car",
            "points": [25, 18, 15, 12, 10, 8, 6, 4, 2, 1],
            "required_compounds": ["S", "M"],
            "results": [entry(position) for position in range(1, entries + 1)],
        }

    return {
        "format": "gtws-results/1",
        "season": {"year": year, "name": f"Test season {year}"},
        "competitions": [
            {
                "name": "Big Cup",
                "slug": "big-cup",
                "scores": "driver",
                "tie_break": "shared",
                "rounds": [
                    {
                        "number": number,
                        "name": f"Round city {number}",
                        "city": f"Round city {number}",
                        "country": "FR",
                        "races": [race(n) for n in range(1, races + 1)],
                    }
                    for number in range(1, rounds + 1)
                ],
            }
        ],
    }
