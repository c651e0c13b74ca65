"""gunicorn settings for `make serve` and production. Environment variables override them."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, two per core: a request waiting for a page another request is rendering (single
# flight, results.cache.pages) holds its worker, and with one per core a race-day burst of renders
# held them all. Threads (GUNICORN_THREADS > 1, gthread workers) were measured worse: a render holding
# the GIL slowed every cached answer of its process (docs/performance.md, race day). Each worker keeps
# its database connection open between requests (CONN_MAX_AGE).
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Restart workers now and then so a slow leak can never take a machine down, but rarely: a
# new worker imports Django again and warms its connections, and at 2,000 requests (the old
# setting) a busy worker restarted every second, which cost 30% of the machine's capacity.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# The master loads the site once (gtws_site.wsgi: Django, the static files' index, the URLs, the
# code's fingerprint, the compiled templates) and forks every worker from it, so a worker that starts,
# at boot or recycled, answers at once. Loaded in each worker, that took ≈ 0.65 s of CPU while requests
# queued behind it (docs/performance.md, session 15). A new release needs a restart, not a HUP: the
# master keeps the code it loaded (docs/deploy.md).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The access log names the client behind the proxies (TRUSTED_PROXY_COUNT), not the proxy.
logger_class = "gtws_site.clientip.AccessLogger"


def pre_fork(server, worker):
    """Loading the site opens no database connection (tests/test_site.py checks it); should
    a later change make it, the workers must not share the master's: close it before each fork."""
    if preload_app:
        from django.db import connections

        connections.close_all()
