"""The project's benchmark: `make bench`. Never a timed test; run it and read the tables.

Sections (all by default):

* ``engine``: importing a synthetic 20-round season through the season importer,
  and computing standings over 10, 100 and 1,000 rounds with the rules engine
  (the time per result must not grow with the number of rounds).
* ``pages``: a synthetic archive (10 seasons × 4 rounds × 2 competitions × 3 races
  × 12 drivers, stints and penalties, 500 comments on the latest report) built
  through the season importer; per page type the SQL queries and the in-process
  render time (median, p95), cold (cache empty) and cached.
* ``load``: the same pages under gunicorn (the repo's config) with wrk on
  127.0.0.1, at 16 and 64 connections, beside the trivial /healthz in the same
  run: requests per second, p50/p99 latency, failures, each page's ratio to
  /healthz; cold renders of the race and standings pages; peak worker memory.
  wrk sends the Accept-Encoding header browsers send (cached pages are kept
  gzipped as well); one extra row shows the report page to a client without it.
"""

import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from results.exchange.importer import import_season
from results.exchange.validate import read
from results.models import Competition, Race, RaceReport, Season
from results.read.loaders import competition_standings
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


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


ARCHIVE_YEARS = range(2015, 2025)


def build_archive(rounds=4, comments=500, out=print):
    """The synthetic archive, through the season importer; returns the page URLs to measure."""
    from community.models import Comment

    start = time.perf_counter()
    for year in ARCHIVE_YEARS:
        if not Season.objects.filter(year=year).exists():
            import_season(read(synthetic_season(year, rounds, seed=year)))
    latest = Season.objects.get(year=ARCHIVE_YEARS[-1])
    last_round = latest.rounds.order_by("-number").first()
    report, _ = RaceReport.objects.get_or_create(
        slug="bench-report",
        defaults={
            "round": last_round,
            "title": "Bench report",
            "body": "Words.\n\nMore words.",
            "is_published": True,
            "published_at": timezone.now(),
        },
    )
    report.races.set(last_round.races.all())
    missing = comments - report.comments.count()
    if missing > 0:
        User = get_user_model()
        fans = [
            User.objects.get_or_create(
                username=f"bench-fan-{n}", defaults={"email": f"fan{n}@bench.invalid"}
            )[0]
            for n in range(50)
        ]
        tops = []
        for n in range(missing):
            parent = tops[n % len(tops)] if tops and n % 4 == 3 else None
            comment = Comment.objects.create(
                report=report, author=fans[n % 50], parent=parent, body=f"Comment {n}"
            )
            if parent is None:
                tops.append(comment)
    out(f"archive ready in {time.perf_counter() - start:.1f}s")
    race = (
        Race.objects.filter(round=last_round, competition__slug="cup-1", number=3)
        .select_related("round")
        .get()
    )
    driver = race.results.select_related("driver").first().driver
    year = latest.year
    return {
        "home": "/",
        "calendar": f"/{year}/",
        "round": f"/{year}/{last_round.slug}/",
        "race results": f"/{year}/{last_round.slug}/cup-1/{race.slug}/",
        "standings": f"/{year}/cup-1/standings/",
        "driver": f"/drivers/{driver.slug}/",
        "report + 500 comments": "/reports/bench-report/",
        "API standings": f"/api/v1/{year}/cup-1/standings/",
    }


def page_queries(captured):
    """The SQL a page ran (from ``CaptureQueriesContext.captured_queries``), less the database
    cache's own statements and transaction control: the same count with or without Redis."""
    return [
        query["sql"]
        for query in captured
        if "gtws_cache" not in query["sql"]
        and not query["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))
    ]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn with the repo's config on a free port of 127.0.0.1, for the length of a block."""

    def __init__(self, extra_env=None, workers=None):
        self.port = free_port()
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            **(extra_env or {}),
        }
        self.env.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
        self.env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        if workers:
            self.env["GUNICORN_WORKERS"] = str(workers)
        self.env["GUNICORN_ACCESSLOG"] = ""

    def __enter__(self):
        # Production settings serve hashed, compressed static files: collect them first.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=settings.BASE_DIR,
            env=self.env,
            check=True,
        )
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [gunicorn, "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null", "gtws_site.wsgi"],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_peak_memory_mb(self):
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        peaks = []
        for pid in children:
            status = Path(f"/proc/{pid}/status")
            if status.exists():
                match = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
                if match:
                    peaks.append(int(match.group(1)) / 1024)
        return max(peaks, default=0)

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


# What every browser sends; cached pages are stored gzipped too (results.cache.pages).
BROWSER_HEADERS = ("Accept-Encoding: gzip, deflate, br",)


def wrk(url, connections, seconds, headers=BROWSER_HEADERS):
    """Requests/s, p50 and p99 latency (ms), and failed requests, from one wrk run."""
    options = [option for header in headers for option in ("-H", header)]
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", *options, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", done, re.MULTILINE)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    failures = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", done)
    if non_2xx:
        failures += int(non_2xx.group(1))
    if errors:
        failures += sum(int(n) for n in errors.groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", done).group(1))
    return rps, latency(50), latency(99), failures


class Command(BaseCommand):
    help = "Benchmark the site (see the module docstring); prints one table per section."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=["engine", "pages", "load"], action="append")
        parser.add_argument("--rounds", type=int, default=20, help="rounds in the imported season (engine)")
        parser.add_argument(
            "--archive-rounds", type=int, default=4, help="rounds per archive season (pages, load)"
        )
        parser.add_argument("--comments", type=int, default=500)
        parser.add_argument("--repeat", type=int, default=20, help="renders per page (pages)")
        parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run (load)")
        parser.add_argument(
            "--workers", type=int, default=None, help="gunicorn workers (default: the config's)"
        )
        parser.add_argument(
            "--keep", action="store_true", help="allow writing into a database not named *bench*"
        )

    def handle(
        self, *args, only, rounds, archive_rounds, comments, repeat, seconds, workers, keep, **options
    ):
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name and not keep:
            raise CommandError(
                "Run the benchmark on its own database (make bench sets DATABASE_URL to a scratch file), "
                "or pass --keep to write into this one knowingly."
            )
        sections = only or ["engine", "pages", "load"]
        self.stdout.write(
            f"Database: {connection.vendor} ({name}); "
            f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
            f"{os.cpu_count()} cores; Python {sys.version.split()[0]}"
        )
        if "engine" in sections:
            self.engine(rounds, max(3, repeat // 4))
        urls = None
        if "pages" in sections or "load" in sections:
            urls = build_archive(archive_rounds, comments, out=self.stdout.write)
        if "pages" in sections:
            self.pages(urls, repeat)
        if "load" in sections:
            self.load(urls, seconds, workers)

    def pages(self, urls, repeat):
        client = Client(HTTP_HOST="127.0.0.1")
        self.stdout.write("")
        self.stdout.write("Pages, in process (Django test client), ms")
        self.stdout.write(
            f"{'page':<24} {'queries':>7} {'cold p50':>9} {'cold p95':>9} "
            f"{'cached p50':>11} {'cached p95':>11}"
        )
        for label, url in urls.items():
            cache.clear()
            reset_queries()  # the import filled Django's bounded query log
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            queries = len(page_queries(captured.captured_queries))

            def cold(url=url):
                cache.clear()
                client.get(url)

            cold_samples = timed(cold, repeat)
            client.get(url)
            warm_samples = timed(lambda url=url: client.get(url), repeat)
            self.stdout.write(
                f"{label:<24} {queries:>7} {statistics.median(cold_samples) * 1000:>9.1f} "
                f"{percentile(cold_samples, 0.95) * 1000:>9.1f} "
                f"{statistics.median(warm_samples) * 1000:>11.2f} "
                f"{percentile(warm_samples, 0.95) * 1000:>11.2f}"
            )

    def load(self, urls, seconds, workers):
        if not shutil.which("wrk"):
            self.stdout.write("wrk is missing: installing Debian's wrk")
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "wrk"],
                check=True,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )
        database = {"DATABASE_URL": os.environ["DATABASE_URL"]} if os.environ.get("DATABASE_URL") else {}
        self.stdout.write("")
        self.stdout.write(f"Under gunicorn (gunicorn.conf.py, sync workers) with wrk, {seconds}s per run")
        columns = ("conns", 5), ("req/s", 8), ("p50 ms", 7), ("p99 ms", 7), ("failed", 6), ("/healthz", 9)
        header = f"{'page':<24} " + " ".join(f"{name:>{width}}" for name, width in columns)
        total_failures = 0
        with Gunicorn(database, workers) as server:
            for url in [*urls.values(), "/healthz"]:  # warm every cache once
                subprocess.run(["curl", "-s", "-o", "/dev/null", server.url(url)], check=False)
            self.stdout.write(header)
            for connections in (16, 64):
                baseline = wrk(server.url("/healthz"), connections, seconds)
                rows = [("healthz (trivial)", baseline)]
                rows += [(label, wrk(server.url(url), connections, seconds)) for label, url in urls.items()]
                if connections == 16:  # a client that does not take gzip (a script, a crawler)
                    url = urls["report + 500 comments"]
                    rows.append(("report, no gzip", wrk(server.url(url), connections, seconds, headers=())))
                for label, (rps, p50, p99, failed) in rows:
                    total_failures += failed
                    self.stdout.write(
                        f"{label:<24} {connections:>5} {rps:>8.0f} {p50:>7.1f} {p99:>7.1f} {failed:>6} "
                        f"{rps / baseline[0]:>8.0%}"
                    )
            peak = server.worker_peak_memory_mb()
        with Gunicorn({**database, "PAGE_CACHE": "0"}, workers) as server:
            self.stdout.write("Cold renders (page cache off), 16 connections:")
            baseline = wrk(server.url("/healthz"), 16, seconds)
            for label in ("race results", "standings"):
                rps, p50, p99, failed = wrk(server.url(urls[label]), 16, seconds)
                total_failures += failed
                self.stdout.write(
                    f"{label + ' (cold)':<24} {16:>5} {rps:>8.0f} {p50:>7.1f} {p99:>7.1f} {failed:>6} "
                    f"{rps / baseline[0]:>8.0%}"
                )
        self.stdout.write(
            f"Peak memory of a worker: {peak:.0f} MB; failed requests in all runs: {total_failures}"
        )

    def engine(self, rounds, repeat):
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
        Season.objects.filter(year=year).delete()
