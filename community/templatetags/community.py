import hashlib

from django import template
from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe

from results.cache import scopes, versions
from results.cache.pages import CACHE_SECONDS, code_version, dont_store, positive_number

from ..forms import CommentForm
from ..threads import comment_count, reader_thread_page, thread_page

register = template.Library()


@register.filter
def comment_text(text):
    """Plain text as paragraphs; links clickable with rel="nofollow ugc"; never any HTML from the author."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = []
    for paragraph in paragraphs:
        linked = urlize(escape(paragraph), trim_url_limit=60, nofollow=True, autoescape=False)
        linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc"')
        html.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(html))


@register.filter
def editable_by(comment, user):
    return comment.is_editable_by(user)


@register.simple_tag(takes_context=True)
def comment_section(context, report):
    """The comments under a report: count, one page of threads, and the form or the invitation.

    For anonymous readers the section is a fragment of the pages cache, kept with the version of
    the report's comment section: a page made cold by a racing change renders its races again,
    not its comments.
    """
    request = context["request"]
    if request.user.is_authenticated:
        return section_html(context, report)
    asked = request.GET.get("page")
    scope = scopes.comments(report.slug)
    token = versions.current([scope])[0][scope]
    key = f"comments:{code_version()}:{report.slug}:{positive_number(asked or '1')}:{token}"
    store = caches[versions.CACHE_ALIAS]
    html = store.get(key)
    if html is None:
        html = section_html(context, report)
        if token is not None and not getattr(request, "page_not_stored", False):
            store.set(key, html, CACHE_SECONDS)
    return html


def section_html(context, report):
    request = context["request"]
    user = request.user
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    asked = request.GET.get("page")
    page = thread_page(report, asked) if user.is_authenticated else reader_thread_page(report, asked)
    if asked is not None and positive_number(asked) != str(page.number):
        dont_store(request)  # a page number that is not one of the section's: answered, never kept
    if not user.is_authenticated:
        look_up_threads(page)
    return render_to_string(
        "community/_comments.html",
        {
            "request": request,
            "user": user,
            "report": report,
            "count": comment_count(report),
            "page": page,
            "form": CommentForm(report=report, action=reverse("community:post", args=[report.slug]))
            if user.is_authenticated
            else None,
            "is_suspended": bool(profile and profile.is_suspended),
            "max_length": settings.COMMENT_MAX_LENGTH,
            "csrf_token": context.get("csrf_token"),
            "code_version": code_version(),
        },
    )


THREAD_FRAGMENT = "comment-thread"  # the name of the {% cache %} fragment in community/_comments.html


def thread_version(comment):
    """A digest of what an anonymous reader sees of a thread (a :class:`~community.threads.ShownComment`
    and its replies): the thread's fragment is kept under it, so a new comment elsewhere renders only
    the threads that changed."""
    shown = []
    for one in (comment, *comment.thread_replies):
        edited = one.edited_at.isoformat() if one.edited_at else ""
        shown.append(
            f"{one.pk}|{one.created_at.isoformat()}|{edited}|{one.is_removed}|{one.author_name}|{one.body}"
        )
    return hashlib.sha256("\n".join(shown).encode()).hexdigest()[:32]


def look_up_threads(page):
    """Give each thread of the page its digest and, where the pages cache holds it, its fragment.

    All of the page's fragments are asked for in one round trip (the ``{% cache %}`` tag would ask
    for each in turn: 50 threads, 50 round trips, each time a new comment refreshes the section);
    the tag renders and stores only the threads not found, under the same key.
    """
    keys = {}
    for comment in page:
        comment.thread_digest = thread_version(comment)
        keys[comment.pk] = make_template_fragment_key(
            THREAD_FRAGMENT, [code_version(), comment.thread_digest]
        )
    found = caches[versions.CACHE_ALIAS].get_many(list(keys.values()))
    for comment in page:
        html = found.get(keys[comment.pk])
        comment.thread_html = mark_safe(html) if html is not None else None  # HTML this site rendered
