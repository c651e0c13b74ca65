from django.contrib import admin
from django.urls import include, path

from results.views import healthz

admin.site.site_header = "GTWS fan site – editors"
admin.site.site_title = "GTWS editors"
admin.site.index_title = "Racing data and race reports"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("results.api_urls")),
    path("", include("results.urls")),
]
