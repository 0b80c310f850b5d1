"""Django admin for PD series and sessions (staff admins). Attendance drives stipends and credit
hours, so it is searchable by person and filterable by session and method."""

from django.contrib import admin

from .models import Activity, Attendance, FacilitationEvidence, PDSeries, PDSession, SeriesGoal, SessionGoal


class SeriesGoalInline(admin.TabularInline):
    model = SeriesGoal
    extra = 0


class SessionGoalInline(admin.TabularInline):
    model = SessionGoal
    extra = 0


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fk_name = "session"
    raw_id_fields = ["builds_on_activity", "builds_on_goal"]


@admin.register(PDSeries)
class PDSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "district", "school_year"]
    list_filter = ["school_year", "district"]
    search_fields = ["title"]
    inlines = [SeriesGoalInline]


@admin.register(PDSession)
class PDSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "series", "date", "kind"]
    list_filter = ["kind", "date"]
    search_fields = ["title", "series__title"]
    raw_id_fields = ["feedback"]
    inlines = [SessionGoalInline, ActivityInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "method", "recorded_at"]
    list_filter = ["method", "session__series"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "session__title"]
    raw_id_fields = ["user", "session"]


@admin.register(FacilitationEvidence)
class FacilitationEvidenceAdmin(admin.ModelAdmin):
    list_display = ["session", "leader", "goal", "direction"]
    list_filter = ["goal", "direction"]
    raw_id_fields = ["session", "leader"]
