"""Season files uploaded in the admin, read and imported by the task worker, never in a request.

An upload is kept on the server (:class:`~results.models.SeasonImport`, under a random token tied
to the editor) and read by :func:`check_season_file`: its problems, or what it would change (a dry
run). Once the editor confirms, :func:`import_season_file` imports it in one transaction, all or
nothing, through :func:`~results.exchange.importer.import_season`, whose writes mark what they
changed for the page cache. The upload's row says how each step went; its page shows it.
"""

import logging

from django_tasks import task

from results.exchange.importer import ImportFailed, import_season
from results.exchange.validate import DocumentError, decode, load
from results.models import SeasonImport
from results.models.imports import MAX_SHOWN

logger = logging.getLogger(__name__)

UNEXPECTED = "An unexpected error stopped the import; nothing was imported. The site's log has the details."


def upload(editor, file_name, content, replace=False):
    """Keep an editor's file (bytes) and queue its reading; raise DocumentError for a file that cannot be
    a season (too large, not UTF-8 text, a null character) before it is kept. With ``replace`` the
    import deletes what the file does not have (the preview says what)."""
    text = decode(content)
    SeasonImport.objects.expired().delete()  # uploads are forgotten a day after they were made
    kept = SeasonImport.objects.create(
        editor=editor, file_name=file_name[:255], size=len(content), content=text, replace=replace
    )
    check_season_file.enqueue(kept.pk)
    return kept


def confirm(kept):
    """Queue the import of a checked upload; False if it was not waiting for a confirmation."""
    if not kept.confirm():
        return False
    import_season_file.enqueue(kept.pk)
    return True


def _summary(summary):
    data = summary.as_data()
    data["race_count"] = len(data["races"])
    data["races"] = data["races"][:MAX_SHOWN]
    data["change_count"] = len(data["changes"])
    data["changes"] = data["changes"][:MAX_SHOWN]
    return data


def _run(kept, work, finish):
    """Run ``work()`` for an upload; its row records the outcome: ``finish(its result)``, the file's
    problems, or why the import failed (an unexpected error is recorded and raised, for the log)."""
    try:
        result = work()
    except DocumentError as error:
        kept.refuse(error.errors)
    except ImportFailed as error:
        kept.fail(str(error))
    except Exception:
        kept.fail(UNEXPECTED)
        raise
    else:
        finish(result)
    return kept.state


@task()
def check_season_file(upload_id):
    """Read an upload and compare it with the database (a dry run): its problems, or what it changes."""
    kept = SeasonImport.objects.kept(upload_id, SeasonImport.State.CHECKING)
    if kept is None:  # expired, or already read
        return None

    def check():
        doc = load(kept.content)
        kept.read(doc.year, doc.rows)
        return import_season(doc, dry_run=True, replace=kept.replace)

    return _run(kept, check, lambda summary: kept.checked(_summary(summary)))


@task()
def import_season_file(upload_id):
    """Import a confirmed upload in one transaction; the upload's row says what it changed or why not.

    A file that was read cleanly when checked can fail to read only after a change of the code.
    """
    kept = SeasonImport.objects.kept(upload_id, SeasonImport.State.QUEUED)
    if kept is None:  # expired, or already imported
        return None
    kept.begin()

    def done(summary):
        kept.done(_summary(summary))
        logger.info("%s imported season %s from %s", kept.editor, kept.year, kept.file_name)

    return _run(kept, lambda: import_season(load(kept.content), replace=kept.replace), done)
