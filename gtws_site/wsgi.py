"""WSGI entry point, served by gunicorn (see gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gtws_site.settings")

application = get_wsgi_application()


def load_before_serving():
    """What a worker would otherwise load on its first requests: the URLs of every app, the code's
    fingerprint (results.cache.pages.code_version), the template engine with its tag libraries and
    context processors, and the site's own templates, compiled. Loaded here, they are loaded once in
    gunicorn's master, which preloads the site (gunicorn.conf.py), and shared by every worker it
    forks; a worker recycled later runs the code its master loaded, not files changed on disk since.
    None of it reads the database or the caches."""
    from pathlib import Path

    from django.template import engines
    from django.urls import reverse
    from django.utils.module_loading import import_string

    from results.cache.pages import code_version

    reverse("results:home")  # imports every URLconf and builds the names' index
    code_version()
    engine = engines["django"]  # imports every app's template tag libraries
    for processor in engine.engine.context_processors:
        import_string(processor)
    for folder in map(Path, engine.dirs):  # the site's own (TEMPLATES' DIRS), not every app's
        for path in sorted(folder.rglob("*.html")):
            engine.get_template(path.relative_to(folder).as_posix())


load_before_serving()
