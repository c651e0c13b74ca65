"""Profiles for new accounts; a comment, or a name shown beside comments, marks only those comment sections.

A comment never marks a racing page. Writes of many comments mark through
:class:`community.models.CommentQuerySet`.
"""

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from results.cache import invalidation
from results.write.signals import connect

from .models import Comment, Profile, fans_changed, seasons_picked


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="community-profile-for-user")
def create_profile(sender, instance, created, **kwargs):
    """Every account has a profile; its display name starts as the part of the e-mail before the @."""
    if created and not Profile.objects.filter(user=instance).exists():
        name = (instance.email.split("@")[0] if instance.email else instance.get_username())[:40] or "fan"
        Profile.objects.create(user=instance, display_name=name)


# A new, edited, removed, hidden or deleted comment: its report's comment section (see results.write.signals).
connect(Comment)


@receiver(pre_save, sender=Profile, dispatch_uid="community-profile-name-before")
def remember_display_name(sender, instance, update_fields=None, **kwargs):
    if instance.pk is not None and (update_fields is None or {"display_name", "nation"} & set(update_fields)):
        stored = Profile.objects.filter(pk=instance.pk).values_list("display_name", "nation").first()
        if stored is not None:
            instance.stored_display_name, instance.stored_nation = stored


@receiver(post_save, sender=Profile, dispatch_uid="community-profile-saved")
def profile_saved(sender, instance, created=False, **kwargs):
    """A new display name shows beside the fan's comments (the sections they commented in) and, with
    their nation, on their public page."""
    stored = vars(instance).pop("stored_display_name", None)
    stored_nation = vars(instance).pop("stored_nation", None)
    if stored is not None and stored != instance.display_name:
        comments = Comment.objects.filter(author_id=instance.user_id)
        Comment.objects.changes_of([], comments.stored()).mark()
    if created or (
        stored is not None and (stored, stored_nation) != (instance.display_name, instance.nation)
    ):
        fans_changed([instance.user_id])


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="community-account-saved")
def account_saved(sender, instance, created=False, **kwargs):
    """An account turned off (or on) shows, or stops showing, its public page."""
    if not created:
        invalidation.fans_changed([instance.pk])  # their page; their leaderboard rows stay till deleted


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="community-comments-before-account")
def remember_comments(sender, instance, **kwargs):
    comments = Comment.objects.filter(Q(author_id=instance.pk) | Q(hidden_by_id=instance.pk))
    instance.stored_comments = comments.stored()
    instance.stored_seasons_picked = seasons_picked([instance.pk])


@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="community-account-deleted")
def account_deleted(sender, instance, **kwargs):
    """A deleted account's comments stay, signed "deleted user" (and comments it hid lose their
    moderator): the sections they are in."""
    Comment.objects.changes_of([], vars(instance).pop("stored_comments", None)).mark()
    fans_changed([instance.pk], vars(instance).pop("stored_seasons_picked", []))
