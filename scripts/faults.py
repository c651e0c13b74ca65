"""Faults, on this machine: a worker killed under load, and the database stopped and started again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gtws_bench .venv/bin/python scripts/faults.py

Needs a database that `make bench` (or `manage.py migrate` and `load_demo`) has filled, wrk, and the right
to stop and start the local PostgreSQL cluster (it runs pg_ctlcluster). Prints what it saw; exits non-zero
if a worker's death cost more than the requests it had in flight, or if the site did not answer 503 while the
database was down and 200 once it was back; with the page cache on, pages already cached must still be
answered (from Redis) while the database is down.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
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


def main():
    import django

    django.setup()
    from results.management.commands.bench import Gunicorn, wrk

    problems = []
    workers = 3
    with Gunicorn({"PAGE_CACHE": "0"}, workers=workers) as server:
        candidates = ["/2024/cup-1/standings/", "/2024/nations-cup/standings/", "/"]  # bench or demo data
        path = next(path for path in candidates if status(server.url(path)) == 200)
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
    if problems:
        sys.exit("FAILED: " + "; ".join(problems))
    print("faults: OK")


if __name__ == "__main__":
    main()
