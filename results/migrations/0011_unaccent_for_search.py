from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Search folds accents on PostgreSQL with the ``unaccent`` extension.

    ``UnaccentExtension`` (CreateExtension) does nothing unless ``schema_editor.connection.vendor``
    is "postgresql", so on SQLite this migration is a no-op; there the search module registers a
    function of the same name on each connection (results.read.search).
    """

    dependencies = [("results", "0010_season_import_rows_wording")]

    operations = [UnaccentExtension()]
