"""Staff open the admin with a second factor (allauth.mfa: an authenticator app's code, or a recovery code).

A session records that its person gave a second factor: a code at sign-in or when asked again
(allauth's ``authenticator_used``), or setting up an authenticator, which takes a code from it
(``authenticator_added``). :class:`community.middleware.StaffSecondFactorMiddleware` asks for it
before any admin page. While ``DEBUG`` is on, the addresses in ``STAFF_MFA_EXEMPT`` (the demo
editor) are let through without it; with ``DEBUG`` off the settings refuse that list.
"""

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_used
from django.conf import settings
from django.contrib import messages
from django.dispatch import receiver

SESSION_KEY = "gtws_second_factor"  # the id of the user who gave a second factor in this session


def is_staff(user):
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def has_second_factor(user):
    """An authenticator app (or a security key) is set up: what allauth asks a code of at sign-in."""
    return get_adapter().is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def gave_second_factor(request):
    return request.session.get(SESSION_KEY) == str(request.user.pk)


def is_exempt(user):
    """The development-only exemption (the demo editor): honoured only while DEBUG is on."""
    exempt = {address.lower() for address in settings.STAFF_MFA_EXEMPT}
    return settings.DEBUG and bool(user.email) and user.email.lower() in exempt


@receiver(authenticator_used, dispatch_uid="community-second-factor-used")
@receiver(authenticator_added, dispatch_uid="community-second-factor-added")
def second_factor_given(sender, request, user, **kwargs):
    request.session[SESSION_KEY] = str(user.pk)


@receiver(authenticator_added, dispatch_uid="community-second-factor-staff-told")
def tell_staff_the_admin_opens(sender, request, user, authenticator, **kwargs):
    if is_staff(user) and authenticator.type == Authenticator.Type.TOTP:
        messages.success(request, "Keep your recovery codes somewhere safe. The admin now opens for you.")


@receiver(authenticator_removed, dispatch_uid="community-second-factor-removed")
def second_factor_removed(sender, request, user, **kwargs):
    """Turned off: the admin asks again (for a code, or to set one up) on the next visit."""
    request.session.pop(SESSION_KEY, None)
