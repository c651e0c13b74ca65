"""The Montréal 2024 demo: Round 1 of the 2024 Nations Cup, as the press report gives it.

Only facts the report states are entered; what it does not say stays empty (see
docs/demo-data.md). Loading is idempotent: what exists is left as it is, so an
editor's changes survive ``make run``; ``reset=True`` puts the demo back.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from results.editors import ensure_editors_group
from results.models import (
    Car,
    Competition,
    Driver,
    GridSlot,
    Incident,
    Penalty,
    PitStop,
    Race,
    RaceReport,
    Result,
    Round,
    Season,
    Team,
    Track,
    TyreStint,
)
from results.write.grids import set_grid_from_source

DEMO_EDITOR_USERNAME = "editor"
DEMO_EDITOR_PASSWORD = "gtws-demo-editor"  # documented in README; created only with DEBUG on

DRIVERS = [
    # name, slug, nation
    ("Takuma Miyazono", "takuma-miyazono", "JP"),
    ("Jose Serrano", "jose-serrano", "ES"),
    ("Coque López", "coque-lopez", "ES"),
    ("Kaj de Bruin", "kaj-de-bruin", "NL"),
    ("Takuma Sasaki", "takuma-sasaki", "JP"),
    ("Valerio Gallo", "valerio-gallo", "IT"),
    ("Calen Roach", "calen-roach", "US"),
    ("Robert Heck", "robert-heck", "US"),
    ("Adriano Carrazza", "adriano-carrazza", "BR"),
    ("Kylian Drumont", "kylian-drumont", "FR"),
    ("Angel Inostroza", "angel-inostroza", "CL"),
    ("Guy Barbara", "guy-barbara", "AU"),
]

# The main race's classification exactly as published.
MAIN_RACE_RESULTS = [
    # position, driver slug, laps completed, gap as published
    (1, "takuma-miyazono", 35, ""),
    (2, "jose-serrano", 35, "+1.0684"),
    (3, "coque-lopez", 35, "+5.678"),
    (4, "kaj-de-bruin", 35, "+8.184"),
    (5, "takuma-sasaki", 35, "+8.184"),
    (6, "valerio-gallo", 35, "+28.755"),
    (7, "calen-roach", 35, "+35.113"),
    (8, "robert-heck", 35, "+41.215"),
    (9, "adriano-carrazza", 35, "+ 43.476"),
    (10, "kylian-drumont", 35, "+1:05.950"),
    (11, "angel-inostroza", 35, "+1:22.152"),
    (12, "guy-barbara", None, "N/A"),
]

# The sprint: only the places the report names.
SPRINT_RESULTS = [
    # position, driver slug, laps completed, car
    (1, "kylian-drumont", 7, "Chevrolet Corvette"),
    (2, "takuma-miyazono", None, "Ferrari F50"),
    (3, "takuma-sasaki", None, None),
    (7, "valerio-gallo", None, None),
]

MAIN_RACE_STARTING_COMPOUNDS = {"kylian-drumont": "S", "takuma-miyazono": "M", "takuma-sasaki": "M"}

MAIN_RACE_STINTS = [
    # driver slug, compound, first lap, last lap (None where the report does not say)
    ("kylian-drumont", "S", 1, 10),
    ("takuma-miyazono", "M", 1, None),
    ("takuma-sasaki", "M", 1, None),
    ("calen-roach", "H", 1, 1),
    ("guy-barbara", "H", 1, 1),
    ("angel-inostroza", "H", 1, 1),
    ("robert-heck", "H", 1, 1),
    ("jose-serrano", "S", None, 33),
    ("jose-serrano", "H", 34, 35),
]

MAIN_RACE_PIT_STOPS = [
    ("calen-roach", 1),
    ("guy-barbara", 1),
    ("angel-inostroza", 1),
    ("robert-heck", 1),
    ("kylian-drumont", 10),
    ("jose-serrano", 33),
]

MAIN_RACE_PENALTIES = [
    # driver slug, seconds (None where the report does not give the size), reason
    ("takuma-miyazono", Decimal("0.5"), "Track limits"),
    ("takuma-miyazono", None, "Track limits"),
]

MAIN_RACE_INCIDENTS = [
    ("kylian-drumont", 28, "Crashed at Turn 5 while leading on the road, eight laps from the end"),
    ("valerio-gallo", None, "Spun out of contention while fighting for second place"),
]

SPRINT_INCIDENTS = [
    ("valerio-gallo", 7, "Lost fourth place on the final lap and fell to seventh"),
]

# The round was run on 6 July 2024 (the organiser's release); the press report carries no date of its
# own, so ours is published the day after, at noon UTC (docs/demo-data.md), never the day of loading.
REPORT_PUBLISHED_AT = datetime(2024, 7, 7, 12, 0, tzinfo=UTC)
REPORT_SLUG = "2024-montreal-nations-cup-miyazono-leads"
REPORT_TITLE = "Miyazono snatches Montréal win and the early Nations Cup lead"
REPORT_STANDFIRST = (
    "A late slipstream pass on Jose Serrano gave Takuma Miyazono victory in the first Nations Cup "
    "race of 2024, after Kylian Drumont's challenge ended in the Turn 5 barriers."
)
REPORT_BODY = """\
The 2024 Nations Cup opened in Montréal with a new format: one driver per nation, two races, and \
only the second of them paying points. A seven-lap sprint at Watkins Glen decided the order for the \
35-lap main race at Michelin Raceway Road Atlanta.

Takuma Miyazono started the sprint from pole in a Ferrari F50, but Kylian Drumont's Corvette was past \
him before the first lap was over and the Frenchman was never seen again. Takuma Sasaki got by his \
compatriot on lap three without making it stick, and the two Japanese drivers spent the rest of the \
race side by side. Valerio Gallo held fourth until the last lap, when the pack behind swallowed him and \
he fell to seventh.

That put Drumont on pole for the main race, the only driver to gamble on soft tyres at the start, \
with Miyazono and Sasaki behind him on mediums. Everyone drove the Red Bull X2019 Competition and had \
to use soft, medium and hard tyres during the race, which split the field into very different plans.

Four drivers, Robert Heck, Calen Roach, Angel Inostroza and Guy Barbara, started on hards and pitted \
after a single lap. A second stop left them a lap down by lap 15 but on fresh tyres, and they spent the \
middle of the race mixing it with the cars fighting over second. Further forward, Coque López passed \
Sasaki at the rolling start and then Miyazono, who had picked up a half-second penalty for exceeding \
track limits, only to lose the place again a lap later and fall back behind Kaj de Bruin and Sasaki.

Drumont made his first stop after ten laps and looked set to fight Miyazono for the win until he lost \
the car at Turn 5 and hit the wall, eight laps from the flag; he recovered to finish tenth. Jose Serrano had \
stayed out on softs for a very long stint and only stopped for hards with two laps left, rejoining \
four tenths ahead of Miyazono. It was not enough: Miyazono, despite a second track-limits penalty, \
used the slipstream down the back straight to take the lead and the win by 1.0684 seconds.

Serrano and López made it a double podium for Spain, de Bruin was fourth for the Netherlands just \
ahead of Sasaki, and Gallo, who had spun during the midfield battle, took the last point in sixth. \
The championship moves on to Prague, Czechia, for Round 2.
"""


@dataclass
class DemoSummary:
    created: bool
    editor_created: bool = False


def _get(model, lookup, **defaults):
    return model.objects.get_or_create(**lookup, defaults=defaults)[0]


@transaction.atomic
def load_demo(*, reset=False):
    """Load the Montréal demo; with ``reset`` rewrite its races and report from scratch.

    Every write marks what it changed for the page cache through the models' QuerySets and signals.
    """
    season = _get(Season, {"year": 2024}, name="Gran Turismo World Series 2024")
    nations_cup = _get(
        Competition,
        {"season": season, "slug": "nations-cup"},
        name="Nations Cup",
        scores=Competition.Scores.DRIVER,
        tie_break=Competition.TieBreak.SHARED,
    )
    montreal = _get(
        Round,
        {"season": season, "number": 1},
        name="Montréal",
        slug="montreal",
        city="Montréal",
        country="CA",
        time_zone="America/Toronto",
        status=Round.Status.COMPLETED,
    )
    _get(
        Round,
        {"season": season, "number": 2},
        name="Prague",
        slug="prague",
        city="Prague",
        country="CZ",
        time_zone="Europe/Prague",
        status=Round.Status.SCHEDULED,
    )
    drivers = {slug: _get(Driver, {"slug": slug}, name=name, nation=nation) for name, slug, nation in DRIVERS}
    ferrari = _get(Team, {"slug": "ferrari"}, name="Ferrari", kind=Team.Kind.MANUFACTURER)
    chevrolet = _get(Team, {"slug": "chevrolet"}, name="Chevrolet", kind=Team.Kind.MANUFACTURER)
    red_bull = _get(Team, {"slug": "red-bull"}, name="Red Bull", kind=Team.Kind.MANUFACTURER)
    cars = {
        "Ferrari F50": _get(Car, {"slug": "ferrari-f50"}, name="Ferrari F50", manufacturer=ferrari),
        "Chevrolet Corvette": _get(
            Car, {"slug": "chevrolet-corvette"}, name="Chevrolet Corvette", manufacturer=chevrolet
        ),
    }
    x2019 = _get(
        Car, {"slug": "red-bull-x2019-competition"}, name="Red Bull X2019 Competition", manufacturer=red_bull
    )
    watkins_glen = _get(Track, {"slug": "watkins-glen"}, name="Watkins Glen", country="US")
    road_atlanta = _get(
        Track, {"slug": "michelin-raceway-road-atlanta"}, name="Michelin Raceway Road Atlanta", country="US"
    )

    if reset:
        montreal.races.filter(competition=nations_cup).delete()
        RaceReport.objects.filter(slug=REPORT_SLUG).delete()
    elif montreal.races.filter(competition=nations_cup).exists():
        return DemoSummary(created=False, editor_created=_ensure_demo_editor())

    sprint = Race.objects.create(
        round=montreal,
        competition=nations_cup,
        number=1,
        name="Sprint Race",
        slug="sprint-race",
        kind=Race.Kind.SPRINT,
        track=watkins_glen,
        laps=7,
        is_complete=False,
    )
    main = Race.objects.create(
        round=montreal,
        competition=nations_cup,
        number=2,
        name="Main Race",
        slug="main-race",
        kind=Race.Kind.MAIN,
        track=road_atlanta,
        laps=35,
        car=x2019,
        grid_from=sprint,
        points_scale=[6, 5, 4, 3, 2, 1],
        required_compounds=["S", "M", "H"],
    )
    for race in (sprint, main):
        race.full_clean()

    GridSlot.objects.create(race=sprint, driver=drivers["takuma-miyazono"], position=1)
    for position, slug, laps, car in SPRINT_RESULTS:
        Result.objects.create(
            race=sprint, driver=drivers[slug], position=position, laps=laps, car=cars.get(car)
        )
    for slug, lap, description in SPRINT_INCIDENTS:
        Incident.objects.create(race=sprint, driver=drivers[slug], lap=lap, description=description)

    for position, slug, laps, gap in MAIN_RACE_RESULTS:
        Result.objects.create(race=main, driver=drivers[slug], position=position, laps=laps, gap=gap)
    set_grid_from_source(main)
    for slug, compound in MAIN_RACE_STARTING_COMPOUNDS.items():
        main.grid_slots.filter(driver=drivers[slug]).update(compound=compound)
    TyreStint.objects.bulk_create(
        TyreStint(race=main, driver=drivers[slug], compound=compound, first_lap=first, last_lap=last)
        for slug, compound, first, last in MAIN_RACE_STINTS
    )
    PitStop.objects.bulk_create(
        PitStop(race=main, driver=drivers[slug], lap=lap) for slug, lap in MAIN_RACE_PIT_STOPS
    )
    Penalty.objects.bulk_create(
        Penalty(race=main, driver=drivers[slug], seconds=seconds, reason=reason)
        for slug, seconds, reason in MAIN_RACE_PENALTIES
    )
    Incident.objects.bulk_create(
        Incident(race=main, driver=drivers[slug], lap=lap, description=description)
        for slug, lap, description in MAIN_RACE_INCIDENTS
    )

    report = RaceReport.objects.create(
        round=montreal,
        title=REPORT_TITLE,
        slug=REPORT_SLUG,
        author="GTWS fan site",
        standfirst=REPORT_STANDFIRST,
        body=REPORT_BODY,
        is_published=True,
        published_at=REPORT_PUBLISHED_AT,
    )
    report.races.set([sprint, main])
    return DemoSummary(created=True, editor_created=_ensure_demo_editor())


def _ensure_demo_editor():
    """A ready-made editor account for trying the admin; never created with DEBUG off."""
    if not settings.DEBUG:
        return False
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_EDITOR_USERNAME, defaults={"is_staff": True, "email": "editor@example.com"}
    )
    if created:
        user.set_password(DEMO_EDITOR_PASSWORD)
        user.save()
        user.groups.add(ensure_editors_group())
        # Sign-in is by e-mail, verified: the demo editor's address counts as verified.
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return created
