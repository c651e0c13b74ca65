"""Comment threads as readers see them: top-level comments oldest first, replies beneath."""

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


def page_of(comment):
    """The page of its report that shows ``comment``."""
    top = comment.parent or comment
    before = (
        shown(comment.report)
        .filter(parent__isnull=True)
        .filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, pk__lt=top.pk))
    )
    return before.count() // settings.COMMENTS_PER_PAGE + 1
