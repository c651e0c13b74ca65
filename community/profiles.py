def display_name(user):
    """The name a fan shows (allauth's ACCOUNT_USER_DISPLAY)."""
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else user.get_username()
