"""The editors' tool: racing data in the admin, its paste and import views, the race-sheet checks."""

from results.admin import racing  # noqa: F401 — registers the ModelAdmins
