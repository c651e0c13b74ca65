"""Admin pages beyond Django's own: paste a results list, import a season file."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst, get_text_list

from results.exchange import uploads
from results.exchange.paste import size_problems
from results.exchange.sheet_paste import SECTIONS, read_sheet
from results.exchange.validate import DocumentError, too_large
from results.models import Race, SeasonImport
from results.models.history import correcting
from results.rules.limits import MAX_SEASON_FILE_BYTES, NOTE_LENGTH
from results.write.results import save_pasted_sheet

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


def pasted_list(label, rows, help_text):
    """An optional box for one pasted list, ``rows`` lines high."""
    widget = forms.Textarea(attrs={"rows": rows, "cols": 60, "spellcheck": "false"})
    return PastedListField(label=label, required=False, widget=widget, help_text=help_text)


def admin_page(model_admin, request, template, title, **context):
    """One of the editors' own pages, inside the admin's frame (its menu, breadcrumbs, title)."""
    frame = {**model_admin.admin_site.each_context(request), "title": title, "opts": model_admin.model._meta}
    return TemplateResponse(request, template, {**frame, **context})


class PasteForm(forms.Form):
    """Every list a press release gives for one race; each is optional, and those pasted replace the
    race's rows of their kind."""

    text = pasted_list(
        "Results",
        14,
        "One driver a line, in finishing order: “Jose Serrano – Spain +1.0684”. The nation may be "
        "left out for a known driver. The winner's line may give laps (“– 35 laps”) or a time; others a gap "
        "(+1.0684, +1.6 s, +1:05.950, +1 lap), N/A, DNF, DNS, DSQ or NC. A team or the car's brand may "
        "follow the nation; a competition scored by team needs one on every line. A classified driver whose "
        "place was not published starts with “?”, a band (“7-12”) or “11+”.",
    )
    grid = pasted_list(
        "Grid or qualifying order",
        6,
        "“1. Kylian Drumont (S)”: one driver a line, in grid order, with the starting tyre if known.",
    )
    strategies = pasted_list(
        "Tyre strategies",
        6,
        "“Serrano: S → H (lap 33)”: the compounds in order, each change with the lap at the end of "
        "which the car pitted; ? for a compound or a lap not known (“Drumont: S → ? (lap 10)”). The stops "
        "are entered with them.",
    )
    penalties = pasted_list(
        "Penalties",
        4,
        "“Miyazono +0.5 s track limits, lap 3”; the size may be left out; “(after the race)” for "
        "time added to the result.",
    )
    pit_stops = pasted_list(
        "Pit stops", 4, "“Calen Roach: laps 1, 15”: only stops the strategies above do not give."
    )
    is_complete = forms.BooleanField(
        label="The classification is complete",
        required=False,
        help_text="Untick when the source names only some places (a report giving the top three).",
    )
    acknowledged = forms.CharField(required=False, widget=forms.HiddenInput)
    correction_reason = forms.CharField(
        label="Reason for the correction",
        required=False,
        max_length=NOTE_LENGTH,
        help_text="Required when the race is published (its classification complete): the pasted lists "
        "replace its rows, and the change is shown on the race page.",
    )
    correction_source = forms.CharField(label="Source of the correction", required=False, max_length=500)

    LISTS = {"text": "results", "grid": "grid", "strategies": "strategies", "penalties": "penalties"}

    def __init__(self, *args, race=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.race = race
        if not self.is_bound and race is not None:
            self.fields["is_complete"].initial = race.is_complete

    def texts(self):
        """{section of the sheet: pasted text} (see :data:`results.exchange.sheet_paste.SECTIONS`)."""
        data = self.cleaned_data
        return {"pit_stops": data.get("pit_stops", ""), **{s: data.get(f, "") for f, s in self.LISTS.items()}}

    def clean(self):
        cleaned = super().clean()
        published = self.race is not None and Race.objects.published().filter(pk=self.race.pk).exists()
        if "save" in self.data and published and not cleaned.get("correction_reason", "").strip():
            self.add_error("correction_reason", "This race is published: give the reason for the change.")
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


def paste_results_view(model_admin, request, object_id):
    """Paste a race's lists, see what was read (who each name is, what is wrong, what is unusual),
    then save them in one change."""
    if not request.user.has_perms(EDIT_RESULTS):
        raise PermissionDenied
    race = model_admin.get_object(request, unquote(object_id))  # None for a missing or malformed id
    if race is None:
        raise Http404("No race has this id.")
    form = PasteForm(request.POST or None, race=race)
    sheet = None
    if request.method == "POST":
        valid = form.is_valid()  # a missing reason still shows the lists as read
        if form.cleaned_data.keys() >= {"text", "grid", "strategies", "penalties", "pit_stops"}:
            answers = {key: value for key, value in request.POST.items() if key.startswith("who-")}
            sheet = read_sheet(race, form.texts(), answers, form.cleaned_data.get("is_complete", False))
        if valid and sheet is not None and "save" in request.POST and not sheet.errors:
            if sheet.warnings and form.cleaned_data["acknowledged"] != sheet.acknowledgement:
                messages.warning(request, "The warnings changed since you read them: check them again.")
            else:
                reason, source = (
                    form.cleaned_data["correction_reason"],
                    form.cleaned_data["correction_source"],
                )
                with correcting(reason, source, request.user):
                    written = save_pasted_sheet(sheet)
                words = get_text_list([SECTIONS[name].lower() for name in written], "and")
                model_admin.log_change(request, race, f"Pasted {words}.")
                messages.success(request, f"Saved the {words} of {race}.")
                return redirect(reverse("admin:results_round_change", args=[race.round_id]))
    return admin_page(
        model_admin,
        request,
        "admin/results/race/paste.html",
        f"Paste: {race}",
        original=race,
        form=form,
        sheet=sheet,
        rows=sheet.results if sheet else [],
        errors=sheet.errors if sheet else [],
    )


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
    return admin_page(
        model_admin,
        request,
        "admin/results/season/import.html",
        "Import a season file",
        form=form,
        errors=errors,
        max_megabytes=MAX_SEASON_FILE_BYTES // (1024 * 1024),
        recent=SeasonImport.objects.of_editor(request.user)[:5],
    )


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
    return admin_page(
        model_admin,
        request,
        "admin/results/season/import_status.html",
        f"Import a season file: {kept.file_name}",
        upload=kept,
        summary_words=_in_words(kept.summary) if kept.summary else "",
        deleted_words=_deleted_words(kept.summary.get("deleted", {})) if kept.summary else "",
        more_problems=kept.problem_count - len(kept.problems),
        more_races=kept.summary.get("race_count", 0) - len(kept.summary.get("races", [])),
        more_changes=kept.summary.get("change_count", 0) - len(kept.summary.get("changes", [])),
    )


def _deleted_words(deleted):
    return ", ".join(f"{n} {label}" for label, n in sorted(deleted.items()))


def _in_words(summary):
    created = ", ".join(f"{n} {label}" for label, n in sorted(summary["created"].items()))
    updated = ", ".join(f"{n} {label}" for label, n in sorted(summary["updated"].items()))
    return f"new: {created or 'nothing'}; changed: {updated or 'nothing'}"
