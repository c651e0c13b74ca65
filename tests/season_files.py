"""Season files through the admin: upload one, and run what the task worker would."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks import default_task_backend

SEASON_FILE_TASKS = ("check_season_file", "import_season_file")
REFRESH = '<meta http-equiv="refresh" content="2">'  # a page waiting for the worker refreshes itself


def upload(client, content, name="2030.json", replace=False):
    """Upload a season file; the answer sends the editor to the upload's own page, its address returned."""
    default_task_backend.clear()
    response = client.post(
        reverse("admin:results_season_import"),
        {"file": SimpleUploadedFile(name, content), **({"replace": "on"} if replace else {})},
    )
    assert response.status_code == 302
    return response["Location"]


def run_worker():
    """What the task worker does: run the season-file tasks queued so far (the page renders are left out,
    tests/settings.py records tasks without running them); the names of those run."""
    ran = []
    while queued := [r for r in default_task_backend.results if r.task.name in SEASON_FILE_TASKS]:
        default_task_backend.clear()
        for result in queued:
            result.task.call(*result.args, **result.kwargs)
            ran.append(result.task.name)
    return ran
