"""Admins that show their rows and let nobody add, change or delete one (history, fans' picks)."""


class ReadOnlyAdminMixin:
    """Put before ``admin.ModelAdmin``: staff who may view the model read its list and its rows, and
    nobody adds, changes or deletes one through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
