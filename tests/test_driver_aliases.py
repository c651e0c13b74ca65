"""A driver's aliases (other spellings, former online IDs): edited in the admin, checked against every
other driver, carried by the season file, and written without making a racing page cold."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from results.cache.scopes import RACING
from results.exchange.exporter import export_season
from results.exchange.importer import ImportFailed, import_season
from results.exchange.validate import DocumentError, read
from results.models import Driver

from .admin_forms import form_data
from .test_write_marks import WATCHED, moved

pytestmark = pytest.mark.django_db


def driver(name):
    return Driver.objects.get(name=name)


def change_url(d):
    return reverse("admin:results_driver_change", args=[d.pk])


# --- The admin ----------------------------------------------------------------------------------------


def test_an_editor_adds_aliases_one_a_line_and_no_racing_page_goes_cold(editor_client, demo):
    lopez = driver("Coque López")
    data = form_data(editor_client.get(change_url(lopez)))
    assert "aliases" in data
    data["aliases"] = "Coque_GT\r\n\r\n  Coque   Lopez Jr \r\ncoque_gt\r\n"

    def save():
        assert editor_client.post(change_url(lopez), data).status_code == 302

    assert moved(save, watched=WATCHED) == set()  # only the search shows aliases, and it is not cached
    lopez.refresh_from_db()
    assert lopez.aliases == "Coque_GT\nCoque Lopez Jr"  # stripped, no blank line, no repeat
    assert lopez.alias_list == ("Coque_GT", "Coque Lopez Jr")
    assert "Coque_GT" in editor_client.get(change_url(lopez)).content.decode()


def test_renaming_a_driver_with_aliases_still_makes_every_racing_page_cold(editor_client, demo):
    lopez = driver("Coque López")
    data = form_data(editor_client.get(change_url(lopez)))
    data.update(name="Coque Lopez", aliases="Coque López")

    def save():
        assert editor_client.post(change_url(lopez), data).status_code == 302

    assert RACING in moved(save, watched=WATCHED)


def test_an_alias_that_names_another_driver_is_refused_naming_the_line(editor_client, demo):
    serrano = driver("Jose Serrano")
    serrano.aliases = "Pepe Serrano"
    serrano.save()
    lopez = driver("Coque López")
    data = form_data(editor_client.get(change_url(lopez)))
    data["aliases"] = "Coque_GT\nTakuma Miyazono\npepe-serrano\n" + "x" * 101
    response = editor_client.post(change_url(lopez), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["aliases"]
    assert errors == [
        'Line 2 ("Takuma Miyazono") is already the name of Takuma Miyazono.',
        'Line 3 ("pepe-serrano") is already an alias of Jose Serrano.',
        f'Line 4 ("{"x" * 40}…") is 101 characters long; at most 100 fit.',
    ]
    lopez.refresh_from_db()
    assert lopez.aliases == ""


def test_a_driver_cannot_be_named_as_another_driver_s_alias(demo):
    serrano = driver("Jose Serrano")
    serrano.aliases = "Pepe Serrano"
    serrano.save()
    newcomer = Driver(name="Pepe  SERRANO", slug="pepe-serrano")
    with pytest.raises(ValidationError) as refused:
        newcomer.full_clean()
    assert refused.value.message_dict == {"name": ['"Pepe  SERRANO" is already an alias of Jose Serrano.']}


def test_another_driver_s_online_id_and_too_many_aliases_are_refused(demo):
    serrano = driver("Jose Serrano")
    serrano.online_id = "jose_s_gt"
    serrano.save()
    lopez = driver("Coque López")
    lopez.aliases = "\n".join(["JOSE S GT", *(f"Old ID {n}" for n in range(1, 21))])
    with pytest.raises(ValidationError) as refused:
        lopez.full_clean()
    assert refused.value.message_dict["aliases"] == [
        'Line 1 ("JOSE S GT") is already the online ID of Jose Serrano.',
        'Line 21 ("Old ID 20"): at most 20 aliases fit, one a line.',
    ]


# --- Writes ----------------------------------------------------------------------------------------


def test_writing_aliases_alone_moves_no_version_by_any_way(demo):
    lopez = driver("Coque López")
    assert moved(Driver.objects.filter(pk=lopez.pk).update, aliases="Koke") == set()
    lopez.aliases = "Koke Lopes"
    assert moved(Driver.objects.bulk_update, [lopez], ["aliases"]) == set()
    lopez.aliases = "Coque_GT"
    assert moved(lopez.save, update_fields=["aliases"]) == set()
    assert driver("Coque López").aliases == "Coque_GT"
    # With another column, the driver shows on every racing page: they go cold.
    assert RACING in moved(Driver.objects.filter(pk=lopez.pk).update, aliases="", nation="MX")


# --- The season file ---------------------------------------------------------------------------------


def listed(document, name):
    return next(d for d in document["drivers"] if d["name"] == name)


def test_the_season_file_carries_aliases_there_and_back(demo):
    lopez = driver("Coque López")
    lopez.aliases = "Coque_GT\nKoke Lopes"
    lopez.save()
    document = export_season(2024)
    assert listed(document, "Coque López")["aliases"] == ["Coque_GT", "Koke Lopes"]
    assert listed(document, "Jose Serrano")["aliases"] == []

    Driver.objects.filter(pk=lopez.pk).update(aliases="")
    summary = import_season(read(document))
    assert driver("Coque López").alias_list == ("Coque_GT", "Koke Lopes")
    assert summary.updated["drivers"] == 1

    del listed(document, "Coque López")["aliases"]  # absent: the stored aliases are kept
    import_season(read(document))
    assert driver("Coque López").alias_list == ("Coque_GT", "Koke Lopes")
    listed(document, "Coque López")["aliases"] = []  # given empty: the file's
    import_season(read(document))
    assert driver("Coque López").aliases == ""


def test_a_file_s_bad_aliases_are_refused_by_place(demo):
    document = export_season(2024)
    names = [d["name"] for d in document["drivers"]]
    index, serrano = names.index("Coque López"), names.index("Jose Serrano")
    listed(document, "Coque López")["aliases"] = ["Takuma Miyazono", "", 7, "--", "two\nlines"]
    listed(document, "Jose Serrano")["aliases"] = "Pepe"
    with pytest.raises(DocumentError) as refused:
        read(document)
    where = f"drivers[{index}].aliases"
    assert refused.value.errors == [
        f"{where}[1]: must not be empty",
        f"{where}[2]: expected text, got the number 7",
        f'{where}[3]: "--" has no letter or digit to match a name by',
        f'{where}[4]: "two\\nlines" runs over more than one line',
        f'drivers[{serrano}].aliases: expected a list, got the text "Pepe"',
        f'{where}[0]: "Takuma Miyazono" is already the name of Takuma Miyazono',
    ]


def test_an_import_refuses_an_alias_of_a_driver_the_file_does_not_list(demo):
    Driver.objects.create(name="Somebody Else", slug="somebody-else", aliases="Old Name")
    document = export_season(2024)
    index = [d["name"] for d in document["drivers"]].index("Coque López")
    listed(document, "Coque López")["aliases"] = ["Coque_GT", "old-name"]
    with pytest.raises(ImportFailed) as refused:
        import_season(read(document))
    assert (
        str(refused.value) == f'drivers[{index}].aliases[1]: "old-name" is already an alias of Somebody Else.'
    )
    assert driver("Coque López").aliases == ""  # nothing written
