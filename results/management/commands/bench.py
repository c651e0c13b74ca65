"""The project's benchmark: `make bench`. Never a timed test; run it and read the table.

Sections:

* ``engine``: importing a synthetic 20-round season through the season importer,
  and computing standings over 10, 100 and 1,000 rounds with the rules engine
  (the time per result must not grow with the number of rounds).
"""

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from results.exchange.importer import import_season
from results.exchange.validate import read
from results.loaders import competition_standings
from results.models import Competition, Season
from results.rules.classification import Entry, PointsRule, classify
from results.rules.standings import Score, standings

SCALE = (25, 18, 15, 12, 10, 8, 6, 4, 2, 1)


def synthetic_season(year, rounds, drivers=12, competitions=2, races_per_round=3, seed=1):
    """A season document with stints and penalties, reproducible from ``seed``."""
    rng = random.Random(seed)
    names = [f"Driver {year}-{c}-{n:02d}" for c in range(competitions) for n in range(drivers)]
    nations = ["FR", "DE", "IT", "ES", "JP", "GB", "NL", "US", "BR", "AU", "CL", "CA"]
    document = {
        "format": "gtws-results/1",
        "season": {"year": year, "name": f"Bench {year}"},
        "competitions": [],
    }
    for c in range(competitions):
        field = names[c * drivers : (c + 1) * drivers]
        rounds_doc = []
        for number in range(1, rounds + 1):
            races = []
            for race_number in range(1, races_per_round + 1):
                order = field[:]
                rng.shuffle(order)
                laps = 20
                results = []
                for position, name in enumerate(order, start=1):
                    stop = rng.randint(5, 15)
                    results.append(
                        {
                            "position": position,
                            "driver": name,
                            "nation": nations[field.index(name) % len(nations)],
                            "laps": laps,
                            "gap": None if position == 1 else f"+{position * 1.234:.3f}",
                            "grid": position if race_number > 1 else None,
                            "penalties": [{"lap": 3, "seconds": 0.5, "reason": "Track limits"}]
                            if rng.random() < 0.2
                            else [],
                            "stints": [
                                {"compound": "M", "from_lap": 1, "to_lap": stop},
                                {"compound": "H", "from_lap": stop + 1, "to_lap": laps},
                            ],
                        }
                    )
                races.append(
                    {
                        "number": race_number,
                        "name": f"Race {race_number}",
                        "kind": "main" if race_number == races_per_round else "heat",
                        "track": {"name": f"Track {number % 7}", "layout": None, "country": "FR"},
                        "laps": laps,
                        "car": "Bench Car",
                        "grid_from": race_number - 1 if race_number > 1 else None,
                        "points": list(SCALE) if race_number == races_per_round else [],
                        "points_multiplier": 1,
                        "required_compounds": ["M", "H"],
                        "complete": True,
                        "results": results,
                    }
                )
            rounds_doc.append(
                {
                    "number": number,
                    "name": f"City {number}",
                    "city": f"City {number}",
                    "country": "FR",
                    "venue": None,
                    "date": None,
                    "races": races,
                }
            )
        document["competitions"].append(
            {
                "name": f"Cup {c + 1}",
                "slug": f"cup-{c + 1}",
                "scores": "driver",
                "tie_break": "countback" if c else "shared",
                "rounds": rounds_doc,
            }
        )
    return document


def synthetic_scores(rounds, drivers=24, seed=2):
    rng = random.Random(seed)
    rule = PointsRule(SCALE)
    field = [f"D{n}" for n in range(drivers)]
    scores = []
    for number in range(1, rounds + 1):
        order = field[:]
        rng.shuffle(order)
        rows = classify([Entry(name, position) for position, name in enumerate(order, start=1)], rule)
        scores.extend(Score(number, number, r.driver, r.driver, r.position, r.points) for r in rows)
    return scores


def timed(function, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


class Command(BaseCommand):
    help = "Benchmark the site (see the module docstring); prints one table per section."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=["engine"], default="engine")
        parser.add_argument("--rounds", type=int, default=20, help="rounds in the imported season")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--keep", action="store_true", help="keep the synthetic season in the database")

    def handle(self, *args, only, rounds, repeat, keep, **options):
        if "bench" not in str(connection.settings_dict["NAME"]) and not keep:
            raise CommandError(
                "Run the benchmark on its own database (make bench sets DATABASE_URL to a scratch file), "
                "or pass --keep to write into this one knowingly."
            )
        self.engine(rounds, repeat, keep)

    def engine(self, rounds, repeat, keep):
        year = 2199  # far from any real season
        document = synthetic_season(year, rounds)
        results = sum(
            len(r["results"]) for c in document["competitions"] for rd in c["rounds"] for r in rd["races"]
        )
        Season.objects.filter(year=year).delete()
        start = time.perf_counter()
        import_season(read(document))
        first = time.perf_counter() - start
        again = timed(lambda: import_season(read(document)), max(1, repeat // 2))
        competition = Competition.objects.get(season__year=year, slug="cup-1")
        with CaptureQueriesContext(connection) as captured:
            competition_standings(competition)
        from_db = timed(lambda: competition_standings(competition), repeat)

        self.stdout.write(
            f"Engine ({rounds} rounds × 2 competitions × 3 races × 12 drivers = {results} results)"
        )
        self.stdout.write(f"{'measure':<52} {'median':>10} {'best':>10}")
        self.stdout.write(f"{'import, empty database (one run)':<52} {first * 1000:>8.0f}ms {'':>10}")
        self.stdout.write(
            f"{'import again, nothing changes':<52} {statistics.median(again) * 1000:>8.0f}ms "
            f"{min(again) * 1000:>8.0f}ms"
        )
        self.stdout.write(
            f"{f'standings of one competition from the database ({len(captured)} queries)':<52} "
            f"{statistics.median(from_db) * 1000:>8.1f}ms {min(from_db) * 1000:>8.1f}ms"
        )
        for size in (10, 100, 1000):
            scores = synthetic_scores(size)
            samples = timed(lambda scores=scores: standings(scores, tie_break="countback"), repeat)
            per_result = statistics.median(samples) / len(scores) * 1e6
            self.stdout.write(
                f"{f'standings engine, {size} rounds ({len(scores)} results)':<52} "
                f"{statistics.median(samples) * 1000:>8.1f}ms {per_result:>7.2f}µs/result"
            )
        if not keep:
            Season.objects.filter(year=year).delete()
