"""Posting, editing, deleting and flagging comments; a fan's profile and account."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from results.models import RaceReport

from . import ratelimit
from .forms import CommentForm, DeleteAccountForm, EditCommentForm, FlagForm, ProfileForm
from .models import Comment, Flag, Profile
from .threads import page_of


def _wants_json(request):
    return request.headers.get("X-Requested-With") == "fetch"


DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)


def _refuse_if_suspended(profile, doing):
    """A suspended fan reads, and deletes their own comments; nothing else (docs/moderation.md)."""
    if profile is not None and profile.is_suspended:
        raise PermissionDenied(
            f"Your account is suspended from commenting: you cannot {doing} "
            "until a moderator lifts the suspension."
        )


def _locked_profile(user):
    """The fan's profile, locked until the transaction ends (PostgreSQL: SELECT … FOR UPDATE).

    One fan's posts and flags then run one after another: the double-submit check and the limits
    see every earlier one, and a suspension that came in meanwhile is seen. (SQLite transactions
    take the write lock when they begin: there every writer waits for the one before.)
    """
    profile, _ = Profile.objects.select_for_update().get_or_create(
        user=user, defaults={"display_name": user.get_username()}
    )
    return profile


def _too_fast(request, template, context, doing):
    message = f"You are {doing} too fast. Wait a minute and try again."
    if _wants_json(request):
        return JsonResponse({"errors": {"body": [message]}}, status=429)
    return render(request, template, {**context, "error": message}, status=429)


@login_required
@require_POST
def post_comment(request, slug):
    """A new comment or reply under a published report.

    Inside one transaction, with the fan's profile locked: a double submit finds the first post,
    then the limit is counted, then the comment is written.
    """
    report = get_object_or_404(RaceReport.objects.published(), slug=slug)
    _refuse_if_suspended(getattr(request.user, "profile", None), "post or reply")
    form = CommentForm(request.POST, report=report, action=reverse("community:post", args=[slug]))
    if request.POST.get("website"):
        return HttpResponseBadRequest("Comment refused.")  # the honeypot was filled in: a bot
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"errors": form.errors}, status=400)
        return render(
            request, "community/comment_form_page.html", {"form": form, "report": report}, status=400
        )
    body, parent = form.cleaned_data["body"], form.cleaned_data["parent"]
    with transaction.atomic():
        _refuse_if_suspended(_locked_profile(request.user), "post or reply")
        comment = Comment.objects.filter(
            report=report,
            author=request.user,
            parent=parent,
            body=body,
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
        ).first()
        if comment is None:  # else a double submit: the first one stands
            if not ratelimit.allow("comment", request.user.pk, settings.COMMENT_RATE_LIMITS):
                context = {"form": form, "report": report}
                return _too_fast(request, "community/comment_form_page.html", context, "posting")
            comment = Comment.objects.create(report=report, author=request.user, parent=parent, body=body)
    if _wants_json(request):
        context = {"comment": comment, "report": report, "with_replies": parent is None}
        html = render_to_string("community/_comment.html", context, request=request)
        return JsonResponse(
            {"id": comment.pk, "parent": parent.pk if parent else None, "html": html}, status=201
        )
    return redirect(comment.get_absolute_url())


@require_safe
def comment_permalink(request, pk):
    """The address of one comment: its report, at the page that shows it."""
    comment = get_object_or_404(Comment.objects.visible().select_related("report"), pk=pk)
    if comment.parent_id and comment.parent.is_hidden:
        raise Http404("This comment is no longer shown.")
    page = page_of(comment)
    query = f"?page={page}" if page > 1 else ""
    return redirect(f"{comment.report.get_absolute_url()}{query}#comment-{comment.pk}")


def _own_comment(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("report"), pk=pk, is_hidden=False)
    if comment.author_id != request.user.pk:
        raise PermissionDenied("You can only change your own comments.")
    return comment


@login_required
@require_http_methods(["GET", "POST"])
def edit_comment(request, pk):
    comment = _own_comment(request, pk)
    _refuse_if_suspended(getattr(request.user, "profile", None), "edit comments")
    if not comment.is_editable_by(request.user):
        raise PermissionDenied(
            f"Comments can be edited for {settings.COMMENT_EDIT_MINUTES} minutes after posting."
        )
    form = EditCommentForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        comment = form.save(commit=False)
        comment.edited_at = timezone.now()
        comment.save()
        return redirect(comment.get_absolute_url())
    return render(request, "community/comment_edit.html", {"form": form, "comment": comment})


@login_required
@require_http_methods(["GET", "POST"])
def delete_comment(request, pk):
    comment = _own_comment(request, pk)
    if request.method == "POST":
        report = comment.report
        with transaction.atomic():
            if comment.replies.exists():
                comment.body, comment.is_removed = "", True
                comment.save(update_fields=["body", "is_removed"])
            else:
                comment.delete()
        messages.success(request, "Your comment was deleted.")
        return redirect(f"{report.get_absolute_url()}#comments")
    return render(request, "community/comment_delete.html", {"comment": comment})


@login_required
@require_http_methods(["GET", "POST"])
def flag_comment(request, pk):
    comment = get_object_or_404(Comment.objects.visible().select_related("report"), pk=pk, is_removed=False)
    if comment.author_id == request.user.pk:
        raise PermissionDenied("You cannot flag your own comment: you can edit or delete it.")
    _refuse_if_suspended(getattr(request.user, "profile", None), "flag comments")
    existing = Flag.objects.filter(comment=comment, user=request.user).first()
    form = FlagForm(request.POST or None, instance=existing)
    context = {"form": form, "comment": comment}
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            _refuse_if_suspended(_locked_profile(request.user), "flag comments")
            if not ratelimit.allow("flag", request.user.pk, settings.FLAG_RATE_LIMITS):
                return _too_fast(request, "community/comment_flag.html", context, "flagging")
            # Looked up again under the lock: two quick first flags make one flag, not an error.
            Flag.objects.update_or_create(
                comment=comment, user=request.user, defaults={**form.cleaned_data, "is_resolved": False}
            )
        messages.success(request, "Thank you: the moderators will look at this comment.")
        return redirect(comment.get_absolute_url())
    return render(request, "community/comment_flag.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    profile, _ = Profile.objects.get_or_create(
        user=request.user, defaults={"display_name": request.user.get_username()}
    )
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect(reverse("community:profile"))
    return render(request, "community/profile.html", {"form": form, "profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()  # comments keep their text and show "deleted user" (author is set to null)
        messages.success(request, "Your account is deleted. Thank you for taking part.")
        return redirect("/")
    return render(request, "community/account_delete.html", {"form": form})


@require_safe
def admin_login(request):
    """The editors' admin signs in through the site's rate-limited sign-in form."""
    if request.user.is_authenticated:
        # Signed in, but the admin sent them here: this account has no access to it.
        return render(request, "community/admin_refused.html", status=403)
    return redirect_to_login(request.GET.get("next", "/admin/"), reverse("account_login"))
