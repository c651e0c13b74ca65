from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from results.exchange.importer import ImportFailed, import_season
from results.exchange.validate import DocumentError, load


class Command(BaseCommand):
    help = "Import a season from a gtws-results/1 JSON file. All or nothing; safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON file, or - for standard input")
        parser.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")

    def handle(self, *args, file, dry_run=False, **options):
        import sys

        try:
            text = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        try:
            doc = load(text)
        except DocumentError as error:
            for message in error.errors:
                self.stderr.write(f"  {message}")
            raise CommandError(
                f"{file} was not imported: {len(error.errors)} problem(s), listed above."
            ) from None
        try:
            summary = import_season(doc, dry_run=dry_run)
        except ImportFailed as error:
            raise CommandError(f"{file} was not imported: {error}") from None
        for line in summary.races:
            self.stdout.write(f"  {line}")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} season {doc.year}: "
                f"created {_counts(summary.created)}; updated {_counts(summary.updated)}."
            )
        )


def _counts(counter):
    return ", ".join(f"{n} {label}" for label, n in sorted(counter.items())) or "nothing"
