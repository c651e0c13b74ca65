"""Pages rendered again in the background after a change (django-tasks). Filled in below."""


def after_change(race_ids, seasons):
    """Queue the pages these races and seasons show for rendering in the background."""
