from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from results.cache import versions as versioning

from .models import Comment, Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="community-profile-for-user")
def create_profile(sender, instance, created, **kwargs):
    """Every account has a profile; its display name starts as the part of the e-mail before the @."""
    if created and not Profile.objects.filter(user=instance).exists():
        name = (instance.email.split("@")[0] if instance.email else instance.get_username())[:40] or "fan"
        Profile.objects.create(user=instance, display_name=name)


@receiver(post_save, sender=Comment, dispatch_uid="community-comment-saved")
@receiver(post_delete, sender=Comment, dispatch_uid="community-comment-deleted")
@receiver(post_save, sender=Profile, dispatch_uid="community-profile-saved")
def comments_changed(sender, **kwargs):
    """Report pages are cached per data version: a new, edited or hidden comment shows at once."""
    versioning.bump()
