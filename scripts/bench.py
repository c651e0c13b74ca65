#!/usr/bin/env python
"""The project's benchmark: `make bench` (SQLite) and `make bench-pg` (PostgreSQL + Redis).

Never a timed test; run it and read the tables. It writes into the database it is given, so it refuses
one not named *bench* unless told ``--keep``:

    DATABASE_URL=sqlite:////tmp/gtws-bench.sqlite3 .venv/bin/python scripts/bench.py --only raceday

Sections (all by default):

* ``engine``: importing a synthetic 20-round season through the season importer,
  and computing standings over 10, 100 and 1,000 rounds with the rules engine
  (the time per result must not grow with the number of rounds).
* ``pages``: a synthetic archive (10 seasons × 4 rounds × 2 competitions × 3 races
  × 12 drivers, stints and penalties, 500 comments on the latest report) built
  through the season importer; per page type the SQL queries and the in-process
  render time (median, p95), cold (caches empty) and cached.
* ``load``: the same pages under gunicorn (the repo's config) with wrk on
  127.0.0.1, at 16 and 64 connections, beside the trivial /healthz in the same
  run, in rounds (3 by default: /healthz, every page in a rotating order,
  /healthz): requests per second, p50/p99 latency, failures, each page's ratio
  to /healthz over all rounds and the spread of the rounds' ratios; cold renders
  of the race and standings pages; peak worker memory.
  wrk sends the Accept-Encoding header browsers send (cached pages are kept
  gzipped as well); one extra row shows the report page to a client without it.
* ``raceday``: gunicorn with production settings and the background task worker
  (``manage.py db_worker``) as a process of its own; five public pages in turn
  (home, race results, standings, the report with its comments, a driver) at 32
  connections, quiet and while fans comment under the report 4 times a second,
  fans pick the podium of the next race 4 times a second (a round a week ahead,
  added for it) and an editor saves a result of the race every 5 s (threads of this process,
  through the ORM, as the site's write paths do), in short runs, 8 pairs by default,
  quiet first in odd pairs and busy first in even ones; each run also shows the CPU
  seconds each group of processes used and what a save cost; then how long after
  an editor's save the pages it touched are cached again with no reader asking,
  and whether 300 requests with made-up query strings add entries to the page cache.
"""
# ruff: noqa: E402 (Django is set up before the project's modules are imported)

import argparse
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gtws_site.settings")
# Production settings in this process too: an editor's save here renders pages ahead of its commit as
# a gunicorn worker would (DEBUG off: cached templates, hashed static files), on plain HTTP.
os.environ.update(DEBUG="0", ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)

import django

django.setup()

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command, get_commands
from django.db import connection, connections, reset_queries, router
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Comment, Pick
from results.exchange.importer import import_season
from results.exchange.validate import read
from results.models import Competition, Race, RaceReport, Result, Round, Season
from results.read.loaders import competition_standings
from results.rules.classification import Entry, PointsRule, classify
from results.rules.standings import Score, standings
from results.write.changes import racing_change


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


def say(line=""):
    print(line, flush=True)


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
REPORT_SLUG = "bench-report"
NEXT_ROUND_SLUG = "bench-next-round"  # the round a week ahead that race day's fans pick for


def last_raced_round(season):
    """The season's last round of the archive (not the round ahead that race day adds)."""
    return season.rounds.exclude(slug=NEXT_ROUND_SLUG).order_by("-number").first()


def bench_race():
    """The race whose page the sections measure (and whose results the editor of ``raceday`` saves)."""
    last_round = last_raced_round(Season.objects.get(year=ARCHIVE_YEARS[-1]))
    return (
        Race.objects.filter(round=last_round, competition__slug="cup-1", number=3)
        .select_related("round__season")
        .get()
    )


def build_archive(rounds=4, comments=500):
    """The synthetic archive, through the season importer; returns the page URLs to measure."""
    start = time.perf_counter()
    for year in ARCHIVE_YEARS:
        if not Season.objects.filter(year=year).exists():
            import_season(read(synthetic_season(year, rounds, seed=year)))
    latest = Season.objects.get(year=ARCHIVE_YEARS[-1])
    last_round = last_raced_round(latest)
    report, _ = RaceReport.objects.get_or_create(
        slug=REPORT_SLUG,
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
    race = bench_race()
    pickers = picking_fans()
    if not Pick.objects.filter(race=race).exists():
        from community.scoring import score_races

        drivers = list(race.results.order_by("position").values_list("driver_id", flat=True)[:6])
        choose = random.Random(race.pk)
        picks = []
        for fan in pickers:
            first, second, third = choose.sample(drivers, 3)
            picks.append(
                Pick(
                    fan=fan, race=race, winner_driver_id=first, second_driver_id=second, third_driver_id=third
                )
            )
        Pick.objects.bulk_create(picks)
        score_races([race.pk])
    say(f"archive ready in {time.perf_counter() - start:.1f}s")
    driver = race.results.select_related("driver").first().driver
    year = latest.year
    return {
        "home": "/",
        "calendar": f"/{year}/",
        "round": f"/{year}/{last_round.slug}/",
        "race results": f"/{year}/{last_round.slug}/cup-1/{race.slug}/",
        "standings": f"/{year}/cup-1/standings/",
        "driver": f"/drivers/{driver.slug}/",
        "report + 500 comments": f"/reports/{REPORT_SLUG}/",
        "API standings": f"/api/v1/{year}/cup-1/standings/",
        "predictions leaderboard": f"/predictions/{year}/",
        "a fan's picks": f"/fans/{pickers[0].pk}/",
    }


# --- Caches ----------------------------------------------------------------------------------------


def cache_store(alias):
    """The settings of the store behind a cache alias (a fallback cache hands on to its primary)."""
    config = settings.CACHES[alias]
    for _ in range(len(settings.CACHES)):
        primary = config.get("OPTIONS", {}).get("PRIMARY")
        if primary is None:
            break
        config = settings.CACHES[primary]
    return config


def page_cache_alias():
    return "pages" if "pages" in settings.CACHES else "default"


def describe_cache(alias):
    store = cache_store(alias)
    backend = store["BACKEND"].rsplit(".", 1)[-1]
    return f"{backend} ({store['LOCATION']})" if store.get("LOCATION") else backend


def database_cache_tables():
    return {
        config["LOCATION"]
        for config in settings.CACHES.values()
        if config["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    }


def clear_caches():
    """Empty the shared cache and the page cache: the next request renders from the database."""
    for alias in {"default", page_cache_alias()}:
        caches[alias].clear()


def page_cache_entries():
    """(entries, where) of the page cache's store: ``DBSIZE`` of its Redis db, or its table's rows."""
    store = cache_store(page_cache_alias())
    location = str(store.get("LOCATION", ""))
    if store["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
        table = connections[router.db_for_read(caches[page_cache_alias()].cache_model_class)]
        with table.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table.ops.quote_name(location)}")
            return cursor.fetchone()[0], f"rows of {location} ({table.alias})"
    if location.startswith(("redis://", "rediss://", "unix://")):
        import redis

        client = redis.Redis.from_url(location.split(",")[0])
        try:
            return client.dbsize(), f"DBSIZE of {location.split(',')[0]}"
        finally:
            client.close()
    raise BenchError(f"cannot count the entries of the page cache {store['BACKEND']} ({location})")


def page_queries(captured):
    """The SQL a page ran (from ``CaptureQueriesContext.captured_queries``), less the database
    caches' own statements and transaction control: the same count with or without Redis."""
    tables = database_cache_tables()
    return [
        query["sql"]
        for query in captured
        if not any(table in query["sql"] for table in tables)
        and not query["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))
    ]


# --- Processes: gunicorn, the task worker, wrk --------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn with the repo's config on a free port of 127.0.0.1, for the length of a block."""

    def __init__(self, extra_env=None, workers=None):
        self.port = free_port()
        self.env = {**os.environ, **(extra_env or {})}  # production settings, as this process
        self.env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        if workers:
            self.env["GUNICORN_WORKERS"] = str(workers)
        self.env["GUNICORN_ACCESSLOG"] = ""

    def __enter__(self):
        # Production settings serve hashed, compressed static files: collect them first (the fault
        # drills and the two-instance check start gunicorn through this class too).
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=settings.BASE_DIR,
            env=self.env,
            check=True,
        )
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        # gunicorn's own log (not the access log) is kept, to say why it stopped if it did.
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            [gunicorn, "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null", "gtws_site.wsgi"],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        # Ready when a worker answers /healthz: a listening socket alone is only the master, whose
        # workers may still be booting, or fail to boot and take the master down with them.
        deadline = time.time() + 60
        while time.time() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        self.log.seek(0)
        raise BenchError(f"gunicorn did not start; its log ends:\n{self.log.read()[-2000:]}")

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
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


class TaskWorker:
    """The background task worker (``manage.py db_worker``) as a process of its own, for a block.

    ``is_running`` is false when the command is not installed: pages then wait for a reader.
    """

    def __init__(self, env, interval=0.2):
        self.env = env
        self.interval = interval
        self.process = None

    @property
    def is_running(self):
        return self.process is not None and self.process.poll() is None

    def __enter__(self):
        if "db_worker" not in get_commands():
            say("(manage.py db_worker is not available: no background worker in this run)")
            return self
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            # At the lowest priority, as deploy/gtws-worker.service runs it (Nice=19).
            ["nice", "-n", "19", sys.executable, "manage.py", "db_worker", "--interval", str(self.interval)],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        time.sleep(1)
        if self.process.poll() is not None:
            raise BenchError(f"db_worker stopped at once:\n{self.output()}")
        return self

    def output(self, last=2000):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-last:]

    def __exit__(self, *exc):
        if self.process is None:
            return
        if self.process.poll() is not None:
            say(f"db_worker had stopped during the run:\n{self.output()}")
        else:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


def ensure_wrk():
    if not shutil.which("wrk"):
        say("wrk is missing: installing Debian's wrk")
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )


# What every browser sends; cached pages are stored gzipped too (results.cache.pages).
BROWSER_HEADERS = ("Accept-Encoding: gzip, deflate, br",)


def wrk(url, connections, seconds, headers=BROWSER_HEADERS, script=None):
    """Requests/s, p50 and p99 latency (ms), and failed requests, from one wrk run."""
    options = [option for header in headers for option in ("-H", header)]
    if script:
        options += ["-s", script]
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", *options, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
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


def rotation_script(paths):
    """A wrk script asking ``paths`` in turn (each wrk thread from the first)."""
    listed = ", ".join(json.dumps(path) for path in paths)
    return (
        "-- Written by scripts/bench.py for one run: the race-day pages, in turn.\n"
        f"local paths = {{{listed}}}\n"
        "local last = 0\n"
        "request = function()\n"
        "  last = last % #paths + 1\n"
        '  return wrk.format("GET", paths[last])\n'
        "end\n"
    )


def fetch(url, headers=BROWSER_HEADERS):
    """The status of one anonymous GET (no cookies), the body read and dropped."""
    request = urllib.request.Request(url, headers=dict(header.split(": ", 1) for header in headers))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# --- Sections ---------------------------------------------------------------------------------------


def engine(rounds, repeat):
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

    say(f"Engine ({rounds} rounds × 2 competitions × 3 races × 12 drivers = {results} results)")
    say(f"{'measure':<52} {'median':>10} {'best':>10}")
    say(f"{'import, empty database (one run)':<52} {first * 1000:>8.0f}ms {'':>10}")
    say(
        f"{'import again, nothing changes':<52} {statistics.median(again) * 1000:>8.0f}ms "
        f"{min(again) * 1000:>8.0f}ms"
    )
    say(
        f"{f'standings of one competition from the database ({len(captured)} queries)':<52} "
        f"{statistics.median(from_db) * 1000:>8.1f}ms {min(from_db) * 1000:>8.1f}ms"
    )
    for size in (10, 100, 1000):
        scores = synthetic_scores(size)
        samples = timed(lambda scores=scores: standings(scores, tie_break="countback"), repeat)
        per_result = statistics.median(samples) / len(scores) * 1e6
        say(
            f"{f'standings engine, {size} rounds ({len(scores)} results)':<52} "
            f"{statistics.median(samples) * 1000:>8.1f}ms {per_result:>7.2f}µs/result"
        )
    Season.objects.filter(year=year).delete()


def pages(urls, repeat):
    client = Client(HTTP_HOST="127.0.0.1")
    say()
    say("Pages, in process (Django test client), ms")
    say(f"{'page':<24} {'queries':>7} {'cold p50':>9} {'cold p95':>9} {'cached p50':>11} {'cached p95':>11}")
    for label, url in urls.items():
        clear_caches()
        reset_queries()  # the import filled Django's bounded query log
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        queries = len(page_queries(captured.captured_queries))

        def cold(url=url):
            clear_caches()
            client.get(url)

        cold_samples = timed(cold, repeat)
        client.get(url)
        warm_samples = timed(lambda url=url: client.get(url), repeat)
        say(
            f"{label:<24} {queries:>7} {statistics.median(cold_samples) * 1000:>9.1f} "
            f"{percentile(cold_samples, 0.95) * 1000:>9.1f} "
            f"{statistics.median(warm_samples) * 1000:>11.2f} "
            f"{percentile(warm_samples, 0.95) * 1000:>11.2f}"
        )


def load(urls, seconds, workers, rounds):
    """Warm pages against /healthz, in rounds: /healthz, every page (each round in a new order),
    /healthz again. A page's ratio is its requests over the rounds' /healthz requests (the mean of
    the two runs around it), so the machine's drift (/healthz alone moves ±30% within a minute
    here) falls on the page and its baseline alike; the spread of the rounds' ratios is shown."""
    ensure_wrk()
    say()
    say(f"Under gunicorn (gunicorn.conf.py) with wrk, {seconds}s per run, {rounds} rounds per load")
    columns = (
        ("conns", 5),
        ("req/s", 8),
        ("p50 ms", 7),
        ("p99 ms", 7),
        ("failed", 6),
        ("/healthz", 9),
        ("rounds", 11),
    )
    header = f"{'page':<24} " + " ".join(f"{name:>{width}}" for name, width in columns)
    total_failures = 0
    with Gunicorn(workers=workers) as server:
        for url in [*urls.values(), "/healthz"]:  # warm every cache once
            fetch(server.url(url))
        say(header)
        for conns in (16, 64):
            targets = {label: (url, BROWSER_HEADERS) for label, url in urls.items()}
            if conns == 16:  # a client that does not take gzip (a script, a crawler)
                targets["report, no gzip"] = (urls["report + 500 comments"], ())
            measured = {"healthz (trivial)": [], **{label: [] for label in targets}}
            baselines = []
            labels = list(targets)
            for number in range(rounds):
                before = wrk(server.url("/healthz"), conns, seconds)
                shift = number * len(labels) // max(rounds, 1)
                for label in labels[shift:] + labels[:shift]:
                    url, headers = targets[label]
                    measured[label].append(wrk(server.url(url), conns, seconds, headers=headers))
                after = wrk(server.url("/healthz"), conns, seconds)
                measured["healthz (trivial)"] += [before, after]
                baselines.append((before[0] + after[0]) / 2)
            for label, samples in measured.items():
                failed = sum(sample[3] for sample in samples)
                total_failures += failed
                rps = statistics.mean(sample[0] for sample in samples)
                p50 = statistics.median(sample[1] for sample in samples)
                p99 = statistics.median(sample[2] for sample in samples)
                if label == "healthz (trivial)":
                    ratio, spread = 1.0, ""
                else:
                    ratio = sum(sample[0] for sample in samples) / sum(baselines)
                    each = [sample[0] / baseline for sample, baseline in zip(samples, baselines, strict=True)]
                    spread = f"{min(each):.2f}–{max(each):.2f}"
                say(
                    f"{label:<24} {conns:>5} {rps:>8.0f} {p50:>7.1f} {p99:>7.1f} {failed:>6} "
                    f"{ratio:>8.0%} {spread:>11}"
                )
        peak = server.worker_peak_memory_mb()
    with Gunicorn({"PAGE_CACHE": "0"}, workers) as server:
        say("Cold renders (page cache off), 16 connections:")
        baseline = wrk(server.url("/healthz"), 16, seconds)
        for label in ("race results", "standings"):
            rps, p50, p99, failed = wrk(server.url(urls[label]), 16, seconds)
            total_failures += failed
            say(
                f"{label + ' (cold)':<24} {16:>5} {rps:>8.0f} {p50:>7.1f} {p99:>7.1f} {failed:>6} "
                f"{rps / baseline[0]:>8.0%}"
            )
    say(f"Peak memory of a worker: {peak:.0f} MB; failed requests in all runs: {total_failures}")


# --- Race day -----------------------------------------------------------------------------------------

RACEDAY_PAGES = ("home", "race results", "standings", "report + 500 comments", "driver")
RACEDAY_CONNECTIONS = 32
COMMENT_EVERY = 0.25  # seconds: 4 comments a second under the report
PICK_EVERY = 0.25  # seconds: 4 fans a second pick the podium of the next race
PICKING_FANS = 200
SAVE_EVERY = 5.0  # seconds: an editor saves a result
GAPS = ("+1.234", "+1.235")  # an editor's save flips a result's gap between these
# The pages an editor's save of a race result touches, which the worker renders again.
REFILL_PAGES = ("race results", "round", "standings", "home", "API standings")
REFILL_TIMEOUT = 10.0
FLOOD_REQUESTS = 300


def editor_save(result_id):
    """An editor's save of one result, as the admin saves it: a racing change, through ``save()``."""
    with racing_change():
        result = Result.objects.select_for_update().get(pk=result_id)
        result.gap = GAPS[1] if result.gap == GAPS[0] else GAPS[0]
        result.save()


def next_race():
    """The race fans pick for on race day: the Grand Final of a round a week ahead, in the latest
    season, with no results yet (made once, before any run)."""
    season = Season.objects.get(year=ARCHIVE_YEARS[-1])
    race = Race.objects.filter(round__season=season, round__slug=NEXT_ROUND_SLUG).first()
    if race is not None:
        return race
    starts = timezone.now() + timezone.timedelta(days=7)
    with racing_change():
        number = season.rounds.order_by("-number").first().number + 1
        upcoming = Round.objects.create(
            season=season,
            number=number,
            name="Bench next round",
            slug=NEXT_ROUND_SLUG,
            city="Tokyo",
            date=starts.date(),
            time_zone="Asia/Tokyo",
        )
        return Race.objects.create(
            round=upcoming,
            competition=Competition.objects.get(season=season, slug="cup-1"),
            number=1,
            name="Grand Final",
            slug="grand-final",
            kind=Race.Kind.MAIN,
            date=starts.date(),
            starts_at=starts,
        )


def picking_fans(count=PICKING_FANS):
    """Verified fans who pick on race day (their picks are removed after the runs)."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    fans = []
    for n in range(count):
        fan, created = User.objects.get_or_create(
            username=f"bench-picker-{n}", defaults={"email": f"picker{n}@bench.invalid"}
        )
        if created:
            EmailAddress.objects.create(user=fan, email=fan.email, verified=True, primary=True)
        fans.append(fan)
    return fans


class Picks:
    """Fans picking the podium of the next race: each pick a fan's first or a change of it."""

    def __init__(self, race, fans):
        self.race, self.fans = race, fans
        self.drivers = list(bench_race().results.values_list("driver_id", flat=True)[:6])
        self.turn = 0

    def __call__(self):
        fan = self.fans[self.turn % len(self.fans)]
        first, second, third = random.sample(self.drivers, 3)
        Pick.objects.update_or_create(
            fan=fan,
            race=self.race,
            defaults={
                "winner_driver_id": first,
                "second_driver_id": second,
                "third_driver_id": third,
                "updated_at": timezone.now(),
            },
        )
        self.turn += 1
        return "picks"


class Writers:
    """Fans commenting under the report and picking, and an editor saving a result, in threads, for a
    block.

    Each write goes through the ORM, so the models' signals mark what changed, as on the site.
    Loops are bounded in count (from ``seconds``) as well as stopped at the block's end.
    """

    def __init__(self, report, fan, result_id, seconds, writes=("comments", "saves"), picks=None):
        self.report, self.fan, self.result_id, self.seconds = report, fan, result_id, seconds
        self.writes = writes
        self.picks = picks
        self.counts = Counter()
        self.cpu = Counter()  # CPU seconds of this process's thread, per kind of write
        self.errors = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def comment(self):
        Comment.objects.create(report=self.report, author=self.fan, body="A race-day comment.")
        return "comments"

    def save(self):
        editor_save(self.result_id)
        return "saves"

    def loop(self, write, every, first):
        start = time.monotonic()
        try:
            for n in range(int((self.seconds + 30) / every)):
                due = start + first + n * every
                if self.stop.wait(max(0.0, due - time.monotonic())):
                    break
                started = time.thread_time()
                try:
                    done = write()
                except Exception as error:  # counted and shown; the run goes on
                    with self.lock:
                        self.errors.append(f"{type(error).__name__}: {error}")
                else:
                    with self.lock:
                        self.counts[done] += 1
                        self.cpu[done] += time.thread_time() - started
        finally:
            connections.close_all()  # this thread's connections

    def __enter__(self):
        loops = {
            "comments": (self.comment, COMMENT_EVERY, 0.0),
            "saves": (self.save, SAVE_EVERY, 0.5),
            "picks": (self.picks, PICK_EVERY, 0.1),
        }
        self.threads = [
            threading.Thread(target=self.loop, args=loops[name], daemon=True) for name in self.writes
        ]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def summary(self):
        def each(kind):
            cpu = self.cpu[kind] / max(self.counts[kind], 1) * 1000
            return f"{kind} {self.counts[kind]} ({cpu:.0f} ms CPU each)"

        return ", ".join([*(each(kind) for kind in self.writes), f"errors {len(self.errors)}"])


CPU_GROUPS = (
    ("gunicorn", "gunicorn"),
    ("worker", "db_worker"),
    ("postgres", "postgres"),
    ("redis", "redis-server"),
)


def cpu_seconds():
    """CPU seconds (user + system) used so far by each group of processes (this process as "writer":
    the race-day writes and the renders ahead of a save's commit run here), read from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = Counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once a run has ended
    used["wrk"] += children.ru_utime + children.ru_stime
    # The machine's idle and stolen time (a virtual machine's neighbours), from /proc/stat.
    machine = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    used["idle"] += (int(machine[3]) + int(machine[4])) / ticks
    used["steal"] += int(machine[7]) / ticks
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        seconds = (int(fields[11]) + int(fields[12])) / ticks
        if int(stat.parent.name) == os.getpid():
            used["writer"] += seconds
            continue
        for group, needle in CPU_GROUPS:
            if needle in command:
                # With the CPU of the children it reaped: a gunicorn worker recycled during a run
                # (max_requests) is counted in its master's, not lost (a negative reading).
                used[group] += seconds + (int(fields[13]) + int(fields[14])) / ticks
                break
    return used


def cpu_during(before):
    """What each group used since ``before`` (a :func:`cpu_seconds` reading), as a short line."""
    after = cpu_seconds()
    groups = ("writer", *dict(CPU_GROUPS), "wrk", "idle", "steal")
    spent = {group: after[group] - before[group] for group in groups}
    return "CPU s: " + " ".join(f"{group} {value:.1f}" for group, value in spent.items())


def wait_until(condition, seconds, every=0.02):
    """Whether ``condition()`` became true within ``seconds`` (checked every ``every`` s)."""
    for _ in range(int(seconds / every) + 1):
        if condition():
            return True
        time.sleep(every)
    return condition()


def task_results():
    """The background tasks' results (django-tasks' database backend), or None without it."""
    if not apps.is_installed("django_tasks_db"):
        return None
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects


def drop_queued_tasks():
    """Drop the renders queued while the archive was built: race day starts with an idle worker."""
    results = task_results()
    return 0 if results is None else results.ready().delete()[0]


def wait_for_queue(worker, seconds=60):
    """Whether the worker emptied its queue within ``seconds`` (a run measures a quiet machine)."""
    results = task_results()
    if results is None or not worker.is_running:
        return True
    if wait_until(lambda: not results.ready().exists() and not results.running().exists(), seconds, 0.2):
        return True
    say(f"  (the worker's queue was not empty after {seconds} s)")
    return False


def task_summary(since):
    results = task_results()
    if results is None:
        return "no task backend"
    done = results.filter(enqueued_at__gte=since)
    counts = Counter(done.values_list("status", flat=True))
    times = [
        (finished - started).total_seconds()
        for started, finished in done.successful().values_list("started_at", "finished_at")
    ]
    longest = f", longest {max(times):.2f} s" if times else ""
    return ", ".join(f"{count} {status.lower()}" for status, count in sorted(counts.items())) + longest


def raceday(urls, seconds, workers, rounds, writes=("comments", "saves")):
    ensure_wrk()
    paths = [urls[label] for label in RACEDAY_PAGES]
    report = RaceReport.objects.get(slug=REPORT_SLUG)
    fan = get_user_model().objects.get_or_create(
        username="bench-raceday-fan", defaults={"email": "raceday@bench.invalid"}
    )[0]
    result = bench_race().results.filter(position=2).get()
    picks = Picks(next_race(), picking_fans()) if "picks" in writes else None
    dropped = drop_queued_tasks()
    since = timezone.now()
    with tempfile.NamedTemporaryFile("w", prefix="gtws-raceday-", suffix=".lua", delete=False) as script:
        script.write(rotation_script(paths))
    try:
        with Gunicorn(workers=workers) as server, TaskWorker(server.env) as worker:
            say()
            say(
                f"Race day: gunicorn (production settings) + db_worker "
                f"({'running' if worker.is_running else 'absent'}); "
                f"{', '.join(RACEDAY_PAGES)} in turn; {RACEDAY_CONNECTIONS} connections, {seconds}s per run"
            )
            say(
                f"busy ({', '.join(writes)}): a comment under the report every "
                f"{COMMENT_EVERY:g} s, a fan's pick for the next race every {PICK_EVERY:g} s and an editor's "
                f"save of a result every {SAVE_EVERY:g} s; "
                f"before each run the worker's queue is empty ({dropped} renders queued by the archive's "
                "import dropped)"
            )
            columns = ("req/s", 8), ("p50 ms", 7), ("p99 ms", 7), ("failed", 6), ("/healthz", 9)
            say(f"{'run':<20} " + " ".join(f"{name:>{width}}" for name, width in columns) + "  writes")
            pairs = []
            # Warm up as a site that has been up a while: the writer's and the worker's first renders
            # load templates and connections. The pages are read first, so the warm-up saves render
            # ahead what the runs' saves will (two saves: the result is back as it was).
            for path in paths:
                fetch(server.url(path))
            for _ in range(2):
                editor_save(result.pk)
            for number in range(1, rounds + 1):
                wait_for_queue(worker)
                for path in [*paths, "/healthz"]:
                    fetch(server.url(path))
                healthz = wrk(server.url("/healthz"), RACEDAY_CONNECTIONS, seconds)
                # Quiet first in odd rounds, busy first in even ones: a run that follows a pause and one
                # that follows a run under load differ on this machine even with no writes at all
                # (busy/quiet 0.97 with none), so each kind takes each place equally often.
                order = ("quiet", "busy") if number % 2 else ("busy", "quiet")
                runs = {}
                for kind in order:
                    wait_for_queue(worker)
                    for path in paths:  # every page warm before the run
                        fetch(server.url(path))
                    before = cpu_seconds()
                    if kind == "busy":
                        with Writers(report, fan, result.pk, seconds, writes, picks) as writers:
                            answered = wrk(server.url("/"), RACEDAY_CONNECTIONS, seconds, script=script.name)
                        note = f"{writers.summary()}; "
                    else:
                        answered = wrk(server.url("/"), RACEDAY_CONNECTIONS, seconds, script=script.name)
                        note = ""
                    runs[kind] = answered, f"{note}{cpu_during(before)}"
                quiet, busy = runs["quiet"][0], runs["busy"][0]
                say(
                    f"{f'healthz {number}':<20} {healthz[0]:>8.0f} {healthz[1]:>7.1f} {healthz[2]:>7.1f} "
                    f"{healthz[3]:>6} {1:>8.0%}"
                )
                for kind in order:
                    (rps, p50, p99, failed), note = runs[kind]
                    say(
                        f"{f'{kind} {number}':<20} {rps:>8.0f} {p50:>7.1f} {p99:>7.1f} {failed:>6} "
                        f"{rps / healthz[0]:>8.0%}  {note}"
                    )
                for error in writers.errors[:3]:
                    say(f"  write failed: {error}")
                pairs.append((healthz, quiet, busy))
            say()
            say("Busy against quiet (targets: throughput ≥ 0.90, p99 ≤ 2, failed 0; quiet ≥ 0.70 × /healthz)")
            say(f"{'round':<8} {'throughput':>10} {'p99':>6} {'failed':>7} {'quiet / healthz':>16}")
            for number, (healthz, quiet, busy) in enumerate(pairs, start=1):
                say(
                    f"{number:<8} {busy[0] / quiet[0]:>10.2f} {busy[2] / quiet[2]:>6.2f} "
                    f"{quiet[3] + busy[3]:>7} {quiet[0] / healthz[0]:>16.2f}"
                )
            if len(pairs) > 1:
                # The whole run: every busy request against every quiet one (runs of equal length), and
                # the median of the rounds' p99 ratios; one round's ratio moves with the machine's noise.
                total = [sum(pair[column][0] for pair in pairs) for column in range(3)]
                p99 = statistics.median(busy[2] / quiet[2] for _, quiet, busy in pairs)
                failed = sum(quiet[3] + busy[3] for _, quiet, busy in pairs)
                ratios = f"{total[2] / total[1]:>10.2f} {p99:>6.2f} {failed:>7} {total[1] / total[0]:>16.2f}"
                say(f"{'all':<8} {ratios}")
            wait_for_queue(worker)
            refill(server, worker, urls, result.pk)
            wait_for_queue(worker)
            flood(server, urls["standings"])
            say(f"Background renders during race day: {task_summary(since)}")
    finally:
        os.unlink(script.name)
        Comment.objects.filter(report=report, author=fan).delete()  # the report keeps its comments
        if picks is not None:
            Pick.objects.filter(race=picks.race).delete()


def refill(server, worker, urls, result_id, trials=3):
    """Seconds from the start of an editor's save until the pages it touched are cached again at the
    new versions, no reader asking (the save renders the most read ones itself before it commits)."""
    try:
        from results.cache.pages import is_cached
    except ImportError:
        say("(results.cache.pages.is_cached is not there yet: the refill is not measured)")
        return
    paths = {label: urls[label] for label in REFILL_PAGES}
    say()
    say(
        "After an editor's save, no reader asking: seconds from the save's start until cached again "
        f"(target ≤ 2 s), {trials} saves; 'save' is how long the save took"
    )
    say(f"{'save':<6} {'took':>6} " + " ".join(f"{label:>13}" for label in paths) + f" {'all':>6}  shows")
    for trial in range(1, trials + 1):
        wait_for_queue(worker)
        for path in paths.values():
            fetch(server.url(path))
        if not wait_until(lambda: all(is_cached(path) for path in paths.values()), 5):
            missing = [label for label, path in paths.items() if not is_cached(path)]
            say(f"{trial:<6} not cached even after a reader asked: {', '.join(missing)}")
            continue
        time.sleep(0.5)
        start = time.monotonic()
        editor_save(result_id)
        took = time.monotonic() - start
        seen = {}
        for _ in range(int(REFILL_TIMEOUT / 0.02)):
            for label, path in paths.items():
                if label not in seen and is_cached(path):
                    seen[label] = time.monotonic() - start
            if len(seen) == len(paths) or time.monotonic() - start > REFILL_TIMEOUT:
                break
            time.sleep(0.02)
        cells = [
            f"{seen[label]:>13.2f}" if label in seen else f"{'> ' + str(REFILL_TIMEOUT):>13}"
            for label in paths
        ]
        whole = f"{max(seen.values()):>6.2f}" if len(seen) == len(paths) else f"{'—':>6}"
        # The page readers now get must show the saved gap, not the one before.
        gap = Result.objects.get(pk=result_id).gap
        with urllib.request.urlopen(server.url(paths["race results"]), timeout=10) as response:
            shows = "new gap" if gap in response.read().decode() else "OLD GAP"
        say(f"{trial:<6} {took:>6.2f} " + " ".join(cells) + f" {whole}  {shows}")


def flood(server, path, requests=FLOOD_REQUESTS):
    """Requests with made-up query strings must not add entries to the page cache."""
    before, where = page_cache_entries()
    rng = random.Random()
    statuses = Counter(fetch(server.url(f"{path}?utm={rng.getrandbits(64):016x}")) for _ in range(requests))
    after, _ = page_cache_entries()
    answered = ", ".join(f"{count} × {status}" for status, count in sorted(statuses.items()))
    say()
    say(
        f"Flood: {requests} requests to {path}?utm=<random> ({answered}); page cache ({where}): "
        f"{before} → {after} entries, {after - before:+d} (target 0)"
    )


# --- Command line ---------------------------------------------------------------------------------

SECTIONS = ("engine", "pages", "load", "raceday")


def arguments(argv=None):
    parser = argparse.ArgumentParser(
        description="Benchmark the site (see the module's docstring); prints one table per section."
    )
    parser.add_argument("--only", choices=SECTIONS, action="append", help="a section (repeatable)")
    parser.add_argument("--rounds", type=int, default=20, help="rounds in the imported season (engine)")
    parser.add_argument("--archive-rounds", type=int, default=4, help="rounds per archive season")
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20, help="renders per page (pages)")
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run (load, raceday)")
    parser.add_argument(
        "--raceday-rounds",
        type=int,
        default=8,
        help="quiet and busy runs, alternating (raceday; short runs, many of them: the machine's drift "
        "falls on both alike)",
    )
    parser.add_argument(
        "--raceday-writes",
        default="comments,saves,picks",
        help="the busy runs' writes, comma-separated: comments, saves, picks (raceday; to tell their costs "
        "apart)",
    )
    parser.add_argument(
        "--load-rounds",
        type=int,
        default=3,
        help="rounds of /healthz, every page, /healthz (load; the ratios are over all rounds)",
    )
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: the config's)")
    parser.add_argument("--keep", action="store_true", help="allow writing into a database not named *bench*")
    return parser.parse_args(argv)


def main(argv=None):
    options = arguments(argv)
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name and not options.keep:
        sys.exit(
            "Run the benchmark on its own database (make bench sets DATABASE_URL to a scratch file), "
            "or pass --keep to write into this one knowingly."
        )
    sections = options.only or list(SECTIONS)
    # Production settings serve hashed, compressed static files (also to this process's own renders).
    call_command("collectstatic", interactive=False, verbosity=0)
    say(
        f"Database: {connection.vendor} ({name}); cache: {describe_cache('default')}; "
        f"pages: {describe_cache(page_cache_alias())}; {os.cpu_count()} cores; "
        f"Python {sys.version.split()[0]}"
    )
    try:
        if "engine" in sections:
            engine(options.rounds, max(3, options.repeat // 4))
        urls = None
        if set(sections) & {"pages", "load", "raceday"}:
            urls = build_archive(options.archive_rounds, options.comments)
        if "pages" in sections:
            pages(urls, options.repeat)
        if "load" in sections:
            load(urls, options.seconds, options.workers, options.load_rounds)
        if "raceday" in sections:
            writes = tuple(name for name in options.raceday_writes.split(",") if name)
            raceday(urls, options.seconds, options.workers, options.raceday_rounds, writes)
    except BenchError as error:
        sys.exit(f"bench: {error}")


if __name__ == "__main__":
    main()
