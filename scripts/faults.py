"""Faults, on this machine: a worker killed under load, the database stopped, Redis stopped.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gtws_bench REDIS_URL=redis://127.0.0.1:6379/5 \
        .venv/bin/python scripts/faults.py [worker] [database] [redis]

Needs a database that `make bench` (or `manage.py migrate` and `load_demo`) has filled, wrk, and the right
to stop and start the local PostgreSQL cluster (it runs pg_ctlcluster). Prints what it saw; exits non-zero
if a worker's death cost more than the requests it had in flight, or if the site did not answer 503 while the
database was down and 200 once it was back; with the page cache on, pages already cached must still be
answered (from Redis) while the database is down.

``redis``: with Redis stopped, the public pages must answer 200, rendered from the database, and again once
it is back. It stops the Redis of REDIS_URL only if that is the bench's own: on 127.0.0.1:6379 with no
other client connected; otherwise it says so and skips. Redis is always started again (in a finally block).
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gtws_site.settings")


def status(url):
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers={"Host": "127.0.0.1"}), timeout=10
        ) as r:
            return r.status
    except urllib.error.HTTPError as error:
        return error.code


def cluster(action):
    version = os.listdir("/etc/postgresql")[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True)


REDIS_PORT = 6379
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", str(REDIS_PORT),
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip


def redis_not_ours():
    """Why the Redis of REDIS_URL must not be stopped here, or None when it is the bench's own."""
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        return "REDIS_URL is not set"
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost") or (parts.port or REDIS_PORT) != REDIS_PORT:
        return f"{url} is not the local Redis on port {REDIS_PORT}"
    client = redis.Redis.from_url(url)
    try:
        others = [c for c in client.client_list() if int(c["id"]) != client.client_id()]
    except redis.exceptions.ConnectionError:
        return "it is not running"
    finally:
        client.close()
    if others:
        return f"{len(others)} other client(s) connected to it ({', '.join(c['addr'] for c in others[:3])})"
    return None


def redis_ping():
    done = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True
    )
    return done.stdout.strip() == "PONG"


def public_pages():
    """Home, standings, a race, a report and a driver, from whatever data the database holds."""
    from results.models import Competition, Driver, Race, RaceReport

    race = (
        Race.objects.filter(results__isnull=False).order_by("-round__season__year", "-round__number").first()
    )
    competition = Competition.objects.order_by("-season__year", "pk").first()
    report = RaceReport.objects.published().order_by("-published_at").first()
    driver = Driver.objects.filter(results__isnull=False).order_by("pk").first()
    pages = ["/", competition.get_absolute_url(), race.get_absolute_url(), driver.get_absolute_url()]
    return pages + ([report.get_absolute_url()] if report else [])


def check_redis_down(problems):
    from scripts.bench import Gunicorn

    reason = redis_not_ours()
    if reason:
        print(f"redis: skipped, the bench may not stop this Redis: {reason}")
        return
    paths = public_pages()
    with Gunicorn({}, workers=2) as server:
        print(f"redis: pages {', '.join(paths)}")
        before = {path: status(server.url(path)) for path in paths}  # cached now
        print(f"Redis running: {sorted(before.values())}")
        subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], check=False)
        try:
            if not wait_for(lambda: not redis_ping(), 10):
                problems.append("Redis did not stop")
                return
            for attempt in (1, 2):  # the first request finds Redis gone, the second is answered without it
                answers = {}
                for path in paths:
                    start = time.monotonic()
                    answers[path] = status(server.url(path))
                    took = time.monotonic() - start
                    print(f"Redis stopped (pass {attempt}): {path} answers {answers[path]} in {took:.2f} s")
                failed = {path: code for path, code in answers.items() if code != 200}
                if failed:
                    problems.append(f"with Redis down, pages did not answer 200: {failed}")
        finally:
            subprocess.run(REDIS_START, check=False)
            if not wait_for(redis_ping, 10):
                problems.append("Redis did not start again")
        time.sleep(6)  # the fallback leaves Redis alone for a few seconds after a failure
        after = {path: status(server.url(path)) for path in paths}
        print(f"Redis started again: {sorted(after.values())}")
        if set(after.values()) != {200}:
            problems.append(f"after Redis came back pages answered {after}")


def wait_for(condition, seconds):
    for _ in range(int(seconds * 5)):
        if condition():
            return True
        time.sleep(0.2)
    return condition()


CHECKS = ("worker", "database", "redis")


def main():
    parser = argparse.ArgumentParser(description="Faults on this machine (see the module's docstring).")
    parser.add_argument("checks", nargs="*", metavar="CHECK", help=f"of {', '.join(CHECKS)} (default: all)")
    checks = parser.parse_args().checks or CHECKS
    if set(checks) - set(CHECKS):
        parser.error(f"unknown checks: {', '.join(sorted(set(checks) - set(CHECKS)))}")

    import django

    django.setup()
    problems = []
    if "worker" in checks:
        check_worker_killed(problems)
    if "database" in checks:
        check_database_down(problems)
    if "redis" in checks:
        check_redis_down(problems)
    if problems:
        sys.exit("FAILED: " + "; ".join(problems))
    print("faults: OK")


CANDIDATES = ["/2024/cup-1/standings/", "/2024/nations-cup/standings/", "/"]  # bench or demo data


def check_worker_killed(problems):
    from scripts.bench import Gunicorn, wrk

    workers = 3
    with Gunicorn({"PAGE_CACHE": "0"}, workers=workers) as server:
        path = next(path for path in CANDIDATES if status(server.url(path)) == 200)
        url = server.url(path)
        print(f"loading {url}")

        def kill_a_worker():
            time.sleep(2)
            children = subprocess.run(
                ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True
            )
            victim = int(children.stdout.split()[0])
            os.kill(victim, signal.SIGKILL)
            print(f"killed worker {victim} during the load")

        killer = threading.Thread(target=kill_a_worker)
        killer.start()
        rps, _, p99, failed = wrk(url, 8, 6)
        killer.join()
        print(
            f"load with a worker killed: {rps:.0f} req/s, p99 {p99:.0f} ms, {failed} failed (8 connections)"
        )
        if failed > 8:
            problems.append(f"{failed} requests failed when one worker died (at most the 8 in flight may)")
        time.sleep(1)
        alive = subprocess.run(
            ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True
        ).stdout.split()
        print(f"workers afterwards: {len(alive)} (gunicorn replaced the dead one)")
        if len(alive) != workers:
            problems.append(f"{len(alive)} workers after the kill, not {workers}")


def check_database_down(problems):
    from scripts.bench import Gunicorn

    with Gunicorn({"PAGE_CACHE": "0"}, workers=2) as server:
        path = next(path for path in CANDIDATES if status(server.url(path)) == 200)
        url = server.url(path)
        cluster("stop")
        try:
            down = status(url)
            print(f"database stopped: the page answers {down}")
            if down != 503:
                problems.append(f"with the database down the page answered {down}, not 503")
        finally:
            cluster("start")
        time.sleep(2)
        up = status(url)
        print(f"database started again: the page answers {up}")
        if up != 200:
            problems.append(f"after the database came back the page answered {up}")
    with Gunicorn({}, workers=2) as server:  # the page cache on, as in production
        cached, fresh = server.url(path), server.url("/open-data/")  # a cached page; one never cached
        status(cached)  # now in the shared cache
        cluster("stop")
        try:
            answers = status(cached), status(fresh)
            print(
                f"database stopped, page cache on: a cached page answers {answers[0]}, another {answers[1]}"
            )
            if answers != (200, 503):
                problems.append(f"with the database down a cached page and another answered {answers}")
        finally:
            cluster("start")
        time.sleep(2)
        print(f"database started again: the other page answers {status(fresh)}")


if __name__ == "__main__":
    main()
