"""E-mails leave through the task queue: no request waits on the mail server.

A message is rendered in the request (its links need the request's host) and queued as plain
text fields; ``manage.py db_worker`` sends it through ``EMAIL_BACKEND`` (in development the
console, on the worker's terminal: ``make run`` starts the worker beside the server).
"""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


def queue(message):
    """Queue an ``EmailMessage`` (or ``EmailMultiAlternatives``) to be sent by the task worker."""
    send.enqueue(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        to=list(message.to),
        headers=dict(message.extra_headers),
        alternatives=[[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        content_subtype=message.content_subtype,
    )


@task()
def send(subject, body, from_email, to, headers, alternatives, content_subtype="plain"):
    """Send one queued message (a failure is recorded as the task's error); the number sent."""
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers)
    message.content_subtype = content_subtype
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return message.send()
