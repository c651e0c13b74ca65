import json

from django.core.management.base import BaseCommand, CommandError

from results.exchange.exporter import export_season
from results.models import Season


class Command(BaseCommand):
    help = "Write a season as a gtws-results/2 JSON document (everything editors entered) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--season", type=int, required=True, help="the season's year, e.g. 2024")

    def handle(self, *args, season, **options):
        try:
            document = export_season(season)
        except Season.DoesNotExist:
            raise CommandError(f"There is no {season} season.") from None
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
