"""Whether a pick's winner won, stored by scoring beside its points; the picks scored already get it.

The podium a pick is scored against is the race's final classification (penalties added after the
finish counted), which is code (``results.read.loaders``), not a query: so the picks scored before
this migration are scored again by the scoring itself (``community.scoring.score_races``), which
fills the new field (and sets points that were behind their race's results right). It runs with
today's models: should a later migration make it fail on an old database, squash it away (its work
is done once it has run everywhere). A new database has no picks: nothing is read.
"""

from django.db import migrations, models


def score_scored_races(apps, schema_editor):
    from community.scoring import score_races

    picks = apps.get_model("community", "Pick").objects
    races = picks.filter(points__isnull=False).values_list("race_id", flat=True).distinct()
    score_races(list(races))


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0002_picks_and_leagues"),
    ]

    operations = [
        migrations.AddField(
            model_name="pick",
            name="is_winner_right",
            field=models.BooleanField(
                blank=True,
                help_text="Whether the competitor picked to win won (the final classification); "
                "empty until scored.",
                null=True,
                verbose_name="winner right",
            ),
        ),
        migrations.RunPython(score_scored_races, migrations.RunPython.noop, elidable=True),
    ]
