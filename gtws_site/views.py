"""The site's own endpoints for browsers and operators: CSP violation reports, security.txt, readiness."""

import json
import logging
import re
import uuid
from datetime import UTC, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from community import ratelimit
from results.cache.backends import FallbackCache

from .clientip import client_ip

logger = logging.getLogger(__name__)

# --- CSP violation reports ------------------------------------------------------------------------

REPORT_TYPES = {"application/csp-report", "application/reports+json", "application/json"}
CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def shown(value, limit=200):
    """A report's field as one short line: a browser's report is the sender's word, not ours."""
    return CONTROL.sub(" ", str(value))[:limit] if value not in (None, "") else "-"


def violations(payload):
    """(document, directive, blocked, source) of each violation in a report, in either format.

    ``application/csp-report`` (report-uri): ``{"csp-report": {"document-uri": ...}}``;
    ``application/reports+json`` (report-to): ``[{"type": "csp-violation", "body": {"documentURL": ...}}]``.
    """
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        body = payload["csp-report"]
        source = body.get("source-file"), body.get("line-number")
        yield (
            body.get("document-uri"),
            body.get("effective-directive") or body.get("violated-directive"),
            body.get("blocked-uri"),
            source,
        )
    elif isinstance(payload, list):
        for report in payload:
            if isinstance(report, dict) and isinstance(report.get("body"), dict):
                body = report["body"]
                source = body.get("sourceFile"), body.get("lineNumber")
                yield body.get("documentURL"), body.get("effectiveDirective"), body.get("blockedURL"), source


@csrf_exempt  # browsers send reports without a token, necessarily
@require_POST
def csp_report(request):
    """Where browsers report what the Content Security Policy blocked: one log line each, answered 204."""
    address = client_ip(request)
    if not ratelimit.allow("csp-report", address, settings.CSP_REPORT_RATE_LIMITS):
        return HttpResponse(status=429)
    if request.content_type not in REPORT_TYPES:
        return HttpResponse(status=415)
    limit = settings.CSP_REPORT_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if declared > limit:
        return HttpResponse(status=413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(status=413)
    try:
        found = list(violations(json.loads(body)))
    except (ValueError, RecursionError):  # not JSON (UnicodeDecodeError is a ValueError), or nested deep
        return HttpResponse(status=400)
    if not found:
        return HttpResponse(status=400)
    for document, directive, blocked, (source, line) in found[:10]:
        logger.warning(
            "CSP violation from %s: %s blocked %s on %s (%s:%s)",
            address,
            shown(directive),
            shown(blocked),
            shown(document),
            shown(source),
            shown(line, 10),
        )
    return HttpResponse(status=204)


# --- security.txt (RFC 9116) ----------------------------------------------------------------------


@require_safe
def security_txt(request):
    """Whom to tell about a vulnerability; valid for a year from the day it is read."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    lines = [f"Contact: {contact}" for contact in settings.SECURITY_CONTACTS]
    lines += [
        f"Expires: {today + timedelta(days=365):%Y-%m-%dT%H:%M:%SZ}",
        "Preferred-Languages: en",
        f"Canonical: {settings.SITE_URL}/.well-known/security.txt",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# --- Readiness ------------------------------------------------------------------------------------

CACHES_CHECKED = ("default", "pages")


def database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_answers(alias):
    """A value written to the cache reads back. For a cache with a fallback, its primary (Redis) is
    asked: the fallback keeps the site up, but the primary is what should answer."""
    cache = caches[alias]
    if isinstance(cache, FallbackCache):
        cache = caches[cache.primary_alias]
    key, token = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, token, 10)
    answered = cache.get(key) == token
    cache.delete(key)
    return answered


@never_cache
@require_safe
def readyz(request):
    """200 when the database and both caches answer; 503 naming those that did not."""
    checks = {"database": database_answers}
    checks.update({f"cache:{alias}": partial(cache_answers, alias) for alias in CACHES_CHECKED})
    status = {}
    for name, check in checks.items():
        try:
            answered = check()
        except Exception as error:  # whatever failed, readiness says so rather than failing itself
            logger.error("Readiness: %s did not answer: %r", name, error)
            answered = False
        status[name] = "ok" if answered else "failed"
    ready = all(value == "ok" for value in status.values())
    return JsonResponse(status, status=200 if ready else 503)
