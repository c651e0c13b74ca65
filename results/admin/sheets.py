"""The race page of the admin, checked as one sheet.

The grid, results, stints, pit stops and penalties of a race are separate inline
formsets, but a stint is only wrong against the laps the driver completed. Each
inline formset registers with one :class:`RaceSheetBinder` per request; when it
cleans, the binder reads every formset's rows into the rules' plain data,
:func:`~results.rules.checks.check_race` finds the problems, and each formset
shows its own beside the row they concern.
"""

from collections import defaultdict

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property

from results.rules import plausibility
from results.rules.checks import GridRow, LapRow, RaceSheet, ResultRow, StintRow, check_race
from results.rules.tyres import Stint
from results.write.grids import grid_set_by

# The race page's hidden field that carries the digest of the warnings the editor was shown.
ACKNOWLEDGED = "acknowledged_warnings"


def _row(section, index, data):
    """One plain row of the sheet from a form's cleaned data, or None if it cannot be read."""
    driver = data.get("driver")
    if driver is None:
        return None
    common = {"row": index, "driver": driver.pk, "name": driver.name}
    if section == "results":
        return ResultRow(
            **common,
            position=data.get("position"),
            laps=data.get("laps"),
            status=data.get("status", ""),
            place_unknown=bool(data.get("place_unknown")),
            place_from=data.get("place_from"),
            place_to=data.get("place_to"),
            points_set=data.get("points"),
        )
    if section == "grid":
        if data.get("position") is None:
            return None
        return GridRow(**common, position=data["position"], compound=data.get("compound", ""))
    if section == "stints":
        return StintRow(
            **common,
            compound=data.get("compound", ""),
            first_lap=data.get("first_lap"),
            last_lap=data.get("last_lap"),
        )
    return LapRow(**common, lap=data.get("lap"))


class RaceSheetBinder:
    """Gathers the inline formsets of one race page and checks them together."""

    def __init__(self, race):
        self.race = race
        self.formsets = {}

    @cached_property
    def is_published(self):
        """Whether the race as stored is published (:attr:`results.models.Race.is_published`); read from
        the database, since the race form has already put the edited values on ``self.race``."""
        if self.race is None or self.race.pk is None:
            return False
        return type(self.race).objects.published().filter(pk=self.race.pk).exists()

    def register(self, formset):
        self.formsets[formset.section] = formset

    def sheet(self):
        rows = {"results": [], "grid": [], "stints": [], "pit_stops": [], "penalties": []}
        for section, formset in self.formsets.items():
            if section not in rows:
                continue
            formset.errors  # noqa: B018 — make sure every form of that formset is cleaned
            for index, form in enumerate(formset.forms, start=1):
                if not hasattr(form, "cleaned_data") or is_deleted(formset, form):
                    continue
                if form.instance.pk is None and not form.has_changed():
                    continue  # a blank extra row
                row = _row(section, index, form.cleaned_data)
                if row is not None:
                    rows[section].append(row)
        return RaceSheet(
            laps=self.race.laps,
            is_complete=self.race.is_complete,
            points_scale=tuple(self.race.points_scale or ()),
            **rows,
        )

    def problems(self, section):
        return [p for p in check_race(self.sheet()) if p.section == section]

    @cached_property
    def warnings(self):
        """Plausibility warnings (:mod:`results.rules.plausibility`) of the results and grid sections
        the editor changed: gaps out of order, a lapped car ahead, points by hand off the scale, a
        grid other than its source race sets. Rows stored as they are raise none."""
        finishers, grid = [], []
        results, slots = self.formsets.get("results"), self.formsets.get("grid")
        if results is not None and results.has_changed():
            for index, form in self.rows_of(results):
                data = form.cleaned_data
                finishers.append(
                    plausibility.Finisher(
                        row=index,
                        driver=data["driver"].pk,
                        name=data["driver"].name,
                        position=data.get("position"),
                        laps=data.get("laps"),
                        gap=data.get("gap") or "",
                        status=data.get("status") or "finished",
                        points_set=data.get("points"),
                    )
                )
        expected, source = {}, ""
        if slots is not None and slots.has_changed() and self.race is not None and self.race.grid_from_id:
            source = self.race.grid_from.name
            expected = {slot.driver: slot.position for slot in grid_set_by(self.race.grid_from)}
            for index, form in self.rows_of(slots):
                data = form.cleaned_data
                if data.get("position") is not None:
                    grid.append(
                        plausibility.GridPlace(
                            index, data["driver"].pk, data["driver"].name, data["position"]
                        )
                    )
        plans = self.plans()
        return plausibility.warnings(
            plausibility.Sheet(
                results=finishers,
                points_scale=tuple(self.race.points_scale or ()) if self.race else (),
                points_multiplier=self.race.points_multiplier if self.race else 1,
                grid=grid,
                grid_source=source,
                grid_expected=expected,
                plans=plans,
                required_compounds=tuple(self.race.required_compounds or ()) if plans else (),
                required_at_least=self.race.required_compounds_min if plans else None,
            )
        )

    def plans(self):
        """Each driver's stints as the page has them, when the editor changed the stints."""
        stints, results = self.formsets.get("stints"), self.formsets.get("results")
        if stints is None or not stints.has_changed() or self.race is None:
            return []
        laps = {}
        if results is not None:
            laps = {
                form.cleaned_data["driver"].pk: form.cleaned_data.get("laps")
                for _, form in self.rows_of(results)
            }
        rows, names, used = {}, {}, defaultdict(list)
        for index, form in self.rows_of(stints):
            driver, data = form.cleaned_data["driver"], form.cleaned_data
            rows.setdefault(driver.pk, index)
            names[driver.pk] = driver.name
            used[driver.pk].append(
                Stint(data.get("compound", ""), data.get("first_lap"), data.get("last_lap"))
            )
        return [
            plausibility.Plan(rows[driver], driver, names[driver], tuple(used[driver]), laps.get(driver))
            for driver in used
        ]

    @property
    def acknowledgement(self):
        return plausibility.acknowledgement(self.warnings)

    def rows_of(self, formset):
        """(row number, form) of the rows with a driver that stay: neither deleted nor blank."""
        for index, form in enumerate(formset.forms, start=1):
            if not hasattr(form, "cleaned_data") or is_deleted(formset, form):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            if form.cleaned_data.get("driver") is not None:
                yield index, form


class RaceSheetFormSet(BaseInlineFormSet):
    """An inline formset of the race page, checked with the race's other inlines."""

    section = None  # set by each inline: "results", "grid", "stints", "pit_stops", "penalties"

    def __init__(self, *args, binder=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.binder = binder or RaceSheetBinder(self.instance)
        self.binder.register(self)

    @cached_property
    def forms(self):
        forms_ = super().forms
        self._share_autocomplete_labels(forms_)
        return forms_

    def _share_autocomplete_labels(self, forms_):
        """Look up the drivers (cars, teams) shown in all rows with one query per field."""
        for name, base_field in self.form.base_fields.items():
            if not isinstance(getattr(base_field.widget, "widget", None), RowAutocompleteSelect):
                continue
            chosen = {str(form[name].value()) for form in forms_} - {"", "None"}
            labels = {
                str(obj.pk): base_field.label_from_instance(obj)
                for obj in base_field.queryset.filter(pk__in=chosen)
            }
            for form in forms_:
                form.fields[name].widget.widget.known_labels = labels

    def validate_unique(self):
        # check_race reports repeated drivers, positions and laps with the rows they
        # clash with; Django's generic "Please correct the duplicate data" would repeat it.
        pass

    # The sections whose change to a published race is a correction (classification, penalties, grid).
    CORRECTED_SECTIONS = {"results": "results", "grid": "grid", "penalties": "penalties"}

    def clean(self):
        super().clean()
        if self.section is None:
            return
        summary = []
        rows = []
        for problem in self.binder.problems(self.section):
            if problem.row is None:
                summary.append(problem.message)
                continue
            form = self.forms[problem.row - 1]
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
            self._drop_constraint_errors(form)
            rows.append(problem.row)
        if rows:
            # Each problem is shown once, beside its field; the heading of the section says where.
            numbers = sorted(set(rows))
            summary.insert(
                0,
                f"{len(numbers)} row{'s' if len(numbers) > 1 else ''} below "
                f"{'have' if len(numbers) > 1 else 'has'} a problem, shown beside the field: "
                f"row{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}.",
            )
        corrected = self.section in self.CORRECTED_SECTIONS and self.has_changed()
        if corrected and not self.data.get("correction_reason", "").strip() and self.binder.is_published:
            summary.append(
                f"This race is published: changing its {self.CORRECTED_SECTIONS[self.section]} is a "
                "correction. Give its reason under “Correction” (and its source, if any)."
            )
        if not summary and self.section in ("results", "grid", "stints"):
            summary.extend(self.unacknowledged_warnings())
        if summary:
            raise ValidationError(summary)

    def unacknowledged_warnings(self):
        """This section's warnings, unless the editor saved the page again after seeing them all."""
        binder = self.binder
        if not binder.warnings or self.data.get(ACKNOWLEDGED) == binder.acknowledgement:
            return []
        mine = [warning.message for warning in binder.warnings if warning.section == self.section]
        if not mine:
            return []
        return [
            "Check before saving (these may be right as published):",
            *mine,
            "If they are, save again: saving a second time says you checked them.",
        ]

    def _drop_constraint_errors(self, form):
        """Drop a row's database-constraint messages: the sheet's check of that row says the same, naming
        the row and the field (“the stint ends on lap 5, before it starts on lap 12”)."""
        said_by_constraints = {
            str(constraint.get_violation_error_message()) for constraint in self.model._meta.constraints
        }
        shown = form.errors.get(NON_FIELD_ERRORS)
        if not shown:
            return
        kept = [message for message in shown if message not in said_by_constraints]
        if kept:
            form.errors[NON_FIELD_ERRORS] = form.error_class(kept, error_class="nonfield")
        else:
            del form.errors[NON_FIELD_ERRORS]

    def save(self, commit=True):
        if commit:
            self._free_unique_keys()
        return super().save(commit=commit)

    def _free_unique_keys(self):
        """Let rows swap places (positions, drivers, laps) in one save.

        The database checks each UPDATE against the rows not yet saved, so moving
        P4 to P5 and P5 to P4 would collide half-way. Rows whose unique values
        change, and rows being deleted, are removed first and written back with
        their own primary keys; the admin's transaction keeps this all-or-nothing.
        """
        keys = {
            name
            for constraint in self.model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint)
            for name in constraint.fields
        } - {self.fk.name}
        stale = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk is not None and (is_deleted(self, form) or keys & set(form.changed_data))
        ]
        if stale:
            self.model.objects.filter(pk__in=stale).delete()


def is_deleted(formset, form):
    """Whether the editor ticked the row's "Delete" box (read from its cleaned data, as Django does)."""
    return formset.can_delete and bool(getattr(form, "cleaned_data", {}).get("DELETE"))


class RowAutocompleteSelect(AutocompleteSelect):
    """An autocomplete box whose chosen option's label its formset looked up for every row at once.

    Django's widget asks the database for the chosen option of each row, one
    query per row; a race page has dozens of rows.
    """

    known_labels = None

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.known_labels is None or any(v not in self.known_labels for v in chosen):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for v in chosen[:1]:
            options.append(self.create_option(name, v, self.known_labels[v], True, len(options)))
        return [(None, options, 0)]


class PointsScaleField(forms.CharField):
    """A points scale typed as “6, 5, 4, 3, 2, 1”, stored as a list of numbers."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(points) for points in value)
        return value

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return []
        scale = []
        for place, item in enumerate(text.replace(";", ",").split(","), start=1):
            item = item.strip()
            if not item.isdigit():
                raise ValidationError(
                    f"Position {place}: “{item}” is not a whole number of points. "
                    "Write the scale as 6, 5, 4, 3, 2, 1.",
                    code="invalid",
                )
            scale.append(int(item))
        return scale
