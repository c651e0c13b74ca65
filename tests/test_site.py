"""The skeleton: settings from the environment, the health check, static files and the home page."""

import os
import re
import subprocess
import sys
from pathlib import Path
from runpy import run_path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args, **env):
    unset = {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DEBUG",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }  # the last: set for Playwright
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    done = run_manage("check", DEBUG="0", ALLOWED_HOSTS="gtws.example.org")
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    done = run_manage("check", DEBUG="0", SECRET_KEY="x" * 60)
    assert done.returncode != 0
    assert "ALLOWED_HOSTS is not set" in done.stderr


def test_check_deploy_is_clean_with_production_settings():
    done = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-production-secret-that-is-long-and-random-enough-0123456789abcdef",
        ALLOWED_HOSTS="gtws.example.org",
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


@pytest.mark.django_db
def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


UNREACHABLE_REDIS = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/13",  # nothing listens on port 1
    "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
}


@pytest.mark.django_db
def test_readyz_answers_200_when_the_database_and_both_caches_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache:default": "ok", "cache:pages": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_names_a_cache_whose_redis_does_not_answer_even_while_its_fallback_does(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "results.cache.backends.FallbackCache",
            "OPTIONS": {"PRIMARY": "redis-pages", "FALLBACK": "nowhere"},
        },
        "redis-pages": UNREACHABLE_REDIS,
        "nowhere": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache:default": "ok", "cache:pages": "failed"}
    assert "no-store" in response["Cache-Control"]
    assert client.get("/healthz").status_code == 200  # the process still answers: not restarted


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_does_not_answer(client):
    from unittest import mock

    from django.db import OperationalError

    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "failed", "cache:default": "ok", "cache:pages": "ok"}


def test_the_site_trusts_x_forwarded_proto_from_its_proxy(rf):
    assert rf.get("/", HTTP_X_FORWARDED_PROTO="https").is_secure()
    assert not rf.get("/").is_secure()


def test_bootstrap_is_served_from_the_repository_with_its_licence():
    found = Path(finders.find("vendor/bootstrap/css/bootstrap.min.css"))
    assert found == ROOT / "static/vendor/bootstrap/css/bootstrap.min.css"
    assert "Licensed under MIT" in found.read_text()[:300]
    assert "The MIT License" in (ROOT / "static/vendor/bootstrap/LICENSE").read_text()
    # The file names its source map; the map is there, so collectstatic can hash both.
    assert found.read_text().rstrip().endswith("/*# sourceMappingURL=bootstrap.min.css.map */")
    assert finders.find("vendor/bootstrap/css/bootstrap.min.css.map")


@pytest.mark.django_db
def test_home_shows_the_calendar_with_prague_next_and_the_montreal_results(client, demo):
    page = client.get(reverse("results:home")).content.decode()
    assert "Round 2: Prague" in page and "Prague, Czechia" in page
    assert "Miyazono" in page and "+1.0684" in page
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in page
    hosts = set(re.findall(r"""(?:src|href)=["']https?://([^/"']+)""", page))
    assert hosts <= {"testserver", urlsplit(settings.SITE_URL).netloc}, "no request to another host"


@pytest.mark.django_db
def test_a_database_outage_answers_a_clear_503_and_the_next_request_recovers(client, demo, settings):
    from unittest import mock

    from django.db import OperationalError

    settings.DEBUG = False
    with mock.patch(
        "results.read.pages.home_page_data", side_effect=OperationalError("server closed the connection")
    ):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Back in a moment" in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert client.get("/").status_code == 200


# What gunicorn's master runs when it preloads the site. It must reach neither the database nor Redis
# (here, addresses nothing listens on) and hold no connection, socket, cache client or thread a forked
# worker would share; it leaves the URLs, the code's fingerprint and the compiled templates loaded.
LOAD_AS_GUNICORNS_MASTER = """
import os, sys, threading
import gtws_site.wsgi
from django.core.cache import caches
from django.db import connections
from django.template import engines
from results.cache.pages import code_version
links = []
for fd in os.listdir("/proc/self/fd"):
    try:
        links.append(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:  # the listing's own descriptor, closed by now
        pass
sockets = [link for link in links if link.startswith("socket:")]
print("database connections:", [c.alias for c in connections.all() if c.connection is not None])
print("caches:", [type(c).__name__ for c in caches.all(initialized_only=True)])
print("sockets:", sockets, "threads:", threading.active_count())
print("urls loaded:", "results.site.urls" in sys.modules and "community.urls" in sys.modules)
print("fingerprint kept:", code_version.cache_info().currsize == 1)
compiled = engines["django"].engine.template_loaders[0].get_template_cache
print("templates compiled:", "results/race_detail.html" in compiled and "base.html" in compiled)
"""


def test_loading_the_site_for_gunicorns_workers_reaches_no_database_or_cache_and_loads_the_urls():
    environment = {name: value for name, value in os.environ.items() if name != "PAGE_CACHE_URL"}
    done = subprocess.run(
        [sys.executable, "-c", LOAD_AS_GUNICORNS_MASTER],
        cwd=ROOT,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "gtws_site.settings",
            "DEBUG": "0",
            "SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789abcdef",
            "ALLOWED_HOSTS": "gtws.example.org",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
            "REDIS_URL": "redis://127.0.0.1:9/0",
        },
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "database connections: []",
        "caches: []",
        "sockets: [] threads: 1",
        "urls loaded: True",
        "fingerprint kept: True",
        "templates compiled: True",
    ]


@pytest.mark.django_db(transaction=True)
def test_gunicorn_preloads_the_site_and_forks_no_open_database_connection(monkeypatch):
    monkeypatch.delenv("GUNICORN_PRELOAD", raising=False)
    config = run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    connection.ensure_connection()
    config["pre_fork"](server=None, worker=None)
    assert connection.connection is None
