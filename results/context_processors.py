from django.db.models import Subquery
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject

from .forms import SearchForm
from .models import Competition, Season


def _current_competitions():
    """The competitions of the latest season, for the menu (one query, only if a page shows it)."""
    latest = Season.objects.order_by("-year").values("year")[:1]
    return list(Competition.objects.filter(season__year=Subquery(latest)).select_related("season"))


def site(request):
    """What every page's <head> and menu need."""
    return {
        "canonical_url": request.build_absolute_uri(request.path),
        "og_image_url": request.build_absolute_uri(static("img/og-card.png")),
        "site_nav": SimpleLazyObject(_current_competitions),
        "site_search_form": SimpleLazyObject(lambda: SearchForm(compact=True)),
    }
