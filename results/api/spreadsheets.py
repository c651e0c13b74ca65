"""The CSV files the site writes, safe to open in a spreadsheet.

A spreadsheet reads a cell that starts with ``=``, ``@``, a tab or a carriage return as a formula,
and one that starts with ``+`` or ``-`` too unless it is a number: a driver named
``=HYPERLINK("http://x")`` would become a link in a fan's spreadsheet. Such a cell is written with
a ``'`` in front, which spreadsheets read as "this is text". Gaps and numbers (``+1.0684``,
``+1:05.950``, ``+1 lap``, ``-3``) stay as they are. Every CSV of the site goes through
:func:`csv_response`.
"""

import csv
import io
import re

from django.http import HttpResponse

FORMULA_STARTS = ("=", "@", "\t", "\r")
SIGNS = ("+", "-")
SIGNED_NUMBER = re.compile(r"[+-] ?\d+(?:[.:]\d+)*(?: laps?)?")  # -3, +1.0684, +1:05.950, +2 laps


def neutralised(value):
    """``value`` as a CSV cell no spreadsheet reads as a formula (see the module's docstring)."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) or (value.startswith(SIGNS) and not SIGNED_NUMBER.fullmatch(value)):
        return f"'{value}"
    return value


def csv_response(filename, header, rows):
    """A CSV download of ``header`` and ``rows``, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralised(cell) for cell in header])
    writer.writerows([neutralised(cell) for cell in row] for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
