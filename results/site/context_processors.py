from functools import lru_cache

from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject

from results.models import Competition
from results.site.forms import SearchForm


@lru_cache(maxsize=2)
def site_search_form(id_prefix="site-search"):
    """The menu's search form: the same markup on every page, so it is rendered once per process.
    The header shows it from 992 px; the collapsed menu has its own (``menu-search``), one at a time."""
    return render_crispy_form(SearchForm(compact=True, id_prefix=id_prefix))


def site(request):
    """What every page's <head> and menu need."""
    return {
        "canonical_url": settings.SITE_URL + request.path,
        "og_image_url": settings.SITE_URL + static("img/og-card.png"),
        # The menu's competitions: one query, only if the page shows the menu.
        "site_nav": SimpleLazyObject(lambda: list(Competition.objects.of_latest_season())),
        "site_search_form": site_search_form(),
        "menu_search_form": site_search_form("menu-search"),
    }
