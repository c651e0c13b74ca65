"""Admin pages beyond Django's own: paste a results list, import a season file."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst

from results.exchange import uploads
from results.exchange.paste import parse_pasted, size_problems
from results.exchange.validate import DocumentError, too_large
from results.models import Competition, Driver, Race, SeasonImport, Team
from results.models.history import correcting
from results.rules.checks import LapRow, RaceSheet, ResultRow, StintRow, check_race
from results.rules.limits import MAX_SEASON_FILE_BYTES, NOTE_LENGTH, excerpt
from results.write.results import save_pasted_results

EDIT_RESULTS = ["results.add_result", "results.change_result", "results.delete_result"]
IMPORT_SEASONS = [
    f"results.{action}_{model}"
    for model in ("season", "competition", "round", "race", "result", "driver", "car", "team", "track")
    for action in ("add", "change")
]


class PastedListField(forms.CharField):
    """A press list, refused whole before it is read when it is far larger than one race or holds a
    null character (Django's own check would say only “Null characters are not allowed”)."""

    def to_python(self, value):
        text = super().to_python(value)
        if problems := size_problems(text):
            raise ValidationError(problems)
        return text


class PasteForm(forms.Form):
    text = PastedListField(
        label="Results as published",
        widget=forms.Textarea(attrs={"rows": 16, "cols": 90, "spellcheck": "false"}),
        help_text="One driver a line, in finishing order: “Jose Serrano – Spain +1.0684”. "
        "The winner's line may give laps (“– 35 laps”) or a time; others a gap, N/A, DNF, DNS, DSQ or NC. "
        "A team or the car's brand may follow the nation (“Jose Serrano – Spain – Toyota +1.0684”); "
        "a competition scored by team needs one on every line. A classified driver whose place was not "
        "published starts with “?”, a band (“7-12”) or “11+”.",
    )
    correction_reason = forms.CharField(
        label="Reason for the correction",
        required=False,
        max_length=NOTE_LENGTH,
        help_text="Required when the race is published (its classification complete): the pasted list "
        "replaces its results, and the change is shown on the race page.",
    )
    correction_source = forms.CharField(label="Source of the correction", required=False, max_length=500)

    def __init__(self, *args, race=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.race = race

    def clean(self):
        cleaned = super().clean()
        published = self.race is not None and Race.objects.published().filter(pk=self.race.pk).exists()
        if "save" in self.data and published and not cleaned.get("correction_reason", "").strip():
            self.add_error(
                "correction_reason", "This race is published: give the reason for replacing its results."
            )
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Season file (gtws-results JSON)",
        error_messages={"required": "Choose a season file to upload."},
    )
    replace = forms.BooleanField(
        label="Replace the season with the file",
        required=False,
        help_text="Deletes the season's races, rounds, competitions, reports and race rows (grid places, "
        "penalties, …) that the file does not have. Without it, nothing the file does not mention is "
        "deleted. Either way you see what changes, and what is deleted, before anything is written.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SEASON_FILE_BYTES:  # not read: Django kept it in a temporary file
            raise ValidationError(f"{capfirst(too_large(upload.size))}.")
        return upload


def _preview(race, text):
    """The pasted rows with their drivers looked up, and every problem found."""
    rows = parse_pasted(text)
    names = {row.driver.casefold() for row in rows if row.driver}
    known = {d.name.casefold(): d for d in Driver.objects.all() if d.name.casefold() in names}
    errors = [error for row in rows for error in row.errors]
    if not rows:
        errors.append("Paste at least one line.")
    for row in rows:
        row.known_driver = known.get(row.driver.casefold())
        row.nation_differs = bool(
            row.known_driver and row.nation and row.known_driver.nation.code not in ("", row.nation)
        )
    errors.extend(_team_problems(race, rows))
    if not errors:
        errors.extend(_sheet_problems(race, rows))
    return rows, errors


def _team_problems(race, rows):
    """Each named team must be one entered (a team or a car's brand); a competition scored by team
    needs one on every line, or its points would go to nobody."""
    problems = []
    teams = {team.name.casefold(): team for team in Team.objects.all()} if any(r.team for r in rows) else {}
    by_team = race.competition.scores == Competition.Scores.TEAM
    for row in rows:
        row.known_team = teams.get(row.team.casefold()) if row.team else None
        if row.errors:
            continue
        if row.team and row.known_team is None:
            problems.append(
                f"Line {row.line}: there is no team or brand “{excerpt(row.team)}”; write its name as "
                "entered under Teams, or add it there first."
            )
        elif by_team and not row.team:
            problems.append(
                f"Line {row.line}: the {race.competition.name} is scored by team, so every line names "
                f"the team or the car's brand after the nation: “{excerpt(row.driver)} – "
                f"{excerpt(row.nation_text)} – Team …”."
            )
    return problems


def _sheet_problems(race, rows):
    """The admin's race checks over the pasted results and the race's stored stints and pit stops."""
    line_of = {index: row.line for index, row in enumerate(rows, start=1)}
    sheet = RaceSheet(
        laps=race.laps,
        is_complete=race.is_complete,
        points_scale=tuple(race.points_scale or ()),
        results=[
            ResultRow(
                index,
                row.known_driver.pk if row.known_driver else f"new:{row.driver.casefold()}",
                row.driver,
                row.position,
                row.laps,
                row.status,
                row.place_unknown,
                row.place_from,
                row.place_to,
            )
            for index, row in enumerate(rows, start=1)
        ],
        stints=[
            StintRow(0, s.driver_id, s.driver.name, s.compound, s.first_lap, s.last_lap)
            for s in race.stints.select_related("driver")
        ],
        pit_stops=[
            LapRow(0, p.driver_id, p.driver.name, p.lap) for p in race.pit_stops.select_related("driver")
        ],
    )

    def where(section, row):
        return f"line {line_of[row]}" if section == "results" else f"stored {section.replace('_', ' ')}"

    return [
        p.message for p in check_race(sheet, where=where) if p.section in ("results", "stints", "pit_stops")
    ]


def paste_results_view(model_admin, request, object_id):
    if not request.user.has_perms(EDIT_RESULTS):
        raise PermissionDenied
    race = model_admin.get_object(request, unquote(object_id))  # None for a missing or malformed id
    if race is None:
        raise Http404("No race has this id.")
    form = PasteForm(request.POST or None, race=race)
    rows, errors = [], []
    if request.method == "POST":
        valid = form.is_valid()  # a missing reason still shows the list as read
        if "text" in form.cleaned_data:
            rows, errors = _preview(race, form.cleaned_data["text"])
        if valid and "save" in request.POST and not errors:
            reason, source = form.cleaned_data["correction_reason"], form.cleaned_data["correction_source"]
            with correcting(reason, source, request.user):
                save_pasted_results(race, rows)
            model_admin.log_change(request, race, f"Pasted {len(rows)} results.")
            messages.success(request, f"Saved {len(rows)} results for {race}.")
            return redirect(reverse("admin:results_race_change", args=[race.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Paste results: {race}",
        "opts": model_admin.model._meta,
        "original": race,
        "form": form,
        "rows": rows,
        "errors": errors,
        "new_drivers": [row.driver for row in rows if not row.known_driver and row.driver],
    }
    return TemplateResponse(request, "admin/results/race/paste.html", context)


def import_season_view(model_admin, request):
    """Upload a season file: it is kept on the server and read by the task worker (its status page)."""
    if not request.user.has_perms(IMPORT_SEASONS):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            kept = uploads.upload(
                request.user, upload.name, upload.read(), replace=form.cleaned_data["replace"]
            )
        except DocumentError as error:
            errors = error.errors
        else:
            return redirect(kept.get_absolute_url())
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import a season file",
        "opts": model_admin.model._meta,
        "form": form,
        "errors": errors,
        "max_megabytes": MAX_SEASON_FILE_BYTES // (1024 * 1024),
        "recent": SeasonImport.objects.of_editor(request.user)[:5],
    }
    return TemplateResponse(request, "admin/results/season/import.html", context)


def import_status_view(model_admin, request, token):
    """An upload's progress and outcome, for the editor who made it; a POST confirms the import."""
    if not request.user.has_perms(IMPORT_SEASONS):
        raise PermissionDenied
    kept = SeasonImport.objects.of_editor_by_token(request.user, token)
    if kept is None:  # someone else's, expired, or never made
        raise Http404("No upload of yours has this address (uploads are kept for a day).")
    if request.method == "POST" and "confirm" in request.POST:
        if not uploads.confirm(kept):
            messages.error(request, "This file is not waiting to be imported.")
        return redirect(kept.get_absolute_url())
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Import a season file: {kept.file_name}",
        "opts": model_admin.model._meta,
        "upload": kept,
        "summary_words": _in_words(kept.summary) if kept.summary else "",
        "deleted_words": _deleted_words(kept.summary.get("deleted", {})) if kept.summary else "",
        "more_problems": kept.problem_count - len(kept.problems),
        "more_races": kept.summary.get("race_count", 0) - len(kept.summary.get("races", [])),
        "more_changes": kept.summary.get("change_count", 0) - len(kept.summary.get("changes", [])),
    }
    return TemplateResponse(request, "admin/results/season/import_status.html", context)


def _deleted_words(deleted):
    return ", ".join(f"{n} {label}" for label, n in sorted(deleted.items()))


def _in_words(summary):
    created = ", ".join(f"{n} {label}" for label, n in sorted(summary["created"].items()))
    updated = ", ".join(f"{n} {label}" for label, n in sorted(summary["updated"].items()))
    return f"new: {created or 'nothing'}; changed: {updated or 'nothing'}"
