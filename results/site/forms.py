from crispy_forms.bootstrap import FieldWithButtons, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.urls import reverse_lazy


class SearchForm(forms.Form):
    """Search every kind of page (results.read.search); rendered with crispy-forms' Bootstrap 5 pack."""

    q = forms.CharField(
        label="Search drivers, nations, teams, tracks, rounds and reports", max_length=100, required=False
    )

    def __init__(self, *args, compact=False, id_prefix="site-search", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse_lazy("results:search")
        self.helper.form_tag = True
        self.helper.disable_csrf = True
        self.helper.attrs = {"role": "search"}
        if compact:
            self.auto_id = f"{id_prefix}-%s"
            # A name of its own, apart from the search page's own form (landmarks are told apart).
            self.helper.attrs = {"role": "search", "aria-label": "Quick search"}
            self.helper.form_class = "site-search"
            self.helper.label_class = "visually-hidden"
            self.fields["q"].widget.attrs.update({"placeholder": "Search", "class": "form-control-sm"})
            button = StrictButton("Search", type="submit", css_class="btn-sm btn-light")
        else:
            self.fields["q"].widget.attrs.update({"placeholder": "A driver, a nation, a team, a city"})
            button = StrictButton("Search", type="submit", css_class="btn-primary")
        self.fields["q"].widget.input_type = "search"
        self.helper.layout = Layout(
            FieldWithButtons("q", button, input_size="input-group-sm" if compact else "")
        )
