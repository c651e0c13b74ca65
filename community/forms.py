from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.conf import settings
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from results.models import Driver

from .models import Comment, Flag, Profile


class CrispyForm:
    """Renders through crispy-forms' Bootstrap 5 pack with a submit button."""

    submit_label = "Save"

    def setup_helper(self, action=None):
        self.helper = FormHelper()
        self.helper.form_method = "post"
        if action:
            self.helper.form_action = action
        self.helper.add_input(Submit("submit", self.submit_label))


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up asks besides e-mail and password."""

    display_name = forms.CharField(
        max_length=40, help_text="Shown with your comments. You can change it later on your profile."
    )

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Choose a display name.")
        return name

    def signup(self, request, user):
        profile, _ = Profile.objects.get_or_create(
            user=user, defaults={"display_name": self.cleaned_data["display_name"]}
        )
        profile.display_name = self.cleaned_data["display_name"]
        profile.save()


class CommentForm(CrispyForm, forms.ModelForm):
    submit_label = "Post comment"
    # A field people never see: bots that fill in every box give themselves away.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": "Your comment"}
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "maxlength": settings.COMMENT_MAX_LENGTH})}
        help_texts = {"body": "Plain text; links become clickable. A blank line starts a new paragraph."}

    def __init__(self, *args, report=None, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["body"].max_length = settings.COMMENT_MAX_LENGTH
        self.setup_helper(action)
        self.helper.form_id = "comment-form" if self.prefix is None else f"reply-form-{self.prefix}"
        self.helper.attrs = {"data-comment-form": ""}
        self.helper.layout = Layout("body", Div("website", css_class="d-none"), "parent")

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if not body:
            raise forms.ValidationError("Write something before posting.")
        if len(body) > settings.COMMENT_MAX_LENGTH:
            raise forms.ValidationError(f"A comment is at most {settings.COMMENT_MAX_LENGTH} characters.")
        return body

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = Comment.objects.visible().filter(pk=parent_id, report=self.report, is_removed=False).first()
        if parent is None:
            raise forms.ValidationError("The comment you are replying to is no longer there.")
        # Replies are one level deep: a reply to a reply joins its thread.
        return parent.parent if parent.parent_id else parent


class EditCommentForm(CrispyForm, forms.ModelForm):
    submit_label = "Save changes"

    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": "Your comment"}
        widgets = {"body": forms.Textarea(attrs={"rows": 5, "maxlength": settings.COMMENT_MAX_LENGTH})}

    clean_body = CommentForm.clean_body

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()


class FlagForm(CrispyForm, forms.ModelForm):
    submit_label = "Send to the moderators"
    # The reasons only: no empty choice, none chosen for the fan; sending none says what is missing.
    reason = forms.ChoiceField(
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        label="What is wrong with this comment?",
        error_messages={"required": "Choose what is wrong with this comment."},
    )

    class Meta:
        model = Flag
        fields = ["reason", "note"]
        labels = {"note": "Anything the moderators should know (optional)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()


class ProfileForm(CrispyForm, forms.ModelForm):
    nation = LazyTypedChoiceField(choices=[("", "—"), *countries], required=False)
    favourite_driver = forms.ModelChoiceField(queryset=Driver.objects.order_by("name"), required=False)

    class Meta:
        model = Profile
        fields = ["display_name", "nation", "favourite_driver"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()

    def clean_display_name(self):
        name = SignupDetailsForm.clean_display_name(self)
        if self.instance.is_suspended and name != self.instance.display_name:
            # The name shows beside every comment the fan wrote: a suspension keeps it.
            raise forms.ValidationError(
                "Your account is suspended from commenting: you cannot change your display name "
                "until a moderator lifts the suspension."
            )
        return name


class DeleteAccountForm(CrispyForm, forms.Form):
    submit_label = "Delete my account"
    confirm = forms.BooleanField(
        label="I understand: my account and profile are deleted for good; "
        "my comments stay, signed “deleted user”."
    )
    password = forms.CharField(widget=forms.PasswordInput, label="Your password")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.setup_helper()
        self.helper.inputs[0].field_classes = "btn btn-danger"

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
