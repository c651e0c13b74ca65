"""Which stored driver each name of a pasted list means, in one query whatever the list's length."""

import pytest

from results.exchange.matching import DriverMatch, match_drivers
from results.models import Driver

from . import factories

pytestmark = pytest.mark.django_db


def test_names_typed_as_press_releases_print_them_find_the_driver(demo):
    lopez = Driver.objects.get(name="Coque López")
    lopez.aliases = "Coque_GT"
    lopez.save()
    miyazono = Driver.objects.get(name="Takuma Miyazono")
    found = match_drivers(["COQUE LOPEZ", "coque gt", "Miyazono", "T. Miyazono", "Serrano"])
    assert found["COQUE LOPEZ"] == DriverMatch(lopez, "name")
    assert found["coque gt"] == DriverMatch(lopez, "alias")
    assert found["Miyazono"] == found["T. Miyazono"] == DriverMatch(miyazono, "surname")
    assert found["Serrano"].driver.name == "Jose Serrano"


def test_a_typo_or_a_shared_first_name_is_only_suggested(demo):
    found = match_drivers(["Takuma Miyazona", "Coque Lopes", "Takuma", "New Face"])
    assert found["Takuma Miyazona"] == DriverMatch(suggestions=[Driver.objects.get(name="Takuma Miyazono")])
    assert found["Coque Lopes"] == DriverMatch(suggestions=[Driver.objects.get(name="Coque López")])
    takumas = found["Takuma"]
    assert takumas.driver is None
    assert [d.name for d in takumas.suggestions] == ["Takuma Miyazono", "Takuma Sasaki"]
    assert found["New Face"] == DriverMatch()


def test_a_match_carries_what_a_preview_shows_without_another_query(demo, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = match_drivers(["Miyazono", "Coque Lopes"])
        miyazono, lopez = found["Miyazono"].driver, found["Coque Lopes"].suggestions[0]
        shown = [(d.name, d.slug, d.nation.code, d.get_absolute_url()) for d in (miyazono, lopez)]
    assert shown == [
        ("Takuma Miyazono", "takuma-miyazono", "JP", "/drivers/takuma-miyazono/"),
        ("Coque López", "coque-lopez", "ES", "/drivers/coque-lopez/"),
    ]


def test_one_query_however_many_names_and_drivers(demo, django_assert_num_queries):
    for _ in range(30):
        factories.driver()
    names = [f"Driver {n}" for n in range(200)] + ["Miyazono"]
    with django_assert_num_queries(1):
        found = match_drivers(names)
    assert len(found) == 201
    assert found["Miyazono"].how == "surname"
