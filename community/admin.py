"""The moderators' tool: flagged comments first, hide and restore, suspend a fan from commenting;
fans' picks to read (never edited by hand: scoring sets their points)."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone

from results.admin.readonly import ReadOnlyAdminMixin

from .models import PICKED_FIELDS, Comment, Flag, League, LeagueMembership, Pick, Profile


class FlagInline(admin.TabularInline):
    model = Flag
    extra = 0
    fields = ["user", "reason", "note", "created_at", "is_resolved"]
    readonly_fields = ["user", "reason", "note", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OpenFlagsFilter(admin.SimpleListFilter):
    title = "flags"
    parameter_name = "flags"

    def lookups(self, request, model_admin):
        return [("open", "With open flags"), ("none", "Without open flags")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(open_flags__gt=0)
        if self.value() == "none":
            return queryset.filter(open_flags=0)
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "author_name", "report", "created_at", "open_flags", "is_hidden"]
    list_filter = [OpenFlagsFilter, "is_hidden", "report"]
    list_select_related = ["author__profile", "report"]
    search_fields = ["body", "author__email", "author__profile__display_name"]
    readonly_fields = [
        "report",
        "author",
        "parent",
        "body",
        "created_at",
        "edited_at",
        "is_removed",
        "hidden_at",
        "hidden_by",
    ]
    fields = [*readonly_fields[:6], "is_hidden", "hidden_at", "hidden_by"]
    inlines = [FlagInline]
    actions = ["hide", "restore", "suspend_authors"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        # The annotation comes before the ordering that uses it (ModelAdmin orders in get_queryset).
        comments = Comment.objects.annotate(open_flags=Count("flags", filter=Q(flags__is_resolved=False)))
        return comments.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["-open_flags", "-created_at"]  # flagged comments first, most flags first; then the newest

    @admin.display(description="comment")
    def excerpt(self, comment):
        return comment.body[:80] or "(deleted by its author)"

    @admin.display(description="open flags", ordering="open_flags")
    def open_flags(self, comment):
        return comment.open_flags

    @admin.display(description="author")
    def author_name(self, comment):
        return comment.author_name

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # moderators hide; only a comment's author deletes it

    def save_model(self, request, obj, form, change):
        if "is_hidden" in form.changed_data:
            obj.hidden_at = timezone.now() if obj.is_hidden else None
            obj.hidden_by = request.user if obj.is_hidden else None
            obj.flags.update(is_resolved=True)
        super().save_model(request, obj, form, change)

    @admin.action(description="Hide the selected comments (and resolve their flags)", permissions=["change"])
    def hide(self, request, queryset):
        comments = list(queryset.filter(is_hidden=False))
        for comment in comments:
            comment.is_hidden, comment.hidden_at, comment.hidden_by = True, timezone.now(), request.user
            comment.save(update_fields=["is_hidden", "hidden_at", "hidden_by"])
        Flag.objects.filter(comment__in=queryset).update(is_resolved=True)
        self.message_user(request, f"Hid {len(comments)} comment(s).")

    @admin.action(description="Restore the selected comments", permissions=["change"])
    def restore(self, request, queryset):
        comments = list(queryset.filter(is_hidden=True))
        for comment in comments:
            comment.is_hidden, comment.hidden_at, comment.hidden_by = False, None, None
            comment.save(update_fields=["is_hidden", "hidden_at", "hidden_by"])
        self.message_user(request, f"Restored {len(comments)} comment(s).")

    @admin.action(
        description="Suspend the authors of the selected comments from commenting", permissions=["suspend"]
    )
    def suspend_authors(self, request, queryset):
        count = (
            Profile.objects.filter(user__comments__in=queryset, is_suspended=False)
            .distinct()
            .update(is_suspended=True, suspended_reason=f"Suspended by {request.user.get_username()}")
        )
        self.message_user(request, f"Suspended {count} fan(s) from commenting.", messages.WARNING)

    def has_suspend_permission(self, request):
        return request.user.has_perm("community.change_profile")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "nation", "is_suspended"]
    list_filter = ["is_suspended"]
    list_select_related = ["user"]
    search_fields = ["display_name", "user__email"]
    fields = ["user", "display_name", "nation", "favourite_driver", "is_suspended", "suspended_reason"]
    readonly_fields = ["user", "display_name", "nation", "favourite_driver"]
    actions = ["suspend", "lift_suspension"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Suspend from commenting", permissions=["change"])
    def suspend(self, request, queryset):
        count = queryset.update(is_suspended=True)
        self.message_user(request, f"Suspended {count} fan(s) from commenting.")

    @admin.action(description="Lift the suspension", permissions=["change"])
    def lift_suspension(self, request, queryset):
        count = queryset.update(is_suspended=False, suspended_reason="")
        self.message_user(request, f"{count} fan(s) may comment again.")


class LeagueMembershipInline(admin.TabularInline):
    model = LeagueMembership
    extra = 0
    fields = ["fan", "joined_at"]
    readonly_fields = ["fan", "joined_at"]

    def has_add_permission(self, request, obj=None):
        return False  # fans join with the invite link; moderators only take members out


@admin.register(League)
class LeagueAdmin(admin.ModelAdmin):
    """Private leagues: a league's name is a fan's text, so moderators may rename or delete one."""

    list_display = ["name", "owner", "member_count", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__email", "owner__profile__display_name"]
    fields = ["name", "owner", "created_at"]
    readonly_fields = ["owner", "created_at"]
    inlines = [LeagueMembershipInline]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description="members", ordering="member_count")
    def member_count(self, league):
        return league.member_count

    def has_add_permission(self, request):
        return False  # a league is created by a fan, who owns it


@admin.register(Pick)
class PickAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only: a pick is the fan's, its points are the scoring's (community.scoring)."""

    list_display = ["fan", "race", "picked", "points", "updated_at", "scored_at"]
    list_filter = [("race", admin.RelatedOnlyFieldListFilter), "race__round__season"]
    list_select_related = ["fan", "race__round__season", "race__competition", *PICKED_FIELDS]
    search_fields = ["fan__email", "fan__profile__display_name"]
    date_hierarchy = "created_at"

    @admin.display(description="picks")
    def picked(self, pick):
        return ", ".join(f"{place}: {name}" for place, name in pick.picked_names)
