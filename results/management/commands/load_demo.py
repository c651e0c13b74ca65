from django.core.management.base import BaseCommand

from results.demo import DEMO_EDITOR_PASSWORD, DEMO_EDITOR_USERNAME, load_demo


class Command(BaseCommand):
    help = "Load Round 1 of the 2024 Nations Cup (Montréal) as demo data. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Rewrite the demo's races and report, undoing any edits made to them.",
        )

    def handle(self, *args, reset=False, **options):
        summary = load_demo(reset=reset)
        if summary.created:
            self.stdout.write(self.style.SUCCESS("Loaded the Montréal 2024 demo."))
        else:
            self.stdout.write(
                "The Montréal 2024 demo is already loaded; nothing changed (--reset reloads it)."
            )
        if summary.editor_created:
            self.stdout.write(
                f"Created the demo editor (DEBUG only): {DEMO_EDITOR_USERNAME}@example.com, "
                f"password {DEMO_EDITOR_PASSWORD!r}."
            )
