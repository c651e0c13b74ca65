"""The editors' tool: a whole race on one page, and every list searchable and filtered."""

import json
import re
from collections import defaultdict
from contextlib import ExitStack, nullcontext

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.defaultfilters import pluralize
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django_countries import countries

from results.admin.raceday import (
    add_races_view,
    complete_round_view,
    round_progress,
    round_reports,
    set_grid_view,
)
from results.admin.readonly import ReadOnlyAdminMixin
from results.admin.sheets import (
    ACKNOWLEDGED,
    PointsScaleField,
    RaceSheetBinder,
    RaceSheetFormSet,
    RowAutocompleteSelect,
)
from results.admin.views import import_season_view, import_status_view, paste_results_view
from results.exchange.exporter import export_season
from results.models import (
    Car,
    Competition,
    Compound,
    ConflictingValue,
    CrewMember,
    Driver,
    GridSlot,
    Incident,
    Penalty,
    PitStop,
    Race,
    RaceReport,
    Result,
    Round,
    Season,
    Source,
    Team,
    Track,
    TyreStint,
)
from results.models.history import correcting
from results.read.loaders import entries_of_crews, tyre_checks
from results.read.search import matching, words_of
from results.rules.codes import COMPOUNDS
from results.rules.limits import NOTE_LENGTH
from results.rules.tyres import BREACH, UNKNOWN
from results.write.changes import racing_change
from results.write.grids import set_grid_from_source


class RacingAdmin(admin.ModelAdmin):
    """An editor's save, delete or list action is one racing change (:mod:`results.write.changes`):
    the pages it touched are rendered before it commits, so fans never wait for them. The history
    of the rows it writes names the editor (:mod:`results.models.history`)."""

    def correction(self, request):
        """The change on record: who makes it (RaceAdmin adds why and on which source)."""
        return correcting(editor=request.user)

    def change(self, request):
        if request.method != "POST":
            return nullcontext()
        stack = ExitStack()
        stack.enter_context(racing_change())
        stack.enter_context(self.correction(request))
        return stack

    def changeform_view(self, request, *args, **kwargs):
        with self.change(request):
            return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with self.change(request):
            return super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        with self.change(request):
            return super().changelist_view(request, *args, **kwargs)


def countries_in_use(field_name, title="country"):
    """A list filter offering only the countries the listed rows have (one query), not all 250."""

    class CountryInUseFilter(admin.SimpleListFilter):
        parameter_name = field_name

        def lookups(self, request, model_admin):
            used = model_admin.get_queryset(request).exclude(**{field_name: ""})
            codes = used.order_by().values_list(field_name, flat=True).distinct()
            return sorted(((code, countries.name(code) or code) for code in codes), key=lambda c: c[1])

        def queryset(self, request, queryset):
            return queryset.filter(**{field_name: self.value()}) if self.value() else queryset

    CountryInUseFilter.title = title
    return CountryInUseFilter


# --- People, machines and places -------------------------------------------------------------


@admin.register(Driver)
class DriverAdmin(RacingAdmin):
    """A driver, with the other names pasted lists and the site search know them by (``aliases``)."""

    list_display = ["name", "nation", "online_id"]
    list_filter = ["nation"]
    search_fields = ["name", "online_id", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "nation", "online_id", "aliases"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 40})}}

    def get_search_results(self, request, queryset, search_term):
        """Drivers as editors type them, in the list and in every driver autocomplete: accents and case
        folded, each word a start of a name, an online ID or an alias (“lopez”, “koke”, “miya”)."""
        words = words_of(search_term)
        if not words:
            return super().get_search_results(request, queryset, search_term)
        return matching(queryset, ["name", "online_id", "aliases", "slug"], words), False

    def save_model(self, request, obj, form, change):
        if change and form.changed_data == ["aliases"]:
            obj.save(update_fields=["aliases"])  # no page but the (uncached) search shows them
        else:
            super().save_model(request, obj, form, change)


@admin.register(Team)
class TeamAdmin(RacingAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", countries_in_use("country")]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Car)
class CarAdmin(RacingAdmin):
    list_display = ["name", "manufacturer", "category"]
    list_filter = ["category", "manufacturer"]
    list_select_related = ["manufacturer"]
    search_fields = ["name", "manufacturer__name"]
    autocomplete_fields = ["manufacturer"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Track)
class TrackAdmin(RacingAdmin):
    list_display = ["name", "layout", "country", "length_km"]
    list_filter = [countries_in_use("country")]
    search_fields = ["name", "layout"]
    prepopulated_fields = {"slug": ["name", "layout"]}


# --- Seasons, competitions and rounds --------------------------------------------------------


class CompetitionInline(admin.TabularInline):
    model = Competition
    extra = 0
    fields = ["name", "slug", "scores", "tie_break", "crew_points"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


@admin.register(Season)
class SeasonAdmin(RacingAdmin):
    list_display = ["year", "name"]
    search_fields = ["name", "year"]
    inlines = [CompetitionInline]
    actions = ["download_season_file"]

    def get_urls(self):
        upload = self.admin_site.admin_view(lambda request: import_season_view(self, request))
        status = self.admin_site.admin_view(lambda request, token: import_status_view(self, request, token))
        return [
            path("import/", upload, name="results_season_import"),
            path("import/<str:token>/", status, name="results_season_import_status"),
            *super().get_urls(),
        ]

    @admin.action(description="Download as a season file (JSON)")
    def download_season_file(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one season to download.", messages.WARNING)
            return None
        season = queryset.get()
        response = HttpResponse(
            json.dumps(export_season(season.year), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="gtws-{season.year}.json"'
        return response


@admin.register(Competition)
class CompetitionAdmin(RacingAdmin):
    list_display = ["name", "season", "scores", "tie_break"]
    list_filter = ["season", "scores", "tie_break"]
    list_select_related = ["season"]
    search_fields = ["name", "season__year"]
    prepopulated_fields = {"slug": ["name"]}


class RaceLinkInline(admin.TabularInline):
    """The races of a round, each a link to its own page where results are entered."""

    model = Race
    extra = 0
    fields = ["number", "competition", "name", "kind", "track", "laps", "is_complete"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    verbose_name_plural = "races (open one to enter its grid and results)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("competition__season", "track", "round__season")

    def has_add_permission(self, request, obj=None):
        return False


# A round as its autocomplete shows it, typed back: “2024 Round 2: Prague”, “Round 2”, “2024 Prague”.
ROUND_TERM = re.compile(
    r"(?:(?P<year>\d{4})\s+)?(?:round\s*(?P<number>\d{1,3})\b\s*:?)?\s*(?P<rest>.*)", re.IGNORECASE
)


@admin.register(Round)
class RoundAdmin(RacingAdmin):
    list_display = ["__str__", "city", "country", "date", "time_zone", "status"]
    list_filter = ["season", "status", countries_in_use("country")]
    list_select_related = ["season"]
    search_fields = ["name", "city", "venue", "season__year"]

    def get_search_results(self, request, queryset, search_term):
        """Find a round by what its name shows (“2024 Round 2: Prague”) as well as by its words."""
        match = ROUND_TERM.fullmatch(" ".join(search_term.split())[:200])
        if match is None or not (match["number"] or (match["year"] and match["rest"])):
            return super().get_search_results(request, queryset, search_term)
        if match["year"]:
            queryset = queryset.filter(season__year=int(match["year"]))
        if match["number"]:
            queryset = queryset.filter(number=int(match["number"]))
        return super().get_search_results(request, queryset, match["rest"])

    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "date"
    inlines = [RaceLinkInline]
    change_form_template = "admin/results/round/change_form.html"

    def get_changeform_initial_data(self, request):
        """A new round: in the latest season, numbered after its last round (unless the URL says)."""
        initial = super().get_changeform_initial_data(request)
        season = Season.objects.order_by("-year").first()
        if season is not None and "season" not in initial:
            initial["season"] = season.pk
            last = season.rounds.order_by("-number").values_list("number", flat=True).first()
            initial.setdefault("number", (last or 0) + 1)
        return initial

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(lambda request, **kwargs: function(self, request, **kwargs))

        return [
            path("<path:object_id>/add-races/", view(add_races_view), name="results_round_add_races"),
            path(
                "<path:object_id>/set-grid/<int:race_id>/", view(set_grid_view), name="results_round_set_grid"
            ),
            path("<path:object_id>/complete/", view(complete_round_view), name="results_round_complete"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        round = self.get_object(request, object_id)
        if round is not None:
            extra_context = {
                **(extra_context or {}),
                "race_day": round_progress(round),
                "race_reports": round_reports(round),
            }
        return super().change_view(request, object_id, form_url, extra_context)


# --- A race and everything in it ---------------------------------------------------------------


class RaceAdminForm(forms.ModelForm):
    points_scale = PointsScaleField(
        required=False,
        label="Points scale",
        help_text="Points for positions 1, 2, 3, … separated by commas, e.g. 6, 5, 4, 3, 2, 1. "
        "Leave empty for a race without points.",
    )
    required_compounds = forms.MultipleChoiceField(
        choices=Compound.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Mandatory compounds",
        help_text="Every classified driver must use each ticked compound at least once, or at least "
        "as many of them as “at least how many of them” says.",
    )
    start_time = forms.TimeField(
        required=False,
        label="Start time (venue's local time)",
        help_text="In the round's time zone (e.g. 18:30); stored in UTC. Leave blank while unknown.",
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    correction_reason = forms.CharField(
        required=False,
        max_length=NOTE_LENGTH,
        label="Reason",
        help_text="Required when you change the classification, points, penalties or grid of a published "
        "race (its classification complete): “Post-race penalty for Serrano”. Shown on the race page.",
    )
    correction_source = forms.CharField(
        required=False,
        max_length=500,
        label="Source",
        help_text="Where the correction comes from: a stewards' decision, an address.",
    )
    acknowledged_warnings = forms.CharField(required=False, widget=forms.HiddenInput)

    # The race's own fields whose change alters its classification, points or grid.
    CORRECTED_FIELDS = ("points_scale", "points_multiplier", "grid_from", "is_complete")

    class Meta:
        model = Race
        fields = [
            "round",
            "competition",
            "number",
            "name",
            "slug",
            "kind",
            "track",
            "laps",
            "is_timed",
            "car",
            "grid_from",
            "required_compounds",
            "required_compounds_min",
            "points_scale",
            "points_multiplier",
            "is_complete",
            "date",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        local = self.instance.local_start if self.instance.pk else None
        if local is not None:
            self.initial.setdefault("start_time", local.time())
        if "grid_from" in self.fields:
            self.fields["grid_from"].queryset = Race.objects.select_related(
                "round__season", "competition"
            ).order_by("-round__season__year", "round__number", "competition__name", "number")

    def clean_required_compounds(self):
        chosen = self.cleaned_data["required_compounds"]
        # Keep the game's order (soft, medium, hard, ...) whatever order the boxes were ticked in.
        return [code for code, _ in Compound.choices if code in chosen]

    def clean(self):
        cleaned = super().clean()
        changed = [name for name in self.CORRECTED_FIELDS if name in self.changed_data]
        if changed and self.instance.is_published and not cleaned.get("correction_reason", "").strip():
            labels = ", ".join(str(self.fields[name].label or name).lower() for name in changed)
            self.add_error(
                "correction_reason",
                f"This race is published: give the reason for changing its {labels}.",
            )
        start, day, round_ = cleaned.get("start_time"), cleaned.get("date"), cleaned.get("round")
        if self.instance.pk and not {"start_time", "date", "round"} & set(self.changed_data):
            return cleaned  # the stored start stands (shown blank while its round has no time zone)
        if start is None:
            self.instance.starts_at = None
        elif day is None:
            self.add_error("date", "Give the race's date: a start time belongs to a day.")
        elif round_ is not None and not round_.time_zone:
            self.add_error(
                "start_time",
                f"Set the time zone of {round_.name} first (on the round's page): the start time is "
                "entered in the venue's local time.",
            )
        elif round_ is not None:
            self.instance.starts_at = Race.start_from_local(day, start, round_.time_zone)
        return cleaned


# Notes typed in a row of the race page: a small box that grows as the editor types, not a wide field.
ROW_NOTES = {"reason", "reasoning", "description"}


class RaceRowInline(admin.TabularInline):
    """An inline of the race page; its rows are checked against the race's other rows.

    A race with no rows of the kind yet gets ``extra_for_new_race`` blank rows to fill in; a race that
    has some gets ``extra_rows`` more, so a few rows are added without “Add another” each time.
    """

    formset = RaceSheetFormSet
    extra_for_new_race = 0
    extra_rows = 3
    autocomplete_fields = ["driver"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.section = self.section
        return formset

    def get_extra(self, request, obj=None, **kwargs):
        if obj is None or not obj.pk:
            return self.extra_for_new_race
        has_rows = self.model.objects.filter(race=obj).exists()
        return self.extra_rows if has_rows else max(self.extra_for_new_race, self.extra_rows)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = RowAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ROW_NOTES:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 1, "class": "row-note"})
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.autocomplete_fields:
            # Rows stay quick to scan and narrow: only "add a new driver" beside the driver's box
            # (a new team or car is added on its own page, or by a pasted list).
            wrapper = formfield.widget
            wrapper.can_change_related = wrapper.can_delete_related = wrapper.can_view_related = False
            wrapper.can_add_related = wrapper.can_add_related and db_field.name == "driver"
        return formfield

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("driver")


class ResultInline(RaceRowInline):
    model = Result
    section = "results"
    extra_for_new_race = 12
    fields = [
        *("position", "place_unknown", "place_from", "place_to", "driver", "team", "car"),
        *("laps", "time", "gap", "status", "reason", "points", "certainty", "reasoning"),
    ]
    autocomplete_fields = ["driver", "team", "car"]

    def get_fields(self, request, obj=None):
        """Without the team and car columns where the race's competition scores drivers and none of its
        results names a team or a car: the page stays within 1280 px."""
        fields = super().get_fields(request, obj)
        if obj is None or not obj.pk or obj.competition.scores == Competition.Scores.TEAM:
            return fields
        if obj.results.filter(Q(team__isnull=False) | Q(car__isnull=False)).exists():
            return fields
        return [name for name in fields if name not in ("team", "car")]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("team", "car")


class GridSlotInline(RaceRowInline):
    model = GridSlot
    section = "grid"
    extra_for_new_race = 12
    fields = ["position", "driver", "compound", "certainty", "reasoning"]
    verbose_name_plural = "starting grid"


class TyreStintInline(RaceRowInline):
    model = TyreStint
    section = "stints"
    extra_for_new_race = 12
    fields = ["driver", "compound", "first_lap", "last_lap", "certainty", "reasoning"]
    verbose_name_plural = "tyre stints (give the first lap, the last lap, or both)"


class PitStopInline(RaceRowInline):
    model = PitStop
    section = "pit_stops"
    extra_for_new_race = 6
    fields = ["driver", "lap", "duration_seconds"]


class PenaltyInline(RaceRowInline):
    model = Penalty
    section = "penalties"
    extra_for_new_race = 3
    fields = ["driver", "lap", "seconds", "reason", "is_added_after_finish", "certainty", "reasoning"]


class CrewMemberInline(RaceRowInline):
    """The other drivers of entries whose car several drivers shared (a relay)."""

    model = CrewMember
    section = "crews"
    extra_rows = 1
    fields = ["result", "driver", "order"]
    verbose_name = "crew member"
    verbose_name_plural = (
        "crews (drivers sharing one car: choose the entry, saved above, then its 2nd, 3rd… driver)"
    )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        entries = (
            Result.objects.filter(race=obj).with_driver()
            if obj is not None and obj.pk
            else Result.objects.none()
        )
        formset.form.base_fields["result"].queryset = entries
        return formset


class IncidentInline(RaceRowInline):
    model = Incident
    section = "incidents"
    extra_for_new_race = 3
    fields = ["driver", "lap", "description"]


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1
    fields = [
        "publisher",
        "url",
        "published_on",
        "covers_classification",
        "covers_grid",
        "covers_strategies",
        "covers_penalties",
    ]
    verbose_name_plural = "sources (what each covers)"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ConflictingValueInline(admin.TabularInline):
    model = ConflictingValue
    extra = 0
    fields = ["what", "chosen", "value", "source", "note"]
    verbose_name_plural = "conflicting values (what another source gives)"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source":
            race_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = Source.objects.filter(race_id=race_id if str(race_id).isdigit() else None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CompetitionNameFilter(admin.AllValuesFieldListFilter):
    """The races of a competition by its name, whatever the season (“Nations Cup”)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "competition"


@admin.register(Race)
class RaceAdmin(RacingAdmin):
    form = RaceAdminForm
    list_display = ["name", "round", "competition_name", "kind", "scheduled_laps", "complete", "result_count"]
    list_display_links = ["name"]
    list_filter = [
        "round__season",
        ("competition__name", CompetitionNameFilter),
        "kind",
        "is_complete",
        "status",
    ]
    list_select_related = ["round__season", "competition"]
    ordering = ["-round__season__year", "round__number", "competition__name", "number"]
    search_fields = ["name", "round__name", "round__city", "competition__name", "track__name"]
    autocomplete_fields = ["round", "competition", "track", "car", "grid_from"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (
            "The race",
            {
                "fields": [
                    ("round", "competition"),
                    ("number", "name", "slug", "kind"),
                    ("track", "car"),
                    ("laps", "is_timed"),
                    ("date", "start_time", "status"),
                ]
            },
        ),
        (
            "Grid chain and tyre rule",
            {"fields": ["grid_from", ("required_compounds", "required_compounds_min"), "mandatory_tyres"]},
        ),
        ("Points", {"fields": [("points_scale", "points_multiplier", "is_complete")]}),
        (
            "Correction",
            {
                "fields": [("correction_reason", "correction_source"), "acknowledged_warnings"],
                "description": "Every change to a published race is kept on record and shown on its page.",
            },
        ),
    ]
    readonly_fields = ["mandatory_tyres"]
    inlines = [
        ResultInline,
        CrewMemberInline,
        GridSlotInline,
        TyreStintInline,
        PitStopInline,
        PenaltyInline,
        IncidentInline,
        SourceInline,
        ConflictingValueInline,
    ]
    actions = ["set_grid_from_source"]
    save_on_top = True

    def get_queryset(self, request):
        races = super().get_queryset(request).select_related("round__season", "competition", "track")
        return races.annotate(result_count=Count("results"))

    @admin.display(description="competition", ordering="competition__name")
    def competition_name(self, race):
        return race.competition.name

    @admin.display(description="laps", ordering="laps")
    def scheduled_laps(self, race):
        return race.laps

    @admin.display(description="complete", boolean=True, ordering="is_complete")
    def complete(self, race):
        return race.is_complete

    @admin.display(description="results", ordering="result_count")
    def result_count(self, race):
        return race.result_count

    def get_urls(self):
        view = self.admin_site.admin_view(
            lambda request, object_id: paste_results_view(self, request, object_id)
        )
        return [path("<path:object_id>/paste/", view, name="results_race_paste"), *super().get_urls()]

    @admin.display(description="Mandatory tyres")
    def mandatory_tyres(self, race):
        """Which classified drivers did not use every mandatory compound (as stored)."""
        if race is None or not race.pk or not race.required_compounds:
            return "No mandatory compounds."
        results = list(race.results.select_related("driver"))
        crews = defaultdict(list)
        for member in race.crew_members.all():
            crews[member.result_id].append(member)
        checks = tyre_checks(race, results, race.stints.all(), entries_of_crews(results, crews))
        names = {r.driver_id: r.driver.name for r in results}
        breaches = [
            f"{names[d]} did not use {', '.join(COMPOUNDS[c] for c in check.missing)}"
            for d, check in checks.items()
            if check.status == BREACH
        ]
        unknown = sorted(names[d] for d, check in checks.items() if check.status == UNKNOWN)
        lines = [format_html("<strong>Breach:</strong> {}.", b) for b in breaches]
        if unknown:
            lines.append(
                format_html(
                    "Not known for {} (their stints are not all entered): {}.",
                    len(unknown),
                    ", ".join(unknown),
                )
            )
        if not checks:
            return "No classified driver yet: nothing to check."
        if not lines:
            return "Every classified driver met the tyre rule."
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))

    def correction(self, request):
        return correcting(
            request.POST.get("correction_reason", ""), request.POST.get("correction_source", ""), request.user
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        # One binder per race page, shared by all its inlines (see results.admin.sheets).
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if not issubclass(inline.formset, RaceSheetFormSet):  # sources, conflicting values
            return kwargs
        binders = request.__dict__.setdefault("_race_sheet_binders", {})
        kwargs["binder"] = binders.setdefault(id(obj), RaceSheetBinder(obj))
        return kwargs

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A page refused for its warnings carries their digest: saving it again acknowledges them.
        form = context.get("adminform") and context["adminform"].form
        for binder in request.__dict__.get("_race_sheet_binders", {}).values():
            if form is not None and form.is_bound and binder.formsets and binder.warnings:
                form.data = form.data.copy()
                form.data[ACKNOWLEDGED] = binder.acknowledgement
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description="Set the grid from the race it comes from")
    def set_grid_from_source(self, request, queryset):
        for race in queryset.select_related("grid_from"):
            if race.grid_from is None:
                self.message_user(
                    request,
                    f"{race}: no earlier race sets its grid; choose one under “grid set by” first.",
                    messages.WARNING,
                )
                continue
            with racing_change(), correcting(editor=request.user):
                count = set_grid_from_source(race)
            drivers = f"{count} driver{pluralize(count)}"
            self.message_user(request, f"{race}: grid set from {race.grid_from.name} ({drivers}).")


# --- Race reports ----------------------------------------------------------------------------------


@admin.register(RaceReport)
class RaceReportAdmin(RacingAdmin):
    list_display = ["title", "round", "author", "is_published", "published_at"]
    list_filter = ["is_published", "round__season"]
    list_select_related = ["round__season"]
    search_fields = ["title", "standfirst", "body", "author"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["round", "races"]
    date_hierarchy = "published_at"


# --- Who changed what ------------------------------------------------------------------------------


@admin.register(LogEntry)
class ChangeHistoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The changes made through the admin to what the reader may see, newest first; nobody can alter them.

    An editor reads the history of racing data, not an administrator's changes to accounts nor a
    moderator's to comments (their object names and messages would show names and words).
    """

    list_display = ["action_time", "user", "action", "object_link", "change"]
    list_filter = ["action_flag", ("content_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "change_message", "user__username"]
    date_hierarchy = "action_time"

    def get_queryset(self, request):
        entries = super().get_queryset(request)
        if request.user.is_superuser:
            return entries
        return entries.filter(content_type__in=self.viewable_types(request.user))

    @staticmethod
    def viewable_types(user):
        """The kinds of object the user may view or change in the admin (their permissions' names)."""
        kinds = Q(pk__in=[])
        for permission in user.get_all_permissions():
            app_label, codename = permission.split(".", 1)
            action, _, model = codename.partition("_")
            if action in ("view", "change"):
                kinds |= Q(app_label=app_label, model=model)
        return ContentType.objects.filter(kinds)

    @admin.display(description="action", ordering="action_flag")
    def action(self, entry):
        return {1: "Added", 2: "Changed", 3: "Deleted"}.get(entry.action_flag, "")

    @admin.display(description="object")
    def object_link(self, entry):
        if entry.is_deletion() or not entry.content_type_id:
            return entry.object_repr
        try:
            url = reverse(
                f"admin:{entry.content_type.app_label}_{entry.content_type.model}_change",
                args=[entry.object_id],
            )
        except NoReverseMatch:
            return entry.object_repr
        return format_html('<a href="{}">{}</a>', url, entry.object_repr)

    @admin.display(description="change")
    def change(self, entry):
        return entry.get_change_message()
