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
