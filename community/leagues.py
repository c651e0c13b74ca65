"""Private leagues of the predictions game: create one, share its invite link, join, leave; the owner
renames it, makes a new link, removes members and deletes it. Only its members see its table.

Every page here is a fan's own (never in the shared page cache); a league's table is ranked from the
season's leaderboard rows (community.leaderboards), so it reads no pick of its own.
"""

import secrets

from allauth.account.models import EmailAddress
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from results.cache.pages import positive_number
from results.models import Season

from . import leaderboards, ratelimit
from .forms import CrispyForm
from .models import League, LeagueMembership

MAX_OWNED = 20  # leagues a fan may own at once
MAX_MEMBERS = 100  # fans in one league, its owner included
CREATE_LIMITS = [(3, 60), (10, 24 * 3600)]  # leagues created: 3 a minute, 10 a day per fan
JOIN_LIMITS = [(10, 60), (50, 24 * 3600)]  # leagues joined: 10 a minute, 50 a day per fan
INVITE_BYTES = 16  # an invite code: 22 URL-safe characters, 128 random bits


def new_invite_code():
    return secrets.token_urlsafe(INVITE_BYTES)


def refusal(user, doing):
    """Why ``user`` may not ``doing`` (create or join a league), or None (one query, two for a
    suspended fan's check without a profile loaded)."""
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return (
            f"Verify your e-mail address before you {doing}: open the link we sent you, "
            "or ask for a new one on your e-mail page."
        )
    profile = getattr(user, "profile", None)
    if profile is not None and profile.is_suspended:
        return f"Your account is suspended: you cannot {doing} until a moderator lifts the suspension."
    return None


def refuse_unless_allowed(user, doing):
    if message := refusal(user, doing):
        raise PermissionDenied(message)


class LeagueForm(CrispyForm, forms.ModelForm):
    submit_label = "Create the league"

    class Meta:
        model = League
        fields = ["name"]
        labels = {"name": "League name"}
        error_messages = {"name": {"required": "Give the league a name."}}
        help_texts = {
            "name": "Up to 60 characters. Its members see it; so do the fans you send the invite link to."
        }

    def __init__(self, *args, submit_label=None, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.submit_label = submit_label or self.submit_label
        self.setup_helper(action)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the league a name.")
        return name


def member_league_or_404(user, pk):
    """The league, if ``user`` is in it; a 404 for anyone else, as for a league that does not exist."""
    league = League.objects.of_member(user).filter(pk=pk).first()
    if league is None:
        raise Http404("No league of yours has this address.")
    return league


def owned_league_or_404(user, pk):
    league = member_league_or_404(user, pk)
    if league.owner_id != user.pk:
        raise PermissionDenied("Only the league's owner can do this.")
    return league


@login_required
@require_http_methods(["GET", "POST"])
def league_list(request):
    """The fan's leagues, and a form to create one."""
    form = LeagueForm(request.POST or None)
    status = 200
    if request.method == "POST":
        refuse_unless_allowed(request.user, "create a league")
        status = 400
        if form.is_valid():
            with transaction.atomic():
                if League.objects.owned_by(request.user).count() >= MAX_OWNED:
                    form.add_error(
                        None, f"You own {MAX_OWNED} leagues already: delete one before you create another."
                    )
                elif not ratelimit.allow("league-create", request.user.pk, CREATE_LIMITS):
                    form.add_error(None, "You are creating leagues too fast. Wait a minute and try again.")
                    status = 429
                else:
                    league = League.objects.create(
                        name=form.cleaned_data["name"], owner=request.user, invite_code=new_invite_code()
                    )
                    LeagueMembership.objects.create(league=league, fan=request.user)
                    messages.success(
                        request, "Your league is made. Send its invite link to the fans you want in it."
                    )
                    return redirect(league)
    context = {
        "leagues": League.objects.of_member(request.user),
        "form": form,
        "refusal": refusal(request.user, "create a league"),
    }
    return render(request, "community/league_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def league_detail(request, pk):
    """A league's table for a season (?season=YYYY, the latest by default): its members only."""
    league = member_league_or_404(request.user, pk)
    years = list(Season.objects.order_by("-year").values_list("year", flat=True))
    asked = request.GET.get("season") or None
    year = int(positive_number(asked) or 0) if asked is not None else None
    note = ""
    if year not in years:
        if asked is not None:
            note = f"There is no season “{asked}”: showing the latest season." if years else ""
        year = years[0] if years else None
    memberships = list(league.memberships.select_related("fan__profile"))
    members = {membership.fan_id for membership in memberships}
    standings = []
    if year is not None:
        standings = leaderboards.rank(
            row for row in leaderboards.season_standings(year) if row.fan in members
        )
    context = {
        "league": league,
        "is_owner": league.owner_id == request.user.pk,
        "years": years,
        "year": year,
        "note": note,
        "standings": standings,
        "memberships": memberships,
        "invite_url": request.build_absolute_uri(league_invite_path(league)),
        "rename_form": LeagueForm(
            instance=league,
            submit_label="Rename",
            action=reverse("community:league-rename", args=[league.pk]),
            auto_id="rename_%s",
        ),
        "you": leaderboards.you(request, standings)["you"],  # the table is one page: no page to point at
    }
    return render(request, "community/league_detail.html", context)


def league_invite_path(league):
    return reverse("community:league-join", args=[league.invite_code])


@never_cache  # the page of a secret link: kept by no cache on the way
@require_http_methods(["GET", "HEAD", "POST"])
def league_join(request, code):
    """The league an invite link names, with a Join button; POST joins (twice is harmless)."""
    league = get_object_or_404(League.objects.with_counts(), invite_code=code)
    is_member = request.user.is_authenticated and league.memberships.filter(fan=request.user).exists()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if is_member:
            messages.info(request, f"You are in {league.name} already.")
            return redirect(league)
        refuse_unless_allowed(request.user, "join a league")
        if league.member_count >= MAX_MEMBERS:
            messages.error(request, f"This league is full: it has {MAX_MEMBERS} members.")
            return redirect(request.path)
        if not ratelimit.allow("league-join", request.user.pk, JOIN_LIMITS):
            context = {
                "league": league,
                "error": "You are joining leagues too fast. Wait a minute and try again.",
            }
            return render(request, "community/league_join.html", context, status=429)
        try:
            with transaction.atomic():
                LeagueMembership.objects.create(league=league, fan=request.user)
        except IntegrityError:  # a double submit: the first one joined
            messages.info(request, f"You are in {league.name} already.")
        else:
            messages.success(request, f"You joined {league.name}.")
        return redirect(league)
    context = {
        "league": league,
        "is_member": is_member,
        "refusal": refusal(request.user, "join a league") if request.user.is_authenticated else None,
    }
    return render(request, "community/league_join.html", context)


@login_required
@require_POST
def league_rename(request, pk):
    league = owned_league_or_404(request.user, pk)
    form = LeagueForm(request.POST, instance=league, submit_label="Rename", auto_id="rename_%s")
    if not form.is_valid():
        return render(request, "community/league_rename.html", {"league": league, "form": form}, status=400)
    form.save()
    messages.success(request, "The league is renamed.")
    return redirect(league)


@login_required
@require_POST
def league_new_invite(request, pk):
    """A new invite link: the old one stops working."""
    league = owned_league_or_404(request.user, pk)
    league.invite_code = new_invite_code()
    league.save(update_fields=["invite_code"])
    messages.success(request, "The league has a new invite link; the old one no longer works.")
    return redirect(league)


@login_required
@require_POST
def league_remove(request, pk):
    """The owner takes a member out of the league (``fan``: the member's user id)."""
    league = owned_league_or_404(request.user, pk)
    fan = positive_number(request.POST.get("fan", ""))
    if fan is None:
        messages.error(request, "Say which member to remove.")
        return redirect(league)
    if int(fan) == league.owner_id:
        messages.error(request, "You own this league: delete it instead of removing yourself.")
        return redirect(league)
    removed, _ = league.memberships.filter(fan_id=int(fan)).delete()
    if removed:
        messages.success(request, "The member is removed from the league.")
    else:
        messages.error(request, "That fan is not in this league.")
    return redirect(league)


@login_required
@require_http_methods(["GET", "POST"])
def league_delete(request, pk):
    """A confirmation page; POST deletes the league for everyone in it."""
    league = owned_league_or_404(request.user, pk)
    if request.method == "POST":
        name = league.name
        league.delete()
        messages.success(request, f"The league {name} is deleted.")
        return redirect("community:leagues")
    return render(request, "community/league_delete.html", {"league": league})


@login_required
@require_POST
def league_leave(request, pk):
    league = member_league_or_404(request.user, pk)
    if league.owner_id == request.user.pk:
        messages.error(request, "You own this league: delete it instead of leaving it.")
        return redirect(league)
    league.memberships.filter(fan=request.user).delete()
    messages.success(request, f"You left {league.name}.")
    return redirect("community:leagues")
