"""Comment threads as readers see them: top-level comments oldest first, replies beneath."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q

from .models import Comment


def shown(report):
    """Comments on a report that readers see: not hidden, and not under a hidden comment."""
    return (
        Comment.objects.visible()
        .filter(report=report)
        .filter(Q(parent__isnull=True) | Q(parent__is_hidden=False))
    )


def comment_count(report):
    return shown(report).filter(is_removed=False).count()


def thread_page(report, number):
    """One page of threads (four queries, whatever the number of comments and replies)."""
    replies = Comment.objects.visible().select_related("author__profile").order_by("created_at", "pk")
    top = (
        shown(report)
        .filter(parent__isnull=True)
        .select_related("author__profile")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )
    return Paginator(top, settings.COMMENTS_PER_PAGE).get_page(number)


@dataclass
class ShownComment:
    """A comment as a reader who is not signed in sees it, read as values rather than a model.

    The comment section under a report is drawn again each time a comment arrives; most of its
    threads are found drawn already, so the section reads only what a thread's digest needs and
    draws the threads not found from these rows, never building model instances.
    """

    pk: int
    parent_id: int | None
    author_name: str
    created_at: datetime
    edited_at: datetime | None
    is_removed: bool
    body: str
    thread_replies: tuple = ()
    thread_digest: str = ""
    thread_html: str | None = field(default=None, repr=False)


SHOWN_FIELDS = (
    "pk",
    "parent_id",
    "created_at",
    "edited_at",
    "is_removed",
    "body",
    "author_id",
    "author__username",
    "author__profile__display_name",
)


def shown_comment(row, replies=()):
    if row["author_id"] is None:
        name = "deleted user"
    else:
        name = row["author__profile__display_name"] or row["author__username"]
    return ShownComment(
        pk=row["pk"],
        parent_id=row["parent_id"],
        author_name=name,
        created_at=row["created_at"],
        edited_at=row["edited_at"],
        is_removed=row["is_removed"],
        body=row["body"],
        thread_replies=tuple(replies),
    )


def reader_thread_page(report, number):
    """One page of threads as :class:`ShownComment` rows (three queries, whatever the numbers of
    comments and replies): the same threads and replies as :func:`thread_page`."""
    top = shown(report).filter(parent__isnull=True).order_by("created_at", "pk").values(*SHOWN_FIELDS)
    page = Paginator(top, settings.COMMENTS_PER_PAGE).get_page(number)
    rows = list(page.object_list)
    replies = defaultdict(list)
    reply_rows = (
        Comment.objects.visible()
        .filter(parent_id__in=[row["pk"] for row in rows])
        .order_by("created_at", "pk")
        .values(*SHOWN_FIELDS)
    )
    for row in reply_rows:
        replies[row["parent_id"]].append(shown_comment(row))
    page.object_list = [shown_comment(row, replies[row["pk"]]) for row in rows]
    return page


def page_of(comment):
    """The page of its report that shows ``comment``."""
    top = comment.parent or comment
    before = (
        shown(comment.report)
        .filter(parent__isnull=True)
        .filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, pk__lt=top.pk))
    )
    return before.count() // settings.COMMENTS_PER_PAGE + 1
