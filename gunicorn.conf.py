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
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The access log names the client behind the proxies (TRUSTED_PROXY_COUNT), not the proxy.
logger_class = "gtws_site.clientip.AccessLogger"
