"""Django admin for feedback reports, findings and recommendations (staff admins)."""

from django.contrib import admin

from .models import FeedbackReport, Finding, Recommendation


class FindingInline(admin.StackedInline):
    model = Finding
    extra = 0


@admin.register(FeedbackReport)
class FeedbackReportAdmin(admin.ModelAdmin):
    list_display = ["title", "district", "school_year", "delivered_on"]
    list_filter = ["school_year", "district"]
    search_fields = ["title", "authors"]
    inlines = [FindingInline]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "report"]
    search_fields = ["text"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "area", "uptake", "implementation"]
    list_filter = ["area", "uptake", "implementation"]
    search_fields = ["text"]
    filter_horizontal = ["priorities", "practices", "cycles"]
