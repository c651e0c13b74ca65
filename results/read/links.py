"""Links to the site's pages, reversed once per process.

Reversing a URL is a pure function of its name, its arguments and the script
prefix the site is mounted at, but Django's ``reverse`` costs ~15 µs a call,
and a race page links each driver twice: the answers are kept (the prefix is
part of the key, so a site mounted under a path still gets its own links).
"""

from functools import lru_cache

from django.urls import get_script_prefix, reverse


@lru_cache(maxsize=8192)
def _reversed(prefix, viewname, args):
    return reverse(viewname, args=args)


def link(viewname, *args):
    """``link("results:driver", "takuma-miyazono")`` → ``"/drivers/takuma-miyazono/"``."""
    return _reversed(get_script_prefix(), viewname, args)
