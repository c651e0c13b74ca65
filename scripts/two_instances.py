"""Two gunicorn instances sharing PostgreSQL and Redis behave as one site.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python scripts/two_instances.py

It makes its own database (gtws_two_instances) on that server, starts two instances on two ports and the
task worker (`manage.py db_worker`, as production runs it) and checks: an editor's change through one is
seen through the other on the next request; the pages it touched are back in the page cache, rendered by
the worker, with no reader asking; and a sign-in rate limit reached through one holds on the other. Exits
non-zero, saying what failed, if any does not hold.
"""

import atexit
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "two-instances-Passw0rd"


class Browser:
    """Cookies and CSRF tokens, with urllib: enough to sign in and post admin forms."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    # Behind a load balancer every instance sees the site's one host name, whatever its port.
    HEADERS = {"Host": "127.0.0.1"}

    def get(self, path):
        request = urllib.request.Request(self.base + path, headers=self.HEADERS)
        with self.opener.open(request, timeout=20) as response:
            return response.read().decode()

    def post(self, path, data):
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={**self.HEADERS, "Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main():
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server and REDIS_URL to a Redis server.")
    database_url = base_url.rsplit("/", 1)[0] + "/gtws_two_instances"
    admin_url = base_url.rsplit("/", 1)[0] + "/postgres"
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "gtws_site.settings"}
    subprocess.run(["psql", admin_url, "-q", "-c", "DROP DATABASE IF EXISTS gtws_two_instances"], check=True)
    subprocess.run(["psql", admin_url, "-q", "-c", "CREATE DATABASE gtws_two_instances"], check=True)
    subprocess.run(
        ["redis-cli", "-u", os.environ["REDIS_URL"], "FLUSHDB"], check=True, stdout=subprocess.DEVNULL
    )
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    manage("load_demo", env=env)
    manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; from allauth.account.models import EmailAddress;"
        "from results.editors import ensure_editors_group;"
        f"u = get_user_model().objects.create_user('ed', 'ed@example.com', '{PASSWORD}', is_staff=True);"
        "u.groups.add(ensure_editors_group());"
        "EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)",
        env=env,
    )

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gtws_site.settings")
    import django

    django.setup()
    from scripts.bench import Gunicorn
    from tests.twofactor import totp_code

    failures = []
    # Plain HTTP on loopback: the client here must get its cookies back, so they are not "Secure".
    instance = {"DATABASE_URL": database_url, "SECURE_COOKIES": "0"}
    worker_env = {
        **os.environ,
        **instance,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "two-instances-only-secret-key-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "SITE_URL": "http://127.0.0.1",
    }
    with (
        Gunicorn(instance, workers=2) as one,
        Gunicorn(instance, workers=2) as two,
    ):
        # After the instances: they collect the static files the pages name.
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-reload"],
            cwd=ROOT,
            env=worker_env,
        )
        atexit.register(worker.terminate)  # also if a check below raises
        standings = "/api/v1/2024/nations-cup/standings/"
        first = json.loads(Browser(two.url("")).get(standings))["standings"][0]["name"]
        print(f"through instance two, the leader is {first}")

        editor = Browser(one.url(""))
        editor.get("/accounts/login/")
        status, body = editor.post("/accounts/login/", {"login": "ed@example.com", "password": PASSWORD})
        if status >= 400:
            print(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))[:600])
        print(f"sign-in through one: HTTP {status}")
        # Staff open the admin with a second factor: the password again, then an authenticator's code.
        editor.get("/admin/")
        _, page = editor.post(
            "/accounts/reauthenticate/", {"password": PASSWORD, "next": "/accounts/2fa/totp/activate/"}
        )
        secret = re.search(r'id="authenticator_secret"\s+value="([A-Z2-7]+)"', page).group(1)
        status, _ = editor.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
        print(f"second factor set up through one: HTTP {status}")
        page = editor.get("/admin/results/driver/?q=Miyazono")
        if "/change/" not in page:
            print(page[:3000])
        driver_id = re.search(r"/admin/results/driver/(\d+)/change/", page).group(1)
        editor.get(f"/admin/results/driver/{driver_id}/change/")
        status, _ = editor.post(
            f"/admin/results/driver/{driver_id}/change/",
            {
                "name": "Takuma Miyazono (edited)",
                "slug": "takuma-miyazono",
                "nation": "JP",
                "online_id": "",
                "_save": "Save",
            },
        )
        print(f"through instance one, the editor renamed the leader (HTTP {status})")
        from results.cache.pages import is_cached

        waited, unseen = 0.0, ["/", "/2024/nations-cup/standings/", "/2024/"]
        while unseen and waited < 10:
            time.sleep(0.1)
            waited += 0.1
            unseen = [path for path in unseen if not is_cached(path)]
        if unseen:
            failures.append(f"the worker did not render {unseen} again within 10 s of the edit")
        else:
            print(f"the pages the edit touched were cached again by the worker within {waited:.1f} s")
        after = json.loads(Browser(two.url("")).get(standings))["standings"][0]["name"]
        print(f"through instance two, the leader is now {after}")
        if after != "Takuma Miyazono (edited)":
            failures.append(f"the edit through one was not seen through two: {after!r}")

        attacker_one, attacker_two = Browser(one.url("")), Browser(two.url(""))
        attacker_one.get("/accounts/login/")
        attacker_two.get("/accounts/login/")
        pages = [
            attacker_one.post("/accounts/login/", {"login": "ed@example.com", "password": "wrong"})[1]
            for _ in range(6)
        ]
        sixth = "refused" if "Too many failed" in pages[-1] else "tried"
        print(f"through one, the 6th wrong password is {sixth}")
        _, page = attacker_two.post("/accounts/login/", {"login": "ed@example.com", "password": PASSWORD})
        locked = "Too many failed login attempts" in page
        verdict = "refused" if locked else "ACCEPTED"
        print(f"after 6 failed sign-ins through one, the right password through two is {verdict}")
        if not locked:
            failures.append("the sign-in rate limit reached through one did not hold on two")
    worker.terminate()
    worker.wait(timeout=30)
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))
    print("two instances: OK")


if __name__ == "__main__":
    main()
