"""Forms for the people pages and the roster upload: they validate and normalise; services write."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import District, Role, User

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=None,
        required=False,
        empty_label=_("— whole district —"),
        help_text=_("Needed for a principal."),
    )

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        self.fields["school"].queryset = district.schools.order_by("name")


class PersonCreateForm(RoleForm):
    email = forms.EmailField(label=_("Email"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=150)

    field_order = ["email", "full_name", "role", "school"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class CoachAssignmentForm(forms.Form):
    teachers = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("Teachers coached this year")
    )

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = (
            User.objects.filter(memberships__district=district, memberships__role=Role.TEACHER, is_active=True)
            .distinct()
            .order_by("full_name", "email")
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.zip,text/csv,application/zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class RosterUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Roster files"),
        help_text=_(
            "One CSV with the columns school, teacher_email, teacher_name, classroom, grade, period; "
            "or the OneRoster 1.1 files orgs.csv, users.csv, classes.csv and enrollments.csv (or a .zip of them)."
        ),
    )
    school_year = forms.IntegerField(
        label=_("School year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The year the school year starts: 2026 means 2026–27."),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        names = [upload.name for upload in files]
        if len(set(names)) < len(names):
            raise ValidationError(gettext("Two files have the same name."))
        for upload in files:
            if not upload.name.lower().endswith((".csv", ".zip")):
                raise ValidationError(gettext("%(name)s: upload .csv or .zip files.") % {"name": upload.name})
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(gettext("%(name)s is larger than 50 MB.") % {"name": upload.name})

        return files

    def contents(self) -> dict[str, bytes]:
        return {upload.name: upload.read() for upload in self.cleaned_data["files"]}


class LoginForm(AuthenticationForm):
    """Django's login form with its e-mail field named in the reader's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")
