"""A season file an editor uploaded, kept on the server between its preview and its import.

Not racing data: its rows are the editor's, and writing them marks nothing for the page cache
(its manager is a plain QuerySet; the racing rows the import writes mark themselves).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

KEPT_FOR = timedelta(hours=24)  # an upload is forgotten this long after it was made
MAX_SHOWN = 100  # problems, and lines of races, kept to show


def new_token():
    """The upload's address: random, so it cannot be guessed."""
    return secrets.token_urlsafe(32)


class SeasonImportQuerySet(models.QuerySet):
    def of_editor(self, user):
        """This editor's uploads that are still kept, the latest first."""
        return self.filter(editor=user, uploaded_at__gte=timezone.now() - KEPT_FOR).order_by("-uploaded_at")

    def kept(self, pk, state):
        """The upload ``pk`` if it is still kept and in ``state``, else None."""
        return self.filter(pk=pk, state=state, uploaded_at__gte=timezone.now() - KEPT_FOR).first()

    def of_editor_by_token(self, user, token):
        """The upload at this address, if it is this editor's and still kept, else None."""
        return self.of_editor(user).filter(token=token).first()

    def expired(self):
        """Uploads older than :data:`KEPT_FOR`, whatever became of them."""
        return self.filter(uploaded_at__lt=timezone.now() - KEPT_FOR)


class SeasonImport(models.Model):
    """A season file an editor uploaded, with the state, counts and problems of its preview and import."""

    class State(models.TextChoices):
        CHECKING = "checking", "Reading the file and comparing it with the database"
        CHECKED = "checked", "Read: import it when you have checked what it changes"
        REFUSED = "refused", "Refused: the file has problems; nothing was imported"
        QUEUED = "queued", "Confirmed: waiting for the task worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed: nothing was imported"

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="season_imports"
    )
    file_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(help_text="In bytes.")
    content = models.TextField(blank=True, help_text="The file's text, until it is imported or refused.")
    state = models.CharField(max_length=10, choices=State, default=State.CHECKING)
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The season the file holds.")
    replace = models.BooleanField(
        default=False,
        help_text="The editor asked for a replace: what the file does not have is deleted from the season.",
    )
    rows = models.PositiveIntegerField(
        default=0,
        help_text="Rows in the file: entries, stints, penalties, pit stops, incidents, crew members, sources "
        "and conflicting values.",
    )
    summary = models.JSONField(default=dict, blank=True, help_text="What the import changes, or changed.")
    problems = models.JSONField(default=list, blank=True, help_text="The first problems found.")
    problem_count = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = SeasonImportQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("admin:results_season_import_status", args=[self.token])

    @property
    def is_waiting(self):
        """The task worker has yet to finish with it (its page refreshes itself)."""
        return self.state in (self.State.CHECKING, self.State.QUEUED, self.State.RUNNING)

    def _set(self, **values):
        for name, value in values.items():
            setattr(self, name, value)
        self.save(update_fields=list(values))

    def begin(self):
        self._set(state=self.State.RUNNING, started_at=timezone.now())

    def read(self, year, rows):
        """The file was read: it holds this season and this many rows."""
        self._set(year=year, rows=rows)

    def checked(self, summary):
        self._set(state=self.State.CHECKED, summary=summary, finished_at=timezone.now())

    def confirm(self):
        """Queue the import of a checked upload that is still kept; False if it is not one."""
        fresh = timezone.now() - KEPT_FOR
        queued = SeasonImport.objects.filter(pk=self.pk, state=self.State.CHECKED, uploaded_at__gte=fresh)
        if not queued.update(state=self.State.QUEUED):
            return False
        self.state = self.State.QUEUED
        return True

    def done(self, summary):
        self._set(state=self.State.DONE, summary=summary, content="", finished_at=timezone.now())

    def refuse(self, problems):
        self._set(
            state=self.State.REFUSED,
            problems=list(problems[:MAX_SHOWN]),
            problem_count=len(problems),
            content="",
            finished_at=timezone.now(),
        )

    def fail(self, problem):
        self._set(
            state=self.State.FAILED,
            problems=[problem],
            problem_count=1,
            content="",
            finished_at=timezone.now(),
        )
