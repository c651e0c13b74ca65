import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django_tasks.signals import task_enqueued

from community import mail as community_mail
from community import scoring
from results.cache import invalidation
from results.demo import load_demo
from results.editors import ensure_editors_group
from tests.twofactor import sign_in_staff


@pytest.fixture(autouse=True)
def fresh_caches():
    """Every test starts with empty caches (local memory in tests/settings.py: no SQL, no Redis)."""
    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(autouse=True)
def changes_apply_at_once(request, monkeypatch):
    """Tests run inside a transaction that never commits: what a write marks is applied at once.

    A test marked ``on_commit`` keeps the real behaviour (applied after the commit).
    """
    if request.node.get_closest_marker("on_commit") is None:
        monkeypatch.setattr(invalidation, "on_commit", lambda callback, using=None, robust=False: callback())
    yield
    invalidation.forget_pending()  # what a test that never committed gathered stays with it
    scoring.forget_pending()  # and so do the races whose picks it would have scored again


# A write to a racing table (results_*) or to the comments; django's own tables are not racing data,
# nor is an editor's season file on its way in (results_seasonimport: no page shows it), nor the
# history of racing rows (results_historical…, django-simple-history): it is written beside a racing
# write, which carries the mark, and a deleted race's history stays (the Corrections read it).
MARKED_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(results_(?!seasonimport\b|historical)\w+|community_comment)\b',
    re.IGNORECASE,
)


class WriteLog:
    """The writes to racing tables and comments a test made, and the marks, in the order they came."""

    def __init__(self):
        self.events = []  # (kind, "racing" or "comments", SQL of a write or None for a mark)

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = MARKED_WRITE.match(sql)
        if match and context["cursor"].rowcount != 0:  # a write that changed no row needs no mark
            section = "comments" if match[1].lower() == "community_comment" else "racing"
            self.events.append(("write", section, sql))
        return result

    def marked(self, sender, scopes, **kwargs):
        comments_only = scopes and all(scope.startswith("comments:") for scope in scopes)
        self.events.append(("mark", "comments" if comments_only else "racing", None))

    def unmarked(self):
        """The SQL of every write that no mark of its kind (racing, comments) followed."""
        missing, marked = [], set()
        for event, section, sql in reversed(self.events):
            if event == "mark":
                marked.add(section)
            elif section not in marked:
                missing.append(sql)
        return missing[::-1]


@pytest.fixture(autouse=True)
def racing_writes_are_marked(request):
    """Fail a test in which a write to racing data or comments was not followed by a mark
    (results.cache.invalidation): a write path that forgot to make its pages cold."""
    for name in ("db", "transactional_db"):  # set up first, torn down after: their flush is no test's write
        if name in request.fixturenames:
            request.getfixturevalue(name)
    log = WriteLog()
    invalidation.changes_marked.connect(log.marked, weak=False)
    try:
        with connection.execute_wrapper(log):
            yield log
    finally:
        invalidation.changes_marked.disconnect(log.marked)
    if unmarked := log.unmarked():
        pytest.fail("Written without a mark for the page cache:\n" + "\n".join(unmarked), pytrace=False)


@pytest.fixture
def demo(db):
    load_demo()


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user(
        "edna", "edna@example.com", "a-long-editor-password", is_staff=True
    )
    user.groups.add(ensure_editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    return sign_in_staff(client, editor)


class MailQueue:
    """The e-mails the site queued (community.mail), from any thread: the browser tests' server too."""

    def __init__(self):
        self.queued, self.sent = [], 0

    def __call__(self, sender, task_result, **kwargs):
        if task_result.task.name == community_mail.send.name:
            self.queued.append(task_result)

    def deliver(self):
        """Run the send tasks queued since the last delivery, as the worker would; the outbox."""
        for result in self.queued[self.sent :]:
            result.task.call(*result.args, **result.kwargs)
        self.sent = len(self.queued)
        return mail.outbox


@pytest.fixture
def queued_mail():
    queue = MailQueue()
    task_enqueued.connect(queue, weak=False)
    yield queue
    task_enqueued.disconnect(queue)
