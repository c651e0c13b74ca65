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


def _may_comment(user):
    """None if the user may post; otherwise the reason, in words."""
    profile = getattr(user, "profile", None)
    if profile is not None and profile.is_suspended:
        return "Your account is suspended from commenting."
    return None


@login_required
@require_POST
def post_comment(request, slug):
    """A new comment or reply under a published report."""
    report = get_object_or_404(RaceReport.objects.published(), slug=slug)
    refusal = _may_comment(request.user)
    if refusal:
        raise PermissionDenied(refusal)
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
    recent = timezone.now() - timedelta(minutes=2)
    duplicate = Comment.objects.filter(
        report=report, author=request.user, parent=parent, body=body, created_at__gte=recent
    ).first()
    if duplicate is not None:  # a double submit: the first one stands
        comment = duplicate
    elif not ratelimit.allow("comment", request.user.pk, settings.COMMENT_RATE_LIMITS):
        message = "You are posting too fast. Wait a minute and try again."
        if _wants_json(request):
            return JsonResponse({"errors": {"body": [message]}}, status=429)
        return render(
            request,
            "community/comment_form_page.html",
            {"form": form, "report": report, "error": message},
            status=429,
        )
    else:
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
    refusal = _may_comment(request.user)
    if refusal:
        raise PermissionDenied(refusal)
    existing = Flag.objects.filter(comment=comment, user=request.user).first()
    form = FlagForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        flag = form.save(commit=False)
        flag.comment, flag.user, flag.is_resolved = comment, request.user, False
        flag.save()
        messages.success(request, "Thank you: the moderators will look at this comment.")
        return redirect(comment.get_absolute_url())
    return render(request, "community/comment_flag.html", {"form": form, "comment": comment})


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
