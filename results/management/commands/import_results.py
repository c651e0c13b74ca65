from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from results.exchange.importer import ImportFailed, import_season
from results.exchange.validate import DocumentError, load


class Command(BaseCommand):
    help = (
        "Import a season from a gtws-results JSON file (version 1 or 2). All or nothing; safe to run twice. "
        "Deletes nothing the file does not mention unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON file, or - for standard input")
        parser.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="make the season exactly the file: delete its races, rounds, competitions, reports and race "
            "rows that the file does not have (with --dry-run: say what would be deleted)",
        )

    def handle(self, *args, file, dry_run=False, replace=False, **options):
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
            summary = import_season(doc, dry_run=dry_run, replace=replace)
        except ImportFailed as error:
            raise CommandError(f"{file} was not imported: {error}") from None
        for line in summary.races:
            self.stdout.write(f"  {line}")
        verb, deleted = ("Would import", "would delete") if dry_run else ("Imported", "deleted")
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} season {doc.year}: created {_counts(summary.created)}; "
                f"updated {_counts(summary.updated)}; {deleted} {_counts(summary.deleted)}."
            )
        )


def _counts(counter):
    return ", ".join(f"{n} {label}" for label, n in sorted(counter.items())) or "nothing"
