from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from community.views import admin_login
from gtws_site.views import csp_report, readyz, security_txt
from results.site.sitemaps import SITEMAPS
from results.site.views import healthz, robots_txt

admin.site.site_header = "GTWS fan site – editors"
admin.site.site_title = "GTWS editors"
admin.site.index_title = "Racing data and race reports"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("csp-report/", csp_report, name="csp-report"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/v1/", include("results.api.urls")),
    # The admin signs in through the same rate-limited form as everyone else.
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("community.urls")),
    path("", include("results.site.urls")),
]
