"""Forms for feedback reports, findings and recommendations (uptake, implementation, factors).

Forms clean input only (a ModelForm also runs the model's own checks, such as FeedbackReport.clean);
the views hand `cleaned_data` to recommendations.services, which validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cycles.models import ImprovementCycle, Priority
from cycles.selectors import practices_for
from districts.models import District

from .models import (
    FACTORS,
    FeedbackReport,
    Finding,
    Recommendation,
)


class ReportForm(forms.ModelForm):
    document_url = forms.URLField(label=_("Link to the report"), required=False, assume_scheme="https")

    class Meta:
        model = FeedbackReport
        fields = ["title", "school_year", "authors", "delivered_on", "meeting_on", "document_url"]
        widgets = {
            "delivered_on": forms.DateInput(attrs={"type": "date"}),
            "meeting_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "title": _("Title"),
            "school_year": _("School year"),
            "authors": _("Authors"),
            "delivered_on": _("Delivered on"),
        }


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["text", "evidence"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "evidence": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("Finding"), "evidence": _("Evidence")}


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = [
            "text",
            "area",
            "responsible_unit",
            "senior_leader",
            "uptake",
            "uptake_evidence",
            "implementation",
            "implementation_evidence",
            *FACTORS,
            "priorities",
            "practices",
            "cycles",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "uptake_evidence": forms.Textarea(attrs={"rows": 2}),
            "implementation_evidence": forms.Textarea(attrs={"rows": 2}),
            "priorities": forms.SelectMultiple(attrs={"size": 5}),
            "practices": forms.CheckboxSelectMultiple,  # every option readable; no Ctrl-click
            "cycles": forms.SelectMultiple(attrs={"size": 5}),
        }
        labels = {
            "text": _("Recommendation"),
            "area": _("Area"),
            "uptake": _("Uptake"),
            "implementation": _("Implementation"),
            "implementation_evidence": _("Implementation evidence"),
            "priorities": _("Priorities"),
            "practices": _("Practices"),
            "cycles": _("Improvement cycles"),
        }

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = Priority.objects.filter(district=district)
        self.fields["practices"].queryset = practices_for(district)
        self.fields["cycles"].queryset = ImprovementCycle.objects.filter(
            district=district, scope__in=["school", "district", "network"]
        )
        for name in ("priorities", "cycles"):
            self.fields[name].help_text = gettext("What carries it out (Ctrl/⌘ for several).")
        self.fields["practices"].help_text = gettext("What carries it out: tick every practice that applies.")
        for name in FACTORS:
            self.fields[name].widget = forms.RadioSelect(choices=self.fields[name].choices)
            self.fields[name].required = False
