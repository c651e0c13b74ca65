"""Fill in the admin's forms the way a browser would, from the page the admin rendered."""

from datetime import date
from decimal import Decimal


def _put(data, name, value):
    if value is None:
        data[name] = ""
    elif value is True:
        data[name] = "on"
    elif value is False:
        return
    elif isinstance(value, list | tuple):
        data[name] = [str(v) for v in value]
    elif isinstance(value, date | Decimal | int):
        data[name] = str(value)
    else:
        data[name] = value


def form_data(response):
    """The POST data the admin page in ``response`` would submit unchanged."""
    data = {}
    form = response.context["adminform"].form
    for bound in form:
        _put(data, bound.html_name, bound.value())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            _put(data, bound.html_name, bound.value())
        for subform in formset.forms:
            for bound in subform:
                _put(data, bound.html_name, bound.value())
    return data


def rows(data, prefix):
    """Indexes of the rows of an inline in ``data``."""
    return range(int(data[f"{prefix}-TOTAL_FORMS"]))


def set_row(data, prefix, index, **values):
    for name, value in values.items():
        _put(data, f"{prefix}-{index}-{name}", value)


def add_rows(data, prefix, *new_rows):
    """Fill in an inline's blank rows, as an editor does, then append rows as “Add another” does."""
    start = int(data[f"{prefix}-INITIAL_FORMS"])
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, values in enumerate(new_rows):
        set_row(data, prefix, start + offset, **values)
    data[f"{prefix}-TOTAL_FORMS"] = str(max(total, start + len(new_rows)))
