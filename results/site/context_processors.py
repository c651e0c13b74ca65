from functools import lru_cache

from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.db.models import Subquery
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject

from results.models import Competition, Season
from results.read.statements import Statement
from results.site.forms import SearchForm

# The competitions of the latest season, for the menu (one query, only if a page shows it).
_CURRENT_COMPETITIONS = Statement(
    lambda: Competition.objects.filter(
        season__year=Subquery(Season.objects.order_by("-year").values("year")[:1])
    ).select_related("season")
)


@lru_cache(maxsize=1)
def site_search_form():
    """The menu's search form: the same markup on every page, so it is rendered once per process."""
    return render_crispy_form(SearchForm(compact=True))


def site(request):
    """What every page's <head> and menu need."""
    return {
        "canonical_url": settings.SITE_URL + request.path,
        "og_image_url": settings.SITE_URL + static("img/og-card.png"),
        "site_nav": SimpleLazyObject(_CURRENT_COMPETITIONS),
        "site_search_form": site_search_form(),
    }
