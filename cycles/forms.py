"""Forms for priorities, the practice library, logic models and cycles: they validate and normalise;
services write. Choices are scoped by districts.access (through the views' arguments)."""

from __future__ import annotations

import uuid

from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from districts.formtools import ClassroomChoiceField
from districts.models import Classroom, District, School, User

from .models import (
    Cadence,
    CycleKind,
    CycleScope,
    CycleStatus,
    CycleStep,
    Decision,
    DistrictBenchmarkWindow,
    ElementKind,
    FiveWhy,
    ImprovementCycle,
    Practice,
    Priority,
    StepKind,
)
from .selectors import practices_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = [
            "title",
            "school",
            "school_year",
            "status",
            "problem_of_practice",
            "data_reviewed",
            "data_links",
            "context",
            "participants",
            "practices",
        ]
        widgets = {
            "problem_of_practice": forms.Textarea(attrs={"rows": 3}),
            "data_reviewed": forms.Textarea(attrs={"rows": 3}),
            "data_links": forms.Textarea(attrs={"rows": 2}),
            "context": forms.Textarea(attrs={"rows": 2}),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "practices": forms.CheckboxSelectMultiple,
        }
        labels = {
            "title": _("Title"),
            "school": _("School"),
            "school_year": _("School year"),
            "status": _("Status"),
            "problem_of_practice": _("Problem of practice"),
            "data_reviewed": _("Data reviewed"),
            "data_links": _("Data links"),
            "practices": _("Practices"),
        }

    def __init__(self, *args, district: District, schools, district_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].empty_label = gettext("— the whole district —")
        self.fields["school"].required = not district_wide
        self.fields["practices"].queryset = practices_for(district)
        self.fields["practices"].help_text = gettext(
            "Evidence-based practices that address this priority: tick every one."
        )
        if not self.instance.pk:
            self.initial.setdefault("school_year", district.current_school_year())

    def clean_data_links(self):
        links = [line.strip() for line in self.cleaned_data["data_links"].splitlines() if line.strip()]
        for link in links:
            # Shown as links: only web addresses and this site's own pages, never javascript: and the like.
            if not (link.startswith(("https://", "http://")) or (link.startswith("/") and not link.startswith("//"))):
                raise forms.ValidationError(
                    gettext("“%(link)s” is not a web address (https://…) or a page of this site (/…).") % {"link": link}
                )
        return "\n".join(links)


class WhyForm(forms.ModelForm):
    class Meta:
        model = FiveWhy
        fields = ["why", "because"]
        widgets = {"because": forms.Textarea(attrs={"rows": 2})}
        labels = {"why": _("Why?"), "because": _("Because…")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the edit form beside each step: its number tells its fields from the others
            self.fields["why"].label = gettext("Why %(n)s?") % {"n": self.instance.order}
            self.fields["because"].label = gettext("Because %(n)s…") % {"n": self.instance.order}


class PracticeForm(forms.ModelForm):
    url = forms.URLField(required=False, assume_scheme="https", label=_("Link"))

    class Meta:
        model = Practice
        fields = ["code", "title", "description", "grade_band", "url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"code": _("Code"), "title": _("Title"), "description": _("Description"), "grade_band": _("Grades")}


class ElementForm(forms.Form):
    kind = forms.ChoiceField(choices=ElementKind.choices, label=_("Kind"))
    text = forms.CharField(max_length=300, label=_("Text"))


class ArrowForm(forms.Form):
    source = forms.TypedChoiceField(coerce=int, label=_("From"))
    target = forms.TypedChoiceField(coerce=int, label=_("Leads to"))

    def __init__(self, *args, elements, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(e.pk, f"{e.get_kind_display()}: {Truncator(e.text).chars(60)}") for e in elements]
        self.fields["source"].choices = choices
        self.fields["target"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("target"):
            raise forms.ValidationError(gettext("An arrow needs two different boxes."))
        return data


class MeasureLinkForm(forms.Form):
    """One select for instrument + item, one for where the numbers come from."""

    measure = forms.ChoiceField(label=_("Instrument and item"))
    where = forms.ChoiceField(label=_("Whose results"))
    target_percent = forms.IntegerField(
        min_value=0, max_value=100, required=False, label=_("Target (% productive answers)")
    )

    def __init__(self, *args, measures, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measures
        self.fields["where"].choices = places

    def clean(self):
        data = super().clean()
        if "measure" in data:
            lineage, order = data["measure"].split(":")
            data["lineage"], data["item_order"] = uuid.UUID(lineage), int(order)
        if "where" in data:
            scope, scope_id = data["where"].split(":")
            data["scope"], data["scope_id"] = scope, int(scope_id)
        return data

    @staticmethod
    def initial_for(link) -> dict:
        if link is None:
            return {}
        return {
            "measure": f"{link.lineage}:{link.item_order}",
            "where": f"{link.scope}:{link.scope_id}",
            "target_percent": link.target_percent,
            "baseline_start": getattr(link, "baseline_start", None),
            "baseline_end": getattr(link, "baseline_end", None),
        }


class CycleMeasureForm(MeasureLinkForm):
    baseline_start = forms.DateField(
        required=False, widget=DATE, label=_("Baseline start"), help_text=_("Empty: eight weeks before the cycle.")
    )
    baseline_end = forms.DateField(
        required=False, widget=DATE, label=_("Baseline end"), help_text=_("Empty: the day before the cycle starts.")
    )

    def clean(self):
        data = super().clean()
        if data.get("baseline_start") and data.get("baseline_end") and data["baseline_start"] > data["baseline_end"]:
            self.add_error("baseline_end", gettext("The baseline ends before it starts."))
        return data


class CycleForm(forms.ModelForm):
    quarter = forms.ChoiceField(
        required=False,
        label=_("Align to the benchmark calendar"),
        help_text=_("For a quarterly ROCI: fills the dates from one benchmark window to the next."),
    )

    class Meta:
        model = ImprovementCycle
        fields = [
            "kind",
            "title",
            "aim",
            "scope",
            "classroom",
            "school",
            "cadence",
            "parent",
            "quarter",
            "start",
            "end",
            "status",
            "priority",
            "practice",
            "team",
        ]
        widgets = {
            "aim": forms.Textarea(attrs={"rows": 2}),
            "start": DATE,
            "end": DATE,
            "team": forms.SelectMultiple(attrs={"size": 5}),
        }
        field_classes = {"classroom": ClassroomChoiceField}
        labels = {
            "kind": _("Kind"),
            "title": _("Title"),
            "aim": _("Aim"),
            "scope": _("Scope"),
            "classroom": _("Classroom"),
            "school": _("School"),
            "cadence": _("Cadence"),
            "start": pgettext_lazy("start date", "Start"),
            "end": pgettext_lazy("end date", "End"),
            "status": _("Status"),
            "priority": _("Priority"),
            "practice": _("Practice"),
            "team": _("Team"),
        }

    def __init__(self, *args, district: District, scopes, classrooms, schools, parents, quarters=(), **kwargs):
        """`scopes`, `classrooms` and `schools` are what the user may start a cycle for
        (districts.access.cycle_scopes, classrooms_to_run, plan_schools): the menus offer nothing
        else, except what the cycle being edited already has."""
        super().__init__(*args, **kwargs)
        current = self.instance if self.instance.pk else None
        offered = set(scopes) | ({current.scope} if current else set())
        self.fields["scope"].choices = [(v, label) for v, label in CycleScope.choices if v in offered]
        if self.initial.get("scope") not in offered:
            preferred = [CycleScope.CLASSROOM, CycleScope.DISTRICT, CycleScope.SCHOOL, CycleScope.TEACHER]
            self.initial["scope"] = next((v for v in preferred if v in offered), None)
        if current and current.classroom_id:
            classrooms = Classroom.objects.filter(Q(pk__in=classrooms.values("pk")) | Q(pk=current.classroom_id))
        if current and current.school_id:
            schools = School.objects.filter(Q(pk__in=schools.values("pk")) | Q(pk=current.school_id))
        self.quarters = {str(n): (start, end) for n, (_label, start, end) in enumerate(quarters)}
        self.fields["quarter"].choices = [("", gettext("— choose dates below —"))] + [
            (str(n), f"{label}: {date_format(start, gettext('M j'))} – {date_format(end, gettext('M j, Y'))}")
            for n, (label, start, end) in enumerate(quarters)
        ]
        if not quarters:
            del self.fields["quarter"]
        self.fields["classroom"].queryset = classrooms
        self.fields["school"].queryset = schools.order_by("name")
        if CycleScope.CLASSROOM not in offered:
            del self.fields["classroom"]  # nothing to choose: no class of their own or a coachee's
        self.fields["parent"].queryset = parents
        self.fields["parent"].label = gettext("Part of a larger cycle")
        self.fields["parent"].help_text = gettext(
            "The longer or wider cycle this one serves, e.g. a teacher's weekly PDSA inside the school's "
            "quarterly ROCI. Its charts and timeline show this cycle inside it."
        )
        self.fields["priority"].queryset = Priority.objects.filter(district=district).order_by("-school_year", "rank")
        self.fields["practice"].queryset = practices_for(district)
        self.fields["team"].queryset = User.objects.filter(memberships__district=district, is_active=True).distinct()
        self.fields["start"].required = self.fields["end"].required = False
        if not self.instance.pk:
            del self.fields["status"]

    def _post_clean(self):
        # The model's rules depend on the scope (a classroom cycle needs its classroom): judge them once
        # the scope is one of those offered, or they would name a field this user was not offered.
        if "scope" not in self._errors:
            super()._post_clean()

    def clean(self):
        data = super().clean()
        chosen = data.get("quarter")
        if chosen and chosen in self.quarters and not (data.get("start") and data.get("end")):
            data["start"], data["end"] = self.quarters[chosen]
        for name in ("start", "end"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, gettext("Give a date, or align the cycle to the benchmark calendar."))
        scope = data.get("scope")
        if scope == CycleScope.CLASSROOM and not data.get("classroom"):
            self.add_error("classroom", gettext("Choose the classroom."))
        if scope == CycleScope.SCHOOL and not data.get("school"):
            self.add_error("school", gettext("Choose the school."))
        data.pop("quarter", None)
        return data


CycleForm.base_fields["kind"].initial = CycleKind.PDSA
CycleForm.base_fields["cadence"].initial = Cadence.WEEKLY


STEP_FIELDS = {
    StepKind.GOALS: ["date", "notes"],
    StepKind.PLAN: ["date", "change_idea", "prediction", "logistics", "data_plan", "notes"],
    StepKind.DO: ["date", "notes", "surprises"],
    StepKind.STUDY: ["date", "notes"],
    StepKind.ACT: ["date", "decision", "notes"],
    StepKind.ASSESS: ["date", "notes"],
    StepKind.REFLECT: ["date", "notes"],
}
NOTE_LABELS = {
    StepKind.GOALS: _("Goals for this cycle"),
    StepKind.PLAN: _("Notes"),
    StepKind.DO: _("What happened"),
    StepKind.STUDY: _("What the data say, against the prediction"),
    StepKind.ACT: _("What you will keep, change or stop"),
    StepKind.ASSESS: _("What the results show"),
    StepKind.REFLECT: _("What to adjust next"),
}


class StepForm(forms.ModelForm):
    start_next = forms.BooleanField(
        required=False, label=_("Start the next cycle now (the plan is pre-filled from this one)")
    )

    class Meta:
        model = CycleStep
        fields = ["date", "notes", "change_idea", "prediction", "logistics", "data_plan", "surprises", "decision"]
        widgets = {
            "date": DATE,
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in ("notes", "change_idea", "prediction", "logistics", "data_plan", "surprises")
            },
            "decision": forms.RadioSelect,
        }
        labels = {
            "date": _("Date"),
            "change_idea": _("Change idea"),
            "prediction": _("Prediction"),
            "surprises": _("Surprises"),
            "decision": _("Decision"),
        }

    def __init__(self, *args, kind: str, cycle_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        keep = set(STEP_FIELDS[kind])
        is_last = kind == (StepKind.ACT if cycle_kind == CycleKind.PDSA else StepKind.REFLECT)
        if not is_last or self.instance.pk and self.instance.cycle.follow_ups.exists():
            keep.discard("start_next")
        else:
            keep.add("start_next")
        if kind == StepKind.ACT and cycle_kind == CycleKind.ROCI:
            keep.discard("decision")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "notes" in self.fields:
            self.fields["notes"].label = NOTE_LABELS[kind]
        if "decision" in self.fields:
            self.fields["decision"].required = True
            self.fields["decision"].choices = Decision.choices

    def clean(self):
        data = super().clean()
        if data.get("start_next") and data.get("decision") == Decision.ABANDON:
            self.add_error("start_next", gettext("An abandoned change idea has no next cycle; choose adapt or adopt."))
        return data


class BenchmarkWindowForm(forms.ModelForm):
    class Meta:
        model = DistrictBenchmarkWindow
        fields = ["school_year", "name", "start", "end"]
        widgets = {"start": DATE, "end": DATE}
        labels = {
            "school_year": _("School year"),
            "name": _("Name"),
            "start": pgettext_lazy("start date", "Start"),
            "end": pgettext_lazy("end date", "End"),
        }

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", gettext("The window ends before it starts."))
        return data


class CycleFilterForm(forms.Form):
    scope = forms.ChoiceField(required=False, choices=[("", _("Any scope"))] + CycleScope.choices, label=_("Scope"))
    status = forms.ChoiceField(required=False, choices=[("", _("Any status"))] + CycleStatus.choices, label=_("Status"))
    owner = forms.ChoiceField(required=False, choices=[("", _("Anyone")), ("me", _("Mine"))], label=_("Owner"))
    school_year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("School year"))

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = [("", gettext("Any year"))] + [
            (y, f"{y}–{str(y + 1)[-2:]}") for y in years
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
