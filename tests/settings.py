"""The project's settings for the test suite: caches that run no SQL, tasks recorded, not run.

Query counts pinned by the tests are then the page's own. Tests of the shared cache itself (Redis,
its fallback) set their caches explicitly.
"""

from gtws_site.settings import *  # noqa: F403

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
# Rendering ahead costs each admin save a dozen page renders; its own tests turn it on.
PAGE_RENDER_BEFORE_COMMIT = False
