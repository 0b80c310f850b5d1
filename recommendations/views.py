"""Feedback reports → findings → recommendations (uptake, implementation, factors), the yearly
feedback-cycle calendar, and the uptake dashboard with its CSV export (seed 003).

Access from districts.access (leaders change; partners see when the district shares); writes
through recommendations.services; the numbers from recommendations.uptake; figures from
recommendations.charts.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from districts import access
from districts.csv_export import csv_response
from districts.formtools import add_service_errors

from . import charts as uptake_charts
from . import importer as recommendation_import
from . import selectors, services, uptake
from .forms import FindingForm, RecommendationForm, ReportForm
from .models import FACTORS, FeedbackReport, Finding, Recommendation, Uptake
from .selectors import calendar, report_status

# --- helpers --------------------------------------------------------------------------------


def _report(request, pk, *, need="view") -> FeedbackReport:
    report = access.get_in_districts(request.user, FeedbackReport.objects.select_related("district"), pk=pk)
    access.check_recommendations(request.user, report.district_id, need=need)
    return report


def _finding(request, pk, *, need="view") -> Finding:
    finding = access.get_in_districts(
        request.user, Finding.objects.select_related("report__district"), via="report__district", pk=pk
    )
    access.check_recommendations(request.user, finding.report.district_id, need=need)
    return finding


def _recommendation(request, pk, *, need="view") -> Recommendation:
    rec = access.get_in_districts(
        request.user,
        Recommendation.objects.select_related("finding__report__district"),
        via="finding__report__district",
        pk=pk,
    )
    access.check_recommendations(request.user, rec.finding.report.district_id, need=need)
    return rec


def _year_label(year: int) -> str:
    return f"{year}–{str(year + 1)[2:]}"


# --- reports --------------------------------------------------------------------------------


@require_GET
def recommendations(request):
    district = access.current_district(request.user, request.GET.get("district"))
    access.check_recommendations(request.user, district)
    reports = list(
        FeedbackReport.objects.filter(district=district).annotate(
            n_findings=Count("findings", distinct=True), n_recs=Count("findings__recommendations", distinct=True)
        )
    )
    known = dict(
        Recommendation.objects.filter(finding__report__district=district)
        .exclude(uptake=Uptake.UNKNOWN)
        .values_list("finding__report")
        .annotate(n=Count("pk"))
    )
    for r in reports:
        r.status = report_status(r, r.n_recs, known.get(r.pk, 0))
    today = timezone.localdate()
    current = district.current_school_year()
    years = sorted({r.school_year for r in reports} | {current}, reverse=True)
    cal = [
        {
            "year": y,
            "label": _year_label(y),
            "phases": calendar(y, today),
            "reports": [r for r in reports if r.school_year == y],
        }
        for y in years
    ]
    return render(
        request,
        "recommendations/report_list.html",
        {
            "district": district,
            "reports": reports,
            "calendar": cal,
            "may_change": access.may_change_recommendations(request.user, district),
        },
    )


@require_http_methods(["GET", "POST"])
def report_add(request):
    district = access.current_district(request.user, request.GET.get("district"))
    access.check_recommendations(request.user, district, need="change")
    form = ReportForm(request.POST or None, initial={"school_year": district.current_school_year()})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(district=district, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Report added. Now add its findings."))
            return redirect(report)
    return render(request, "recommendations/report_form.html", {"form": form, "district": district})


@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = _report(request, pk, need="change")
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(report=report, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Report saved."))
            return redirect(report)
    return render(
        request, "recommendations/report_form.html", {"form": form, "report": report, "district": report.district}
    )


@require_http_methods(["GET", "POST"])
def report_delete(request, pk):
    report = _report(request, pk, need="change")
    if request.method == "POST":
        services.report_delete(report=report)
        messages.success(request, gettext("Report “%(report)s” deleted.") % {"report": report})
        return redirect("recommendations:index")
    return render(request, "recommendations/report_confirm_delete.html", {"report": report})


@require_GET
def report_detail(request, pk):
    report = _report(request, pk)
    findings = list(
        report.findings.prefetch_related(
            "recommendations__priorities", "recommendations__practices", "recommendations__cycles"
        )
    )
    return render(
        request,
        "recommendations/report_detail.html",
        {
            "report": report,
            "findings": findings,
            "factors": FACTORS,
            "may_change": access.may_change_recommendations(request.user, report.district_id),
        },
    )


# --- findings and recommendations -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def finding_add(request, pk):
    report = _report(request, pk, need="change")
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_add(report=report, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Finding added."))
            return redirect(report)
    return render(request, "recommendations/report_finding_form.html", {"form": form, "report": report})


@require_http_methods(["GET", "POST"])
def finding_edit(request, pk):
    finding = _finding(request, pk, need="change")
    form = FindingForm(request.POST or None, instance=finding)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_update(finding=finding, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Finding saved."))
            return redirect(finding.report)
    return render(
        request,
        "recommendations/report_finding_form.html",
        {"form": form, "report": finding.report, "finding": finding},
    )


@require_http_methods(["GET", "POST"])
def finding_delete(request, pk):
    finding = _finding(request, pk, need="change")
    if request.method == "POST":
        services.finding_delete(finding=finding)
        messages.success(request, gettext("Finding deleted."))
        return redirect(finding.report)
    return render(request, "recommendations/report_confirm_delete.html", {"report": finding.report, "finding": finding})


@require_http_methods(["GET", "POST"])
def recommendation_add(request, pk):
    finding = _finding(request, pk, need="change")
    form = RecommendationForm(request.POST or None, district=finding.report.district)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_add(finding=finding, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Recommendation added."))
            return redirect(finding.report)
    return render(
        request,
        "recommendations/recommendation_form.html",
        {"form": form, "finding": finding, "report": finding.report},
    )


@require_http_methods(["GET", "POST"])
def recommendation_edit(request, pk):
    rec = _recommendation(request, pk, need="change")
    report = rec.finding.report
    form = RecommendationForm(request.POST or None, instance=rec, district=report.district)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_update(recommendation=rec, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Recommendation saved."))
            return redirect(report)
    return render(
        request,
        "recommendations/recommendation_form.html",
        {"form": form, "finding": rec.finding, "report": report, "rec": rec},
    )


@require_http_methods(["GET", "POST"])
def recommendation_delete(request, pk):
    rec = _recommendation(request, pk, need="change")
    report = rec.finding.report
    if request.method == "POST":
        services.recommendation_delete(recommendation=rec)
        messages.success(request, gettext("Recommendation deleted."))
        return redirect(report)
    return render(request, "recommendations/report_confirm_delete.html", {"report": report, "rec": rec})


# --- the uptake dashboard ---------------------------------------------------------------------


def _summary(district, year: str) -> tuple[uptake.Summary, list[int]]:
    return selectors.recommendation_summary(district, int(year) if year.isdigit() else None)


@require_GET
def uptake_dashboard(request):
    district = access.current_district(request.user, request.GET.get("district"))
    access.check_recommendations(request.user, district)
    year = request.GET.get("year", "all")
    summary, years = _summary(district, year)
    charts = []
    if summary.n:
        by_year, by_area = gettext("Uptake by school year"), gettext("Uptake by area")
        charts = [
            {"id": "chart-year", "title": by_year,
             "figure": uptake_charts.stacked_spec(summary.by_year, "uptake", title=by_year)},
            {"id": "chart-area", "title": by_area,
             "figure": uptake_charts.stacked_spec(summary.by_area, "uptake", title=by_area)},
            {"id": "chart-impl", "title": gettext("Implementation among those taken up, by year"),
             "figure": uptake_charts.stacked_spec(summary.by_year, "implementation",
                                                  title=gettext("Implementation by year"))},
            {"id": "chart-f-uptake", "title": gettext("Uptake rate when a factor holds vs. not"),
             "figure": uptake_charts.factor_spec(summary.factors, "uptake", title=gettext("Taken up"))},
            {"id": "chart-f-success", "title": gettext("Successful implementation when a factor holds vs. not"),
             "figure": uptake_charts.factor_spec(summary.factors, "success",
                                                 title=gettext("Successfully implemented"))},
        ]  # fmt: skip
    return render(
        request,
        "recommendations/dashboard.html",
        {
            "district": district,
            "summary": summary,
            "charts": charts,
            "years": [(y, _year_label(y)) for y in years],
            "year": year,
            "rounding_rule": uptake.ROUNDING_RULE,
        },
    )


@require_GET
def uptake_csv(request):
    district = access.current_district(request.user, request.GET.get("district"))
    access.check_recommendations(request.user, district)
    year = request.GET.get("year", "all")
    with translation.override("en"):  # a file for spreadsheets and scripts: one language, whoever downloads it
        summary, _years = _summary(district, year)
        rows = uptake.csv_rows(summary)
    return csv_response(f"uptake-{district.slug}-{year}.csv", rows)


# --- import from a CSV ------------------------------------------------------------------------


class ImportForm(forms.Form):
    school_year = forms.TypedChoiceField(label=_("School year"), coerce=int)
    file = forms.FileField(label=_("CSV file"), help_text=_("Saved as “CSV UTF-8”; the format is below."))

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        current = district.current_school_year()
        self.fields["school_year"].choices = [(y, _year_label(y)) for y in range(current + 1, current - 10, -1)]
        self.fields["school_year"].initial = current

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > recommendation_import.MAX_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 5 MB."))
        return upload


@require_http_methods(["GET", "POST"])
def recommendation_import_view(request):
    district = access.current_district(request.user, request.GET.get("district"))
    access.check_recommendations(request.user, district, need="change")
    form = ImportForm(request.POST or None, request.FILES or None, district=district)
    result = None
    if request.method == "POST" and form.is_valid():
        result = recommendation_import.import_recommendations(
            district=district, school_year=form.cleaned_data["school_year"], data=form.cleaned_data["file"].read()
        )
        if result.ok:
            n, f = result.recommendations, result.findings
            added = ngettext("%(n)s recommendation added", "%(n)s recommendations added", n.created)
            new = ngettext("%(n)s new finding", "%(n)s new findings", f.created)
            messages.success(
                request,
                gettext("Imported into “%(report)s”: %(added)s, %(updated)s updated, %(unchanged)s unchanged; %(new)s.")
                % {
                    "report": result.report,
                    "added": added % {"n": n.created},
                    "updated": n.updated,
                    "unchanged": n.unchanged,
                    "new": new % {"n": f.created},
                },
            )
            return redirect(result.report)
    return render(
        request,
        "recommendations/import.html",
        {"form": form, "district": district, "result": result, "columns": recommendation_import.COLUMNS},
    )
