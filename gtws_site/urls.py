from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from results.sitemaps import SITEMAPS
from results.views import healthz, robots_txt

admin.site.site_header = "GTWS fan site – editors"
admin.site.site_title = "GTWS editors"
admin.site.index_title = "Racing data and race reports"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("results.api_urls")),
    path("", include("results.urls")),
]
