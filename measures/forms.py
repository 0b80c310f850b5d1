"""Forms for starting a survey, sharing results and filtering dashboards."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from districts.models import MAX_STUDENTS_PER_CLASS

from .instruments import instrument_labels, student_instruments_for
from .models import Instrument
from .services import DEFAULT_OPEN_MINUTES


class InstrumentChoiceField(forms.ModelChoiceField):
    """Instruments by name; a starter and a district's copy of the same name say whose each is."""

    labels: dict[int, str] = {}

    def label_from_instance(self, obj) -> str:
        return self.labels.get(obj.pk, obj.name)


class StartSurveyForm(forms.Form):
    instrument = InstrumentChoiceField(queryset=Instrument.objects.none(), empty_label=None, label=_("Instrument"))
    minutes = forms.IntegerField(
        min_value=3,
        max_value=120,
        initial=DEFAULT_OPEN_MINUTES,
        label=_("Close automatically after (minutes)"),
    )
    lesson_note = forms.CharField(
        max_length=200, required=False, label=_("Lesson or task (optional, for your own notes)")
    )

    def __init__(self, *args, district, default=None, continues=False, **kwargs):
        """`default`: the instrument pre-selected (measures.instruments.default_student_instrument);
        `continues`: it is the one the class answered last."""
        super().__init__(*args, **kwargs)
        field = self.fields["instrument"]
        field.queryset = student_instruments_for(district)
        field.labels = instrument_labels(field.queryset, get_language() or "en")
        if default is not None:
            self.initial.setdefault("instrument", default.pk)
            field.help_text = (
                _("The survey this class answered last: keep it and the class's run chart continues.")
                if continues
                else _("The survey with the most weeks of data in your district.")
            )


class SharingForm(forms.Form):
    """One checkbox per classroom and audience (coach, principal, district leaders), and the number
    of students in each classroom (optional: surveys warn when more responses arrive)."""

    AUDIENCES = ("coach", "principal", "leaders")

    def __init__(self, *args, classrooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.classrooms = list(classrooms)
        for room in self.classrooms:
            for audience in self.AUDIENCES:
                self.fields[f"{audience}_{room.pk}"] = forms.BooleanField(
                    required=False, initial=getattr(room, f"share_with_{audience}")
                )
            self.fields[f"students_{room.pk}"] = forms.IntegerField(
                required=False, min_value=1, max_value=MAX_STUDENTS_PER_CLASS, initial=room.student_count
            )

    def choices(self):
        """(classroom, {audience: bool}) for each classroom, once the form is valid."""
        return [(room, {a: self.cleaned_data[f"{a}_{room.pk}"] for a in self.AUDIENCES}) for room in self.classrooms]

    def student_counts(self):
        """(classroom, number of students or None) for each classroom, once the form is valid."""
        return [(room, self.cleaned_data[f"students_{room.pk}"]) for room in self.classrooms]

    def students_field(self, room):
        return self[f"students_{room.pk}"]


class TrendFilterForm(forms.Form):
    instrument = forms.ChoiceField(
        required=False, label=_("Instrument"), widget=forms.Select(attrs={"class": "form-select"})
    )
    item = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=0, label=_("Item"), widget=forms.Select(attrs={"class": "form-select"})
    )
    since = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}), label=_("From")
    )
    until = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}), label=_("To")
    )

    def __init__(self, *args, instruments, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(str(i.lineage), i.display_name(get_language())) for i in instruments]
        self.fields["item"].choices = [(0, _("Overall index (all items)"))] + [
            (order, f"{order}. {label}") for order, label in items
        ]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data
