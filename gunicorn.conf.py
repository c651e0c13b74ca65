"""gunicorn settings for `make serve` and production. Environment variables override them."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One worker process per core, each with a few threads: a request waiting for a page another
# request is rendering (results.cache.pages, single flight) sleeps in its thread instead of holding
# the whole worker (docs/performance.md, race day). Each thread keeps its database connection open
# between requests (CONN_MAX_AGE).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Restart workers now and then so a slow leak can never take a machine down, but rarely: a
# new worker imports Django again and warms its connections, and at 2,000 requests (the old
# setting) a busy worker restarted every second, which cost 30% of the machine's capacity.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
