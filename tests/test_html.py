"""results.read.html escapes exactly as Django's format_html does: user text can never become markup."""

from django.utils import html as django_html
from django.utils.safestring import SafeString, mark_safe
from hypothesis import given
from hypothesis import strategies as st

from results.read import html

arguments = st.one_of(
    st.text(),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.text().map(mark_safe),
)


@given(st.lists(arguments, min_size=1, max_size=5))
def test_format_html_matches_django(args):
    template = "".join("<b title='{}'>{}</b>" for _ in args)
    doubled = [arg for arg in args for _ in range(2)]
    ours = html.format_html(template, *doubled)
    assert ours == django_html.format_html(template, *doubled)
    assert isinstance(ours, SafeString)


@given(st.lists(st.tuples(st.text(), st.integers()), max_size=5))
def test_format_html_join_matches_django(rows):
    assert html.format_html_join(", ", '<a href="{}">{}</a>', rows) == django_html.format_html_join(
        ", ", '<a href="{}">{}</a>', rows
    )


def test_user_text_is_escaped_and_trusted_markup_is_kept():
    assert html.format_html("<td>{}{}</td>", "<script>&'\"", mark_safe("<i>ok</i>")) == (
        "<td>&lt;script&gt;&amp;&#x27;&quot;<i>ok</i></td>"
    )
