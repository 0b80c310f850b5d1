"""Forms for coaching: they validate and normalise; the views hand the data to coaching.services."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cycles.selectors import practices_for
from districts.formtools import ClassroomChoiceField, classroom_label
from districts.models import Role, User

from .models import CoachingCycle, CoachingEvent, CycleStatus, EventKind, GroupSession, GroupSessionKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _opened(administration, fmt: str) -> str:
    """The day a survey opened, where the district is, in the reader's date order."""
    return date_format(timezone.localtime(administration.opened_at), fmt)


class CycleStartForm(forms.Form):
    classroom = ClassroomChoiceField(
        queryset=None,
        required=False,
        label=_("Classroom"),
        empty_label=_("(no one class)"),
        help_text=_("Its surveys can be linked as evidence."),
    )
    started_from_administration = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Started from survey"),
        empty_label=_("(none)"),
        help_text=_("The survey results you looked at together when you negotiated the goal."),
    )
    practice = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Practice from the library"),
        empty_label=_("(none)"),
        help_text=_("The evidence-based practice the cycle serves (NCTM, What Works Clearinghouse, your district's)."),
    )
    focus_practice = forms.CharField(
        max_length=200,
        required=False,
        label=_("Focus practice, in your words"),
        help_text=_("e.g. 'Pressing students to explain their reasoning'. Blank = the library practice's title."),
    )
    goal = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Negotiated goal, in the teacher's own words"),
        help_text=_("A goal the teacher has made their own."),
    )
    started_on = forms.DateField(label=_("Started on"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, classrooms, administrations, practices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = practices
        self.fields["classroom"].queryset = classrooms
        self.fields["started_from_administration"].queryset = administrations
        self.fields["started_from_administration"].label_from_instance = lambda a: (
            f"{classroom_label(a.classroom)} · {a.instrument} · {_opened(a, gettext('M j, Y'))}"
        )

    def clean(self):
        data = super().clean()
        _focus_from_practice(self, data)
        return data


def _focus_from_practice(form, data) -> None:
    """The coach's words for the focus, or the library practice's title; one of the two is needed."""
    if not (data.get("focus_practice") or "").strip():
        if data.get("practice") is not None:
            data["focus_practice"] = data["practice"].title[:200]
        elif "focus_practice" not in form.errors:
            form.add_error("focus_practice", gettext("Choose a practice from the library or describe the focus."))


class CycleForm(forms.ModelForm):
    class Meta:
        model = CoachingCycle
        fields = ["practice", "focus_practice", "goal", "status", "ended_on"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 3}), "ended_on": DATE}
        labels = {
            "practice": _("Practice from the library"),
            "focus_practice": _("Focus practice, in your words"),
            "status": _("Status"),
            "ended_on": _("Ended on"),
        }

    def __init__(self, *args, practices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = practices
        self.fields["practice"].empty_label = gettext("(none)")
        self.fields["focus_practice"].required = False

    def clean(self):
        data = super().clean()
        _focus_from_practice(self, data)
        if data.get("status") != CycleStatus.COMPLETED and data.get("ended_on"):
            self.add_error("ended_on", gettext("Only a completed cycle has an end date."))
        return data


EVENT_COMMON_FIELDS = ("kind", "date", "minutes", "note", "note_is_private")
_IN_CLASS = ("lesson", "math_goals", "what_was_tried", "feedback", "next_steps", "administrations", "observations")
EVENT_KIND_FIELDS = {
    EventKind.PRE_CONFERENCE: ("lesson", "math_goals", "anticipated_strategies", "next_steps"),
    EventKind.MODELING: _IN_CLASS,
    EventKind.CO_TEACHING: _IN_CLASS,
    EventKind.OBSERVATION: _IN_CLASS,
    EventKind.DEBRIEF: ("lesson", "what_was_tried", "feedback", "next_steps", "administrations", "observations"),
    EventKind.OTHER: ("lesson", "math_goals", "anticipated_strategies", *_IN_CLASS[2:]),
}


class EventForm(forms.ModelForm):
    class Meta:
        model = CoachingEvent
        fields = [
            "kind",
            "date",
            "minutes",
            "lesson",
            "math_goals",
            "anticipated_strategies",
            "what_was_tried",
            "feedback",
            "next_steps",
            "administrations",
            "observations",
            "note",
            "note_is_private",
        ]
        widgets = {
            "date": DATE,
            "math_goals": forms.Textarea(attrs={"rows": 2}),
            "anticipated_strategies": forms.Textarea(attrs={"rows": 3}),
            "what_was_tried": forms.Textarea(attrs={"rows": 3}),
            "feedback": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "administrations": forms.CheckboxSelectMultiple,
            "observations": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "anticipated_strategies": _("For co-planning: the strategies students may use, and how to respond."),
            "administrations": _("Link surveys of this class: their results show on the cycle page."),
            "observations": _("Link your scored observations of this lesson."),
            "note": _("Seen by you and the teacher, unless you keep it private. Never by principals or leaders."),
        }
        labels = {
            "date": _("Date"),
            "what_was_tried": _("What was tried"),
            "note": _("Note"),
            "administrations": _("Linked surveys"),
            "observations": _("Linked observations"),
            "minutes": _("Minutes"),
        }

    def __init__(self, *args, administrations, observations, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the fields that belong to this kind of event: a pre-conference plans, it has tried nothing yet.
        for name in [n for n in self.fields if n not in EVENT_COMMON_FIELDS and n not in EVENT_KIND_FIELDS[kind]]:
            del self.fields[name]
        self.fields["kind"].widget = forms.HiddenInput()
        if "administrations" in self.fields:
            self.fields["administrations"].queryset = administrations
            self.fields["administrations"].label_from_instance = _survey_label
        if "observations" in self.fields:
            self.fields["observations"].queryset = observations
            self.fields["observations"].label_from_instance = lambda o: (
                f"{date_format(o.observed_on, gettext('M j'))} · {o.rubric}"
            )


def _survey_label(administration) -> str:
    n = getattr(getattr(administration, "summary", None), "n_responses", 0)
    responses = ngettext("%(n)s response", "%(n)s responses", n) % {"n": n}
    return f"{_opened(administration, gettext('M j'))} · {administration.instrument} · {responses}"


class GroupSessionForm(forms.ModelForm):
    class Meta:
        model = GroupSession
        fields = ["school", "kind", "date", "minutes", "practice", "focus_practice", "attendees", "notes", "next_steps"]
        widgets = {
            "date": DATE,
            "attendees": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"notes": _("Seen by you and the attendees; principals and leaders see only that it took place.")}
        labels = {
            "school": _("School"),
            "kind": _("Kind"),
            "date": _("Date"),
            "minutes": _("Minutes"),
            "practice": _("Practice from the library"),
            "focus_practice": _("Focus practice, in your words"),
            "attendees": _("Attendees"),
            "notes": _("Notes"),
            "next_steps": _("Next steps"),
        }

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = practices_for(schools.values("district_id"))
        self.fields["practice"].empty_label = gettext("(none)")
        self.fields["school"].queryset = schools
        self.fields["school"].empty_label = None
        self.fields["kind"].choices = GroupSessionKind.choices
        self.fields["attendees"].queryset = (
            User.objects.filter(
                memberships__role=Role.TEACHER, memberships__school__in=schools, is_active=True
            ).distinct()
        ).order_by("full_name")


class ObservationForm(forms.Form):
    """The lesson's details, then a score (one of the levels) and evidence for each dimension."""

    classroom = ClassroomChoiceField(
        queryset=None, required=False, label=_("Classroom"), empty_label=_("(not one class)")
    )
    observed_on = forms.DateField(label=_("Observed on"), widget=DATE, initial=timezone.localdate)
    lesson = forms.CharField(max_length=300, required=False, label=_("Lesson and task"))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, rubric, classrooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = classrooms
        self.dimensions = list(rubric.dimensions.prefetch_related("levels"))
        for d in self.dimensions:
            self.fields[f"score_{d.pk}"] = forms.TypedChoiceField(
                label=f"{d.order}. {d.name}",
                choices=[("", gettext("Not scored"))]
                + [(lv.score, f"{lv.score} — {lv.label}: {lv.descriptor}") for lv in d.levels.all()],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=d.description,
            )
            self.fields[f"evidence_{d.pk}"] = forms.CharField(
                label=gettext("Evidence for %(dimension)s") % {"dimension": d.name},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def by_dimension(self):
        """(dimension, its score field, its evidence field), for the template."""
        return [(d, self[f"score_{d.pk}"], self[f"evidence_{d.pk}"]) for d in self.dimensions]

    def clean(self):
        data = super().clean()
        if not any(data.get(f"score_{d.pk}") is not None for d in self.dimensions):
            raise forms.ValidationError(gettext("Score at least one dimension."))
        return data

    def scores(self) -> dict[int, tuple[int, str]]:
        data = self.cleaned_data
        return {
            d.pk: (data[f"score_{d.pk}"], data.get(f"evidence_{d.pk}", ""))
            for d in self.dimensions
            if data.get(f"score_{d.pk}") is not None
        }


class RubricAdaptForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)


class RubricReviseForm(forms.Form):
    """The rubric's name and description, each dimension's name and each level's descriptor."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = list(rubric.dimensions.prefetch_related("levels"))
        self.initial.setdefault("name", rubric.name)
        self.initial.setdefault("description", rubric.description)
        for d in self.dimensions:
            self.fields[f"dim_{d.order}_name"] = forms.CharField(
                max_length=200, label=gettext("Dimension %(order)s") % {"order": d.order}
            )
            self.initial.setdefault(f"dim_{d.order}_name", d.name)
            self.fields[f"dim_{d.order}_description"] = forms.CharField(
                required=False, label=gettext("What it looks at"), widget=forms.Textarea(attrs={"rows": 1})
            )
            self.initial.setdefault(f"dim_{d.order}_description", d.description)
            for lv in d.levels.all():
                key = f"dim_{d.order}_level_{lv.score}"
                self.fields[key] = forms.CharField(
                    label=f"{lv.score} — {lv.label}", widget=forms.Textarea(attrs={"rows": 2})
                )
                self.initial.setdefault(key, lv.descriptor)

    def changes(self):
        from .services import DimensionChange

        data = self.cleaned_data
        return [
            DimensionChange(
                order=d.order,
                name=data[f"dim_{d.order}_name"],
                description=data[f"dim_{d.order}_description"],
                descriptors={lv.score: data[f"dim_{d.order}_level_{lv.score}"] for lv in d.levels.all()},
            )
            for d in self.dimensions
        ]
