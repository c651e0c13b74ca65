"""Links reversed once per process stay right wherever the site is mounted."""

from django.urls import clear_script_prefix, set_script_prefix

from results.read.links import link


def test_a_kept_link_follows_the_script_prefix():
    assert link("results:driver", "takuma-miyazono") == "/drivers/takuma-miyazono/"
    set_script_prefix("/gtws/")
    try:
        assert link("results:driver", "takuma-miyazono") == "/gtws/drivers/takuma-miyazono/"
    finally:
        clear_script_prefix()
    assert link("results:driver", "takuma-miyazono") == "/drivers/takuma-miyazono/"
    assert link("results:race", 2024, "montreal", "nations-cup", "main-race") == (
        "/2024/montreal/nations-cup/main-race/"
    )
