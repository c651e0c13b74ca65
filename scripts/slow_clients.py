"""Slow clients never take the site: deploy/nginx.conf in front of gunicorn, under a slow-header attack.

    .venv/bin/python scripts/slow_clients.py [--clients 8] [--seconds 20] [--direct-seconds 10]

Starts gunicorn with production settings (DEBUG=0; SQLite in a temporary directory unless DATABASE_URL
is set; two sync workers, as the finding had) and Debian's nginx (/usr/sbin/nginx, as the current user:
its pid, logs and temporary files in a temporary directory) with deploy/nginx.conf, its CHANGE values
substituted: ports on 127.0.0.1 in 8100-8199, a self-signed certificate, the collected static files.
Then it opens slow clients against nginx — each sends a request line and one header line every few
seconds and never finishes; cut off, it connects again — and while they are open asks GET /healthz
through nginx every 0.5 s. It prints how many probes were answered and the slowest, and exits non-zero
if any probe failed, if nginx never cut a slow client off, if nginx passed on a client's forged
X-Forwarded-For, if a hashed static file came back without its year-long cache, or if nginx let through
a 9 KB header line, a 6 MB body or a request for another host name. Then, for
comparison only, the same slow clients straight at gunicorn, which they block.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX = "/usr/sbin/nginx"
HOST = "gtws.example.org"  # the server_name of deploy/nginx.conf, kept
PORTS = range(8100, 8200)


class Failed(Exception):
    pass


def free_ports(count):
    found = []
    for port in PORTS:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise Failed("no free ports in 8100-8199")


def wait_for_port(port, process, name, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Failed(f"{name} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise Failed(f"{name} did not listen on {port}")


def wait_until_healthy(port, seconds=30):
    """gunicorn listens once its master has loaded the site, and its workers may still be forking:
    wait for a first answer."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if request(port, False, "/healthz", {"X-Forwarded-Proto": "https"}, timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise Failed("gunicorn did not answer /healthz")


def substitute(text, old, new):
    if old not in text:
        raise Failed(f"deploy/nginx.conf no longer contains {old!r}: update scripts/slow_clients.py")
    return text.replace(old, new)


def nginx_config(tmp, upstream_port, http_port, https_port):
    """deploy/nginx.conf with its CHANGE values set for this machine, inside a main file of our own."""
    site = (ROOT / "deploy/nginx.conf").read_text()
    site = substitute(site, "server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
    site = re.sub(r"^\s*listen \[::\]:.*\n", "", site, flags=re.MULTILINE)  # loopback IPv4 only
    site = substitute(site, "listen 80", f"listen 127.0.0.1:{http_port}")
    site = substitute(site, "listen 443", f"listen 127.0.0.1:{https_port}")
    site = substitute(site, "/etc/letsencrypt/live/gtws.example.org/fullchain.pem", str(tmp / "cert.pem"))
    site = substitute(site, "/etc/letsencrypt/live/gtws.example.org/privkey.pem", str(tmp / "key.pem"))
    site = substitute(site, "alias /srv/gtws/staticfiles/;", f"alias {ROOT / 'staticfiles'}/;")
    (tmp / "gtws.conf").write_text(site)
    # Debian's /etc/nginx/nginx.conf, which includes the file in its http block, with paths in tmp.
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers run as the current user
    main = f"""{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 768; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log {tmp}/access.log;
    gzip on;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/gtws.conf;
}}
"""
    (tmp / "nginx.conf").write_text(main)
    return tmp / "nginx.conf"


def client_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the certificate is the self-signed one made above
    return context


def connect(port, tls, timeout):
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    if tls:
        sock = client_context().wrap_socket(sock, server_hostname=HOST)
    return sock


def request(port, tls, path, headers=None, timeout=2.0, method="GET", host=HOST):
    """One HTTP/1.1 request without a body on a new connection: (status, headers, body); status 0 if
    the server closed the connection without an answer. Raises OSError if it could not be sent."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    with connect(port, tls, timeout) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass  # closed without an answer (nginx's 444), or reset after it
        except TimeoutError:
            if not data:
                raise
            # Answered, and held open: nginx reads an unwanted body for a while before closing.
    if not data:
        return 0, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    found = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        found[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), found, body


class SlowClients:
    """Connections that send a request line, then one header line every ``interval`` seconds, forever.
    A connection the server closes is opened again at once."""

    def __init__(self, port, tls, count, interval=3.0):
        self.port, self.tls, self.count, self.interval = port, tls, count, interval
        self.stop = threading.Event()
        self.opened = self.cut = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(count)]

    def run(self, n):
        while not self.stop.is_set():
            try:
                sock = connect(self.port, self.tls, timeout=5)
            except OSError:
                self.stop.wait(0.5)
                continue
            with self.lock:
                self.opened += 1
            try:
                sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\n".encode())
                line = 0
                while not self.stop.is_set():
                    sock.settimeout(self.interval)
                    try:
                        sock.recv(4096)  # an answer (408) or the end of the connection: cut off
                        with self.lock:
                            self.cut += 1
                        break
                    except TimeoutError:
                        pass  # nothing from the server: send one more header line
                    line += 1
                    sock.sendall(f"X-Slow-{n}-{line}: still typing\r\n".encode())
            except OSError:
                with self.lock:
                    self.cut += 1
            finally:
                sock.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        time.sleep(1.0)  # all connected and past the request line before the first probe
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=self.interval + 6)


def probe(port, tls, seconds, every=0.5, headers=None):
    """GET /healthz every ``every`` seconds for ``seconds``: (ok, total, slowest seconds, errors)."""
    ok = total = 0
    slowest = 0.0
    errors = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        total += 1
        try:
            status, _, body = request(port, tls, "/healthz", headers)
            if status == 200 and body == b"ok":
                ok += 1
            else:
                errors.append(f"status {status}")
        except OSError as error:
            errors.append(type(error).__name__)
        elapsed = time.monotonic() - started
        slowest = max(slowest, elapsed)
        time.sleep(max(0.0, every - elapsed))
    return ok, total, slowest, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--direct-seconds", type=float, default=10, help="0: skip the comparison")
    args = parser.parse_args()
    if not Path(NGINX).exists():
        raise Failed(f"{NGINX} is missing: apt-get install nginx")

    tmp = Path(tempfile.mkdtemp(prefix="gtws-slow-clients-"))
    processes = []
    try:
        gunicorn_port, http_port, https_port = free_ports(3)
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SITE_URL": f"https://{HOST}",
            "TRUSTED_PROXY_COUNT": "1",
            "GUNICORN_BIND": f"127.0.0.1:{gunicorn_port}",
            "GUNICORN_WORKERS": str(args.workers),
            "GUNICORN_THREADS": "1",
        }
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'db.sqlite3'}")
        python = sys.executable
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-subj", f"/CN={HOST}", "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")),
            ],
            check=True,
            capture_output=True,
        )
        gunicorn_log = (tmp / "gunicorn.log").open("w")
        gunicorn = subprocess.Popen(
            [str(Path(python).with_name("gunicorn")), "--config", "gunicorn.conf.py", "gtws_site.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=gunicorn_log,
            stderr=subprocess.STDOUT,
        )
        processes.append(gunicorn)
        config = nginx_config(tmp, gunicorn_port, http_port, https_port)
        nginx_args = [NGINX, "-c", str(config), "-p", str(tmp), "-e", str(tmp / "error.log")]
        checked = subprocess.run([*nginx_args, "-t"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise Failed(f"nginx refused the configuration:\n{checked.stderr}")
        nginx = subprocess.Popen([*nginx_args, "-g", "daemon off;"])
        processes.append(nginx)
        wait_for_port(gunicorn_port, gunicorn, "gunicorn")
        wait_for_port(https_port, nginx, "nginx")
        wait_until_healthy(gunicorn_port)
        print(f"gunicorn ({args.workers} sync workers) on :{gunicorn_port}, nginx on :{https_port} (TLS)")

        failures = []
        # The client's forged X-Forwarded-For is replaced by the address nginx was reached from.
        status, _, _ = request(https_port, True, "/healthz?forged", {"X-Forwarded-For": "203.0.113.66"})
        time.sleep(0.5)
        logged = [
            line for line in (tmp / "gunicorn.log").read_text().splitlines() if "/healthz?forged" in line
        ]
        seen = logged[0].split()[0] if logged else "nothing logged"
        print(f"forged X-Forwarded-For through nginx: {status}, gunicorn logged the client as {seen}")
        if seen != "127.0.0.1":
            failures.append(f"the access log named {seen}, not the address nginx was reached from")

        manifest = json.loads((ROOT / "staticfiles/staticfiles.json").read_text())["paths"]
        hashed = "/static/" + manifest["vendor/bootstrap/css/bootstrap.min.css"]
        status, headers, _ = request(https_port, True, hashed, {"Accept-Encoding": "gzip"})
        print(
            f"{hashed}: {status}, {headers.get('content-encoding', 'not compressed')}, "
            f"Cache-Control: {headers.get('cache-control')}"
        )
        if status != 200 or "immutable" not in headers.get("cache-control", ""):
            failures.append("the hashed stylesheet was not served with a year-long cache")
        status, _, _ = request(http_port, False, "/healthz")
        print(f"plain HTTP: {status} (to HTTPS)")
        refused = {
            "a 9 KB header line": request(https_port, True, "/healthz", {"X-Big": "a" * 9000})[0],
            "a 6 MB body": request(
                https_port, True, "/csp-report/", {"Content-Length": "6000000"}, method="POST"
            )[0],
            "another host name": request(http_port, False, "/healthz", host="other.example")[0],
        }
        print(
            "refused by nginx: "
            + ", ".join(f"{what} {status or 'closed'}" for what, status in refused.items())
        )
        if list(refused.values()) != [400, 413, 0]:
            failures.append(f"nginx let through what it should refuse: {refused}")

        with SlowClients(https_port, True, args.clients) as slow:
            ok, total, slowest, errors = probe(https_port, True, args.seconds)
        print(
            f"through nginx, {args.clients} slow clients for {args.seconds:.0f} s: /healthz {ok}/{total} ok, "
            f"slowest {slowest * 1000:.0f} ms; slow connections opened {slow.opened}, "
            f"cut off by nginx {slow.cut}"
        )
        if ok != total:
            failures.append(f"{total - ok} probes through nginx failed: {sorted(set(errors))}")
        if args.seconds > 12 and not slow.cut:  # client_header_timeout is 10 s
            failures.append("nginx never cut off a slow client: is client_header_timeout in the http block?")

        if args.direct_seconds > 0:
            proxied = {"X-Forwarded-Proto": "https"}  # as nginx would say, so no redirect to HTTPS
            with SlowClients(gunicorn_port, False, args.clients):
                ok, total, slowest, errors = probe(gunicorn_port, False, args.direct_seconds, headers=proxied)
            print(
                f"for comparison, the same slow clients straight at gunicorn "
                f"for {args.direct_seconds:.0f} s: /healthz {ok}/{total} ok "
                f"({', '.join(sorted(set(errors))) or 'no errors'})"
            )

        for failure in failures:
            print("FAILED:", failure)
        print("slow clients: ok" if not failures else "slow clients: FAILED")
        return 1 if failures else 0
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failed as error:
        sys.exit(f"slow clients: {error}")
