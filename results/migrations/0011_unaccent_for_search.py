from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class UnaccentOnPostgreSQL(UnaccentExtension):
    """``unaccent`` on PostgreSQL; nothing on other databases, forwards or backwards.

    Django's CreateExtension skips other databases forwards but not backwards (it asks
    PostgreSQL's catalogue whether the extension exists), so the way back is guarded here.
    """

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    """Search folds accents on PostgreSQL with the ``unaccent`` extension.

    On SQLite this migration is a no-op: CreateExtension does nothing unless
    ``schema_editor.connection.vendor`` is "postgresql"; there the search module registers a
    function of the same name on each connection (results.read.search).
    """

    dependencies = [("results", "0010_season_import_rows_wording")]

    operations = [UnaccentOnPostgreSQL()]
