"""Race day on a round's admin page: its races added from a format, and what each still needs.

The round's page lists every race with what is entered (results, grid, tyres, pit stops, penalties)
and the next step as a link or a button: paste the results, set the grid from the race before, paste
the rest, and mark the round completed once the last race is in.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.urls import reverse

from results.admin.views import admin_page
from results.models import (
    Competition,
    GridSlot,
    Penalty,
    PitStop,
    Race,
    RaceReport,
    Result,
    Round,
    Track,
    TyreStint,
)
from results.models.history import correcting
from results.rules.formats import FORMATS, RaceShape, format_of
from results.rules.limits import MAX_LAPS
from results.write.changes import racing_change
from results.write.grids import set_grid_from_source
from results.write.races import add_races

ADD_RACES = ["results.add_race"]
EDIT_RESULTS = ["results.add_result", "results.change_result", "results.delete_result"]
MOST_RACES = max(len(f.races) for f in FORMATS)
USUAL = "usual"


def usual_format(competition, before_round):
    """The format ``competition`` ran at its latest round before ``before_round`` (two queries), or None."""
    earlier = Race.objects.filter(competition=competition, round__number__lt=before_round.number)
    last = earlier.aggregate(number=Max("round__number"))["number"]
    if last is None:
        return None
    races = list(earlier.filter(round__number=last).select_related("round").order_by("number"))
    shapes = [
        RaceShape(
            race.pk,
            race.name,
            race.kind,
            tuple(race.points_scale or ()),
            race.points_multiplier,
            race.grid_from_id,
            tuple(race.required_compounds or ()),
            race.required_compounds_min,
        )
        for race in races
    ]
    round = races[0].round
    return format_of(shapes, USUAL, f"As at {round.name} (Round {round.number})")


class AddRacesForm(forms.Form):
    competition = forms.ModelChoiceField(queryset=Competition.objects.none(), empty_label=None)
    race_format = forms.ChoiceField(label="Format", widget=forms.RadioSelect)

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        competitions = Competition.objects.filter(season=round.season_id).order_by("name")
        self.fields["competition"].queryset = competitions
        chosen = self.chosen_competition(competitions)
        self.usual = usual_format(chosen, round) if chosen else None
        formats = ([self.usual] if self.usual else []) + list(FORMATS)
        self.formats = {f.key: f for f in formats}
        self.fields["race_format"].choices = [(f.key, f"{f.name}: {f.in_words()}") for f in formats]
        self.fields["race_format"].initial = formats[0].key
        tracks = Track.objects.order_by("name")
        for number in range(1, MOST_RACES + 1):
            self.fields[f"track_{number}"] = forms.ModelChoiceField(
                queryset=tracks, required=False, label=f"Race {number}: track"
            )
            self.fields[f"laps_{number}"] = forms.IntegerField(
                min_value=1, max_value=MAX_LAPS, required=False, label=f"Race {number}: laps"
            )

    def chosen_competition(self, competitions):
        """The competition asked for (or the season's first); a value that is not one is left to
        the field's own validation."""
        wanted = self.data.get("competition") if self.is_bound else None
        if wanted and str(wanted).isdigit():
            found = competitions.filter(pk=wanted).first()
            if found:
                return found
        return competitions.first()

    def clean(self):
        cleaned = super().clean()
        chosen = self.formats.get(cleaned.get("race_format"))
        if chosen is None:
            return cleaned
        for number in range(len(chosen.races) + 1, MOST_RACES + 1):
            for name in (f"track_{number}", f"laps_{number}"):
                if cleaned.get(name):
                    races = len(chosen.races)
                    self.add_error(name, f"The format has {races} races; there is no race {number}.")
        cleaned["format"] = chosen
        return cleaned


def add_races_view(model_admin, request, object_id):
    if not request.user.has_perms(ADD_RACES):
        raise PermissionDenied
    round = model_admin.get_object(request, unquote(object_id))
    if round is None:
        raise Http404("No round has this id.")
    form = AddRacesForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        count = len(data["format"].races)
        tracks = [data.get(f"track_{n}") for n in range(1, count + 1)]
        laps = [data.get(f"laps_{n}") for n in range(1, count + 1)]
        with correcting(editor=request.user):
            races = add_races(round, data["competition"], data["format"], tracks, laps)
        model_admin.log_change(request, round, f"Added {len(races)} races from a format.")
        names = ", ".join(race.name for race in races)
        messages.success(request, f"Added {len(races)} race{pluralize(len(races))} to {round}: {names}.")
        return redirect(reverse("admin:results_round_change", args=[round.pk]))
    return admin_page(
        model_admin,
        request,
        "admin/results/round/add_races.html",
        f"Add races: {round}",
        original=round,
        form=form,
        race_numbers=range(1, MOST_RACES + 1),
    )


@dataclass
class RaceProgress:
    """One race of a round as the race-day list shows it."""

    race: Race
    results: int
    grid: int
    stints: int
    pit_stops: int
    penalties: int
    source_results: int  # results entered in the race that sets its grid

    @property
    def grid_is_due(self):
        """The race before has results and this race's grid, set by it, is still empty."""
        return bool(self.race.grid_from_id and not self.grid and self.source_results)


ROW_KINDS = {
    "results": Result,
    "grid": GridSlot,
    "stints": TyreStint,
    "pit_stops": PitStop,
    "penalties": Penalty,
}


def round_progress(round):
    """Every race of ``round`` with how many rows of each kind it has: one query for the races and
    one count per kind of row (a join of all five would multiply them)."""
    races = Race.objects.filter(round=round).select_related("competition", "track", "grid_from")
    counts = {
        kind: dict(model.objects.filter(race__round=round).values_list("race").annotate(Count("pk")))
        for kind, model in ROW_KINDS.items()
    }
    rows = [
        RaceProgress(race, **{kind: counts[kind].get(race.pk, 0) for kind in ROW_KINDS}, source_results=0)
        for race in races.order_by("competition__name", "number")
    ]
    for row in rows:
        row.source_results = counts["results"].get(row.race.grid_from_id, 0)
    return rows


def round_reports(round):
    """The round's reports, each with its races: two queries."""
    return list(
        RaceReport.objects.filter(round=round).prefetch_related(
            Prefetch("races", queryset=Race.objects.order_by("number"))
        )
    )


def set_grid_view(model_admin, request, object_id, race_id):
    """Set one race's grid from the race before it (a button in the round's race-day list)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perms(EDIT_RESULTS):
        raise PermissionDenied
    round = model_admin.get_object(request, unquote(object_id))
    race = Race.objects.filter(round=round, pk=race_id).select_related("grid_from").first() if round else None
    if race is None:
        raise Http404("This round has no such race.")
    if race.grid_from is None:
        messages.warning(request, f"{race.name}: no earlier race sets its grid.")
    else:
        with racing_change(), correcting(editor=request.user):
            count = set_grid_from_source(race)
        messages.success(
            request, f"{race.name}: grid set from {race.grid_from.name} ({count} driver{pluralize(count)})."
        )
    return redirect(reverse("admin:results_round_change", args=[round.pk]))


def complete_round_view(model_admin, request, object_id):
    """Mark the round completed: the calendar shows it as run, with its winners."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm("results.change_round"):
        raise PermissionDenied
    round = model_admin.get_object(request, unquote(object_id))
    if round is None:
        raise Http404("No round has this id.")
    with racing_change(), correcting(editor=request.user):
        Round.objects.filter(pk=round.pk).update(status=Round.Status.COMPLETED)
    model_admin.log_change(request, round, "Marked completed.")
    messages.success(request, f"{round} is marked completed.")
    return redirect(reverse("admin:results_round_change", args=[round.pk]))
