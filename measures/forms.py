"""Forms for starting a survey, sharing results and filtering dashboards."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .instruments import student_instruments_for
from .models import Instrument
from .services import DEFAULT_OPEN_MINUTES


class StartSurveyForm(forms.Form):
    instrument = forms.ModelChoiceField(queryset=Instrument.objects.none(), empty_label=None, label=_("Instrument"))
    minutes = forms.IntegerField(
        min_value=3,
        max_value=120,
        initial=DEFAULT_OPEN_MINUTES,
        label=_("Close automatically after (minutes)"),
    )
    lesson_note = forms.CharField(
        max_length=200, required=False, label=_("Lesson or task (optional, for your own notes)")
    )

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = student_instruments_for(district)
        # The survey's name in the teacher's language, where the instrument has one.
        language = get_language()
        self.fields["instrument"].label_from_instance = lambda instrument: _versioned(instrument, language)


def _versioned(instrument: Instrument, language: str) -> str:
    name = instrument.display_name(language)
    return f"{name} (v{instrument.version})" if instrument.version > 1 else name


class SharingForm(forms.Form):
    """One checkbox per classroom and audience (coach, principal, district leaders)."""

    AUDIENCES = ("coach", "principal", "leaders")

    def __init__(self, *args, classrooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.classrooms = list(classrooms)
        for room in self.classrooms:
            for audience in self.AUDIENCES:
                self.fields[f"{audience}_{room.pk}"] = forms.BooleanField(
                    required=False, initial=getattr(room, f"share_with_{audience}")
                )

    def choices(self):
        """(classroom, {audience: bool}) for each classroom, once the form is valid."""
        return [(room, {a: self.cleaned_data[f"{a}_{room.pk}"] for a in self.AUDIENCES}) for room in self.classrooms]


class TrendFilterForm(forms.Form):
    instrument = forms.ChoiceField(required=False, widget=forms.Select(attrs={"class": "form-select"}))
    item = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=0, widget=forms.Select(attrs={"class": "form-select"})
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
