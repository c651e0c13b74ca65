"""WSGI entry point, served by gunicorn (see gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gtws_site.settings")

application = get_wsgi_application()


def load_before_serving():
    """What a worker would otherwise load on its first request: the URLs of every app and the code's
    fingerprint (results.cache.pages.code_version). Loaded here, they are loaded once in gunicorn's
    master, which preloads the site (gunicorn.conf.py), and shared by every worker it forks. Neither
    reads the database or the caches."""
    from django.urls import reverse

    from results.cache.pages import code_version

    reverse("results:home")  # imports every URLconf and builds the names' index
    code_version()


load_before_serving()
