"""Forms for PD series, sessions, agenda activities, check-in, feedback and the facilitation review.

Forms clean input only; the views hand `cleaned_data` to pd.services, which validate and save."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cycles.forms import DATE
from cycles.models import Priority
from cycles.selectors import practices_for
from districts.models import District, Membership, Role, School, User
from measures.instruments import adult_instruments_for

from . import services as pd_services
from .models import (
    AUDIENCE_ROLES,
    Activity,
    EvidenceDirection,
    FacilitationEvidence,
    PDSeries,
    PDSession,
    SessionGoal,
)

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


FACILITATOR_ROLES = [Role.DISTRICT_LEADER, Role.COACH, Role.PRINCIPAL, Role.PARTNER]


def _possible_facilitators(district: District, current=()):
    """Who can lead PD: the district's leaders, coaches, principals and partners (a teacher leader
    who facilitates holds a coach role too) and whoever already does; teachers are the audience,
    and a district has hundreds of them."""
    return (
        User.objects.filter(
            Q(memberships__district=district, memberships__role__in=FACILITATOR_ROLES) | Q(pk__in=list(current)),
            is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )


def _facilitator_label(district: District):
    roles: dict[int, str] = {}
    for user_id, role in Membership.objects.filter(district=district).order_by("role").values_list("user_id", "role"):
        roles.setdefault(user_id, Role(role).label)
    former = gettext("former member")
    return lambda user: f"{user.full_name or user.email} ({str(roles.get(user.pk, former)).lower()})"


class SeriesForm(forms.ModelForm):
    audience_roles = forms.MultipleChoiceField(
        choices=AUDIENCE_ROLES,
        widget=forms.CheckboxSelectMultiple,
        label=pgettext_lazy("audience", "For"),
        initial=["teacher"],
    )
    grades = forms.CharField(required=False, label=_("Grades"), help_text=_("e.g. 6, 7"))
    goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label=_("Long-term goals for teachers' learning"),
        help_text=_("The progression the series works toward. One per line, in order."),
    )

    class Meta:
        model = PDSeries
        fields = [
            "title",
            "school_year",
            "description",
            "audience_roles",
            "grades",
            "audience_schools",
            "facilitators",
            "goals",
            "priority",
            "practices",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "audience_schools": forms.SelectMultiple(attrs={"size": 4}),
            "facilitators": forms.CheckboxSelectMultiple,
            "practices": forms.CheckboxSelectMultiple,  # every option readable; no Ctrl-click
        }
        labels = {
            "title": _("Title"),
            "school_year": _("School year"),
            "description": _("Description"),
            "audience_schools": _("Schools"),
            "facilitators": _("Facilitators"),
            "priority": _("Priority"),
            "practices": _("Practices"),
        }

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience_schools"].queryset = School.objects.filter(district=district)
        self.fields["audience_schools"].help_text = gettext("Leave empty for every school.")
        current = self.instance.facilitators.values_list("pk", flat=True) if self.instance.pk else ()
        self.fields["facilitators"].queryset = _possible_facilitators(district, current)
        self.fields["facilitators"].label_from_instance = _facilitator_label(district)
        self.fields["facilitators"].help_text = gettext(
            "They design and run the sessions, with the district's leaders."
        )
        self.fields["priority"].queryset = Priority.objects.filter(district=district)
        self.fields["practices"].queryset = practices_for(district)
        if self.instance.pk:
            self.fields["grades"].initial = ", ".join(self.instance.audience_grades or [])
            self.fields["goals"].initial = "\n".join(g.text for g in self.instance.goals.all())

    def clean_grades(self):
        raw = [g.strip().upper() for g in self.cleaned_data["grades"].replace(";", ",").split(",") if g.strip()]
        bad = [g for g in raw if not (g == "K" or (g.isascii() and g.isdigit() and len(g) <= 2 and 1 <= int(g) <= 12))]
        if bad:
            raise forms.ValidationError(gettext("Grades are K or 1–12; not %(bad)s.") % {"bad": ", ".join(bad)})
        return sorted(set(raw), key=lambda g: -1 if g == "K" else int(g))

    def clean_goals(self):
        return pd_services.goal_lines(self.cleaned_data["goals"])

    def service_data(self) -> dict:
        """The cleaned input under the names pd.services.series_create/series_update take."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in ("title", "school_year", "description", "priority")},
            "audience_roles": list(data["audience_roles"]),
            "audience_grades": data["grades"],
            "audience_schools": list(data["audience_schools"]),
            "facilitators": list(data["facilitators"]),
            "practices": list(data["practices"]),
            "goals": data["goals"],
        }


class SessionForm(forms.ModelForm):
    goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Short-term goals for this session"),
        help_text=_("Reasonable next steps for these teachers toward the series' goals. One per line, in order."),
    )

    class Meta:
        model = PDSession
        fields = ["title", "kind", "date", "starts_at", "minutes", "place", "focus", "goals", "cycle", "video_ref"]
        widgets = {"date": DATE, "starts_at": TIME}
        labels = {
            "title": _("Title"),
            "kind": _("Kind"),
            "date": _("Date"),
            "starts_at": _("Starts at"),
            "place": _("Place"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["goals"].initial = "\n".join(g.text for g in self.instance.goals.all())

    def clean_goals(self):
        return pd_services.goal_lines(self.cleaned_data["goals"])


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "learning_goal",
            "minutes",
            "led_by",
            "materials",
            "builds_on_activity",
            "builds_on_goal",
        ]
        widgets = {"learning_goal": forms.Textarea(attrs={"rows": 2}), "materials": forms.Textarea(attrs={"rows": 2})}
        labels = {
            "title": _("Title"),
            "kind": _("Kind"),
            "learning_goal": _("Learning goal"),
            "minutes": _("Minutes"),
            "materials": _("Materials"),
            "builds_on_activity": _("Builds on the activity"),
            "builds_on_goal": _("Works toward the goal"),
        }

    def __init__(self, *args, session: PDSession, **kwargs):
        super().__init__(*args, **kwargs)
        earlier = Q(session__series=session.series, session__date__lt=session.date) | Q(session=session)
        activities = Activity.objects.filter(earlier).select_related("session").order_by("session__date", "order")
        if self.instance.pk:
            activities = activities.exclude(pk=self.instance.pk).exclude(session=session, order__gt=self.instance.order)
        self.fields["builds_on_activity"].queryset = activities
        self.fields["builds_on_activity"].label_from_instance = lambda a: (
            a.title if a.session_id == session.pk else f"{date_format(a.session.date, gettext('M j'))} · {a.title}"
        )
        self.fields["builds_on_activity"].help_text = gettext("An earlier activity of this session or of the series.")
        # Each activity has its own learning goal (seed 004): the form asks for it, not the agenda afterwards.
        self.fields["learning_goal"].required = True
        self.fields["learning_goal"].help_text = gettext("What should participants learn from this activity?")
        goals = SessionGoal.objects.filter(
            Q(session=session) | Q(session__series=session.series, session__date__lt=session.date)
        ).select_related("session")
        self.fields["builds_on_goal"].queryset = goals.order_by("-session__date", "order")
        self.fields["builds_on_goal"].label_from_instance = lambda g: (
            g.text if g.session_id == session.pk else f"{date_format(g.session.date, gettext('M j'))} · {g.text}"
        )
        self.fields["builds_on_goal"].help_text = gettext("A short-term goal of this session or an earlier one.")


class CheckInForm(forms.Form):
    code = forms.CharField(
        max_length=16,
        label=_("Check-in code"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "class": "text-uppercase"}
        ),
    )


class FeedbackOpenForm(forms.Form):
    instrument = forms.ModelChoiceField(queryset=None, empty_label=None, label=_("Survey"))
    minutes = forms.IntegerField(
        min_value=3, max_value=120, initial=pd_services.FEEDBACK_MINUTES, label=_("Open for (minutes)")
    )

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = adult_instruments_for(district)


class MemoForm(forms.Form):
    memo = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        label=_("Analytic memo"),
        help_text=_(
            "The structure of the session, how teachers took part, what the leaders' goals for teachers "
            "seemed to be, and what to work on in the next math-leader PD."
        ),
    )


class EvidenceForm(forms.ModelForm):
    start = forms.CharField(required=False, label=_("Clip starts at"), help_text=_("mm:ss or h:mm:ss"))
    end = forms.CharField(required=False, label=_("Clip ends at"), help_text=_("mm:ss or h:mm:ss"))

    class Meta:
        model = FacilitationEvidence
        fields = ["leader", "goal", "direction", "clip_ref", "start", "end", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3}), "direction": forms.RadioSelect}
        labels = {
            "leader": _("Math leader"),
            "goal": _("Goal"),
            "direction": _("Evidence of"),
            "clip_ref": _("Clip (link or file)"),
            "note": _("Note"),
        }

    def __init__(self, *args, session: PDSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = session.series.facilitators.order_by("full_name")
        self.fields["direction"].choices = EvidenceDirection.choices  # a radio list needs no blank
        self.fields["leader"].help_text = gettext("The series' facilitators.")
        self.fields["clip_ref"].help_text = (
            gettext("Blank = the session's video (%(video)s).") % {"video": session.video_ref}
            if session.video_ref
            else gettext("A link or a file name.")
        )

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            try:
                data[f"clip_{name}"] = pd_services.parse_clock(data.get(name, ""))
            except ValueError as exc:
                self.add_error(name, str(exc))
        if data.get("clip_start") is not None and data.get("clip_end") is not None:
            if data["clip_end"] < data["clip_start"]:
                self.add_error("end", gettext("The clip ends before it starts."))
        return data

    def service_data(self) -> dict:
        """The cleaned input under the names pd.services.evidence_add takes."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in ("leader", "goal", "direction", "clip_ref", "note")},
            "clip_start": data.get("clip_start"),
            "clip_end": data.get("clip_end"),
        }
