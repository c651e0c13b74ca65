"""Fans' profiles, their comments under race reports, and the flags that bring comments to moderators."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, Length
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField

from results.cache import invalidation
from results.models.base import MarkingQuerySet, Shown

models.TextField.register_lookup(Length)


def seasons_picked(user_ids):
    """The years of the seasons these fans picked in (their rows on those seasons' leaderboards)."""
    picks = Pick.objects.filter(fan_id__in=list(user_ids))
    return sorted(set(picks.values_list("race__round__season__year", flat=True)))


def fans_changed(user_ids, years=None):
    """What these fans show of themselves changed (a name, a nation, the account): their public pages
    and the leaderboards of the seasons they picked in (``years``, when their picks are gone already)."""
    user_ids = list(user_ids)
    if user_ids:
        invalidation.fans_changed(user_ids)
        invalidation.predictions_changed(seasons_picked(user_ids) if years is None else years)


class ProfileQuerySet(models.QuerySet):
    """Profiles; a display name changed in bulk marks the comment sections it shows in."""

    def update(self, **kwargs):
        # Who is updated is read first (the update may change what selects them); they are marked
        # after it, so no reader keeps what they showed before under the versions that follow.
        fans = (
            list(self.values_list("user_id", flat=True)) if {"display_name", "nation"} & set(kwargs) else []
        )
        stored = Comment.objects.filter(author__profile__in=self).stored() if "display_name" in kwargs else {}
        count = super().update(**kwargs)
        if count:
            fans_changed(fans)
        if count and "display_name" in kwargs:
            Comment.objects.changes_of([], stored).mark()
        return count

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        stored = Comment.objects.filter(author__profile__in=objs).stored() if "display_name" in fields else {}
        count = super().bulk_update(objs, fields, batch_size=batch_size)
        if count and {"display_name", "nation"} & set(fields):
            fans_changed([profile.user_id for profile in objs])
        if count and stored:
            Comment.objects.changes_of([], stored).mark()
        return count


class Profile(models.Model):
    """What a fan shows of themselves, and whether they may comment."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=40)
    nation = CountryField(blank=True)
    favourite_driver = models.ForeignKey(
        "results.Driver", on_delete=models.SET_NULL, null=True, blank=True, related_name="fans"
    )
    is_suspended = models.BooleanField(
        "suspended from commenting",
        default=False,
        help_text="A suspended fan can read but not comment or flag.",
    )
    suspended_reason = models.CharField(max_length=200, blank=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(display_name=""),
                name="profile_display_name_not_empty",
                violation_error_message="A display name cannot be empty.",
            )
        ]

    def __str__(self):
        return self.display_name


class CommentQuerySet(MarkingQuerySet):
    """Comments; an update or delete of many marks the comment sections they show in."""

    shown = Shown(comments="report__slug")

    def visible(self):
        """Comments readers see: not hidden by a moderator."""
        return self.filter(is_hidden=False)


class Comment(models.Model):
    """A fan's plain-text comment under a race report, or a reply to one (one level deep)."""

    report = models.ForeignKey("results.RaceReport", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text="Empty once the author deleted their account: shown as “deleted user”.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="reply to",
    )
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_removed = models.BooleanField(
        default=False,
        help_text="Deleted by its author while it had replies: the text is gone, the thread stays.",
    )
    is_hidden = models.BooleanField("hidden by a moderator", default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["report", "parent", "created_at"], name="comment_report_thread")]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__length__lte=2000),
                name="comment_body_length",
                violation_error_message="A comment is at most 2000 characters.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="comment_not_reply_to_itself",
                violation_error_message="A comment cannot reply to itself.",
            ),
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body[:60]}"

    def get_absolute_url(self):
        return reverse("community:comment", args=[self.pk])

    @property
    def author_name(self):
        if self.author_id is None:
            return "deleted user"
        profile = getattr(self.author, "profile", None)
        return profile.display_name if profile else self.author.get_username()

    @property
    def thread_replies(self):
        """Its replies as its thread shows them (prefetched with the thread: community.threads)."""
        return self.replies.all()

    def is_editable_by(self, user, now=None):
        """Its author, for a while after posting, unless suspended from commenting."""
        window = settings.COMMENT_EDIT_MINUTES * 60
        now = now or timezone.now()
        return (
            user.is_authenticated
            and self.author_id == user.pk
            and not self.is_removed
            and (now - self.created_at).total_seconds() <= window
            and not getattr(getattr(user, "profile", None), "is_suspended", False)
        )


class Flag(models.Model):
    """A reader's report that a comment breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive or hateful"
        OFF_TOPIC = "off-topic", "Off topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_flags")
    reason = models.CharField(max_length=10, choices=Reason)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    is_resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"],
                name="flag_unique_comment_user",
                violation_error_message="You have already flagged this comment.",
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} – {self.comment}"


PICKED_FIELDS = [f"{place}_{kind}" for place in ("winner", "second", "third") for kind in ("driver", "team")]


class PickQuerySet(models.QuerySet):
    """Fans' picks: the queries of picking and scoring first, then the leaderboards'."""

    def with_names(self):
        """With the drivers or teams picked, whose names a list of picks shows."""
        return self.select_related(*PICKED_FIELDS)

    def of_fan(self, user):
        return self.filter(fan=user)

    def for_scoring(self, race_ids):
        """The picks of these races, as scoring reads and writes them."""
        return self.filter(race_id__in=race_ids).order_by("pk")

    def of_started_races(self, user, now):
        """A fan's picks of races that started by ``now``, the newest race first, with the race and
        the names picked (what their public page shows: never a pick before its race's start)."""
        return (
            self.of_fan(user)
            .filter(race__starts_at__lte=now)
            .with_names()
            .select_related("race__round__season", "race__competition")
            .order_by("-race__starts_at", "-race_id")
        )

    def years_scored(self, user):
        """The years of the seasons in which ``user`` has a scored pick (a query to filter by)."""
        return self.of_fan(user).filter(points__isnull=False).values("race__round__season__year")

    def crowd_summary(self, race):
        """How many picked ``race``; of those scored, how many got the winner right (as scoring found
        it: the final classification's), and the best score (one query)."""
        return self.filter(race=race).aggregate(
            picks=Count("pk"),
            scored=Count("points"),
            winner_right=Count("pk", filter=Q(is_winner_right=True)),
            best=Max("points"),
        )

    def crowd_winners(self, race):
        """The winners ``race``'s fans picked, the most picked first: rows with ``picks`` and the
        names (one query)."""
        return (
            self.filter(race=race)
            .values("winner_driver", "winner_team", "winner_driver__name", "winner_team__name")
            .annotate(picks=Count("pk"))
            .order_by("-picks", "winner_driver__name", "winner_team__name")
        )

    def crowd_podiums(self, race):
        """The podiums ``race``'s fans picked (winner, second, third), the most picked first (one
        query; picks of the winner alone are left out)."""
        return (
            self.filter(race=race)
            .filter(Q(second_driver__isnull=False) | Q(second_team__isnull=False))
            .values(*PICKED_FIELDS, *(f"{name}__name" for name in PICKED_FIELDS))
            .annotate(picks=Count("pk"))
            .order_by("-picks", *(f"{name}__name" for name in PICKED_FIELDS))
        )

    def races_awaiting_scores(self, now):
        """Races that started by ``now`` with picks not yet scored, the latest start first."""
        from results.models import Race

        unscored = self.filter(race=OuterRef("pk"), points__isnull=True)
        return (
            Race.objects.for_links()
            .filter(Exists(unscored), starts_at__lte=now)
            .order_by("-starts_at", "competition__name", "number")
        )

    # Leaderboards

    def leaderboard(self, years):
        """One row per fan and season of ``years`` (years, or a query of them) with a scored pick in
        it: the year, their display name, profile nation, points, picks scored and exact winners
        (the winner picked won, as scoring found it: the final classification's)."""
        return (
            self.filter(race__round__season__year__in=years, points__isnull=False)
            .values("fan", year=F("race__round__season__year"))
            .annotate(
                name=Coalesce("fan__profile__display_name", "fan__username"),
                nation=Coalesce("fan__profile__nation", Value("")),
                points=Sum("points"),
                scored=Count("pk"),
                exact=Count("pk", filter=Q(is_winner_right=True)),
            )
            .order_by()
        )


class Pick(models.Model):
    """A fan's picks for one race, made before its start: the winner and, in a main race, the podium.

    A pick names a competitor as the race's competition classifies them: a driver, or a team where the
    competition scores teams (exactly one of the two for each place picked). ``points`` and
    ``is_winner_right`` stay empty until the race's podium is known, and are worked out again whenever
    its results change (``results.rules.picks.scored``). A driver or team someone picked cannot be
    deleted (PROTECT): a fan's picks are never lost to an editor's clean-up.
    """

    fan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="picks")
    race = models.ForeignKey("results.Race", on_delete=models.CASCADE, related_name="picks")
    winner_driver = models.ForeignKey(
        "results.Driver", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    winner_team = models.ForeignKey(
        "results.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_driver = models.ForeignKey(
        "results.Driver", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_team = models.ForeignKey(
        "results.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    third_driver = models.ForeignKey(
        "results.Driver", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    third_team = models.ForeignKey(
        "results.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    points = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty until the race is scored."
    )
    is_winner_right = models.BooleanField(
        "winner right",
        null=True,
        blank=True,
        help_text="Whether the competitor picked to win won (the final classification); empty until scored.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    scored_at = models.DateTimeField(null=True, blank=True)

    objects = PickQuerySet.as_manager()

    class Meta:
        ordering = ["race_id", "created_at", "pk"]
        indexes = [models.Index(fields=["race", "points"], name="pick_race_points")]
        constraints = [
            models.UniqueConstraint(
                fields=["fan", "race"],
                name="pick_one_per_fan_and_race",
                violation_error_message="You have already picked for this race: change your picks instead.",
            ),
            models.CheckConstraint(
                condition=Q(winner_driver__isnull=False, winner_team__isnull=True)
                | Q(winner_driver__isnull=True, winner_team__isnull=False),
                name="pick_has_one_winner",
                violation_error_message="Pick one winner: a driver or a team.",
            ),
            models.CheckConstraint(
                condition=Q(second_driver__isnull=True) | Q(second_team__isnull=True),
                name="pick_second_is_one_competitor",
                violation_error_message="Second place is one driver or one team.",
            ),
            models.CheckConstraint(
                condition=Q(third_driver__isnull=True) | Q(third_team__isnull=True),
                name="pick_third_is_one_competitor",
                violation_error_message="Third place is one driver or one team.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(second_driver__isnull=True, second_team__isnull=True)
                    & Q(third_driver__isnull=True, third_team__isnull=True)
                )
                | (
                    (Q(second_driver__isnull=False) | Q(second_team__isnull=False))
                    & (Q(third_driver__isnull=False) | Q(third_team__isnull=False))
                ),
                name="pick_podium_whole_or_none",
                violation_error_message="Pick the whole podium (second and third) or only the winner.",
            ),
            models.CheckConstraint(
                condition=~Q(winner_driver=F("second_driver"))
                & ~Q(winner_driver=F("third_driver"))
                & ~Q(second_driver=F("third_driver"))
                & ~Q(winner_team=F("second_team"))
                & ~Q(winner_team=F("third_team"))
                & ~Q(second_team=F("third_team")),
                name="pick_places_differ",
                violation_error_message="Each podium place needs a different competitor.",
            ),
        ]

    def __str__(self):
        return f"{self.fan} – {self.race}"

    @property
    def picked(self):
        """The competitors picked, winner first: ``(("driver", id) | ("team", id) | None, …)``."""
        return tuple(
            ("driver", driver) if driver is not None else ("team", team) if team is not None else None
            for driver, team in (
                (self.winner_driver_id, self.winner_team_id),
                (self.second_driver_id, self.second_team_id),
                (self.third_driver_id, self.third_team_id),
            )
        )

    @property
    def picked_names(self):
        """``[(place, name), …]`` of the places picked, winner first (read with ``with_names()``)."""
        places = (("Winner", "winner"), ("Second", "second"), ("Third", "third"))
        named = []
        for label, place in places:
            competitor = getattr(self, f"{place}_driver") or getattr(self, f"{place}_team")
            if competitor is not None:
                named.append((label, competitor.name))
        return named


class LeagueQuerySet(models.QuerySet):
    """Private leagues, as their members and invitees see them."""

    def with_counts(self):
        """With the owner's display name and ``member_count`` (one query)."""
        return self.select_related("owner__profile").annotate(member_count=Count("memberships"))

    def of_member(self, fan):
        """The leagues ``fan`` is in, by name."""
        # Exists, not a join on memberships: the count then counts every member, not only ``fan``.
        return self.filter(
            Exists(LeagueMembership.objects.filter(league=OuterRef("pk"), fan=fan))
        ).with_counts()

    def owned_by(self, fan):
        return self.filter(owner=fan)


class League(models.Model):
    """A private league of fans, joined with its invite link; its table ranks its members' points."""

    name = models.CharField(max_length=60)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leagues_owned"
    )
    invite_code = models.CharField(
        max_length=32, unique=True, help_text="The secret part of the invite link."
    )
    created_at = models.DateTimeField(default=timezone.now)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="LeagueMembership", related_name="leagues", blank=True
    )

    objects = LeagueQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="league_name_not_empty",
                violation_error_message="A league needs a name.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:league", args=[self.pk])


class LeagueMembership(models.Model):
    """A fan in a private league."""

    league = models.ForeignKey(League, on_delete=models.CASCADE, related_name="memberships")
    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="league_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["league", "fan"],
                name="league_member_once",
                violation_error_message="You are already in this league.",
            )
        ]

    def __str__(self):
        return f"{self.fan} in {self.league}"
