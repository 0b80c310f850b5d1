"""Django admin for the cycles app (staff admins)."""

from django.contrib import admin

from .models import (
    CycleMeasure,
    CycleStep,
    DistrictBenchmarkWindow,
    FiveWhy,
    ImprovementCycle,
    LogicArrow,
    LogicElement,
    LogicModel,
    OutcomeMeasure,
    Practice,
    Priority,
)


class FiveWhyInline(admin.TabularInline):
    model = FiveWhy
    extra = 0


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "district", "school", "school_year", "rank", "status"]
    list_filter = ["status", "school_year", "district"]
    search_fields = ["title", "problem_of_practice"]
    inlines = [FiveWhyInline]
    filter_horizontal = ["practices"]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "source", "district", "grade_band"]
    list_filter = ["source"]
    search_fields = ["code", "title", "guide"]


class LogicElementInline(admin.TabularInline):
    model = LogicElement
    extra = 0


@admin.register(LogicModel)
class LogicModelAdmin(admin.ModelAdmin):
    list_display = ["priority", "updated_at"]
    inlines = [LogicElementInline]


class CycleStepInline(admin.StackedInline):
    model = CycleStep
    extra = 0


class CycleMeasureInline(admin.StackedInline):
    model = CycleMeasure
    extra = 0


@admin.register(ImprovementCycle)
class ImprovementCycleAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "scope", "district", "owner", "start", "end", "status"]
    list_filter = ["kind", "scope", "status", "school_year"]
    search_fields = ["title", "aim"]
    raw_id_fields = ["parent", "previous", "classroom", "owner"]
    inlines = [CycleMeasureInline, CycleStepInline]


admin.site.register(LogicArrow)
admin.site.register(OutcomeMeasure)
admin.site.register(DistrictBenchmarkWindow)
