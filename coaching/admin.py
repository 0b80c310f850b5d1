from django.contrib import admin

from .models import (
    CoachingCycle,
    CoachingEvent,
    DimensionScore,
    GroupSession,
    Observation,
    Rubric,
    RubricDimension,
    RubricLevel,
)


class EventInline(admin.StackedInline):
    model = CoachingEvent
    extra = 0
    filter_horizontal = ("administrations", "observations")


@admin.register(CoachingCycle)
class CoachingCycleAdmin(admin.ModelAdmin):
    list_display = ("teacher", "coach", "focus_practice", "status", "started_on", "school")
    list_filter = ("status", "school_year", "district")
    search_fields = ("teacher__full_name", "coach__full_name", "focus_practice")
    raw_id_fields = ("teacher", "coach", "classroom", "started_from_administration", "started_from_observation")
    inlines = [EventInline]


@admin.register(GroupSession)
class GroupSessionAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "school", "coach")
    list_filter = ("kind", "district")
    filter_horizontal = ("attendees",)


class LevelInline(admin.TabularInline):
    model = RubricLevel
    extra = 0


@admin.register(RubricDimension)
class RubricDimensionAdmin(admin.ModelAdmin):
    list_display = ("rubric", "order", "name")
    inlines = [LevelInline]


class DimensionInline(admin.TabularInline):
    model = RubricDimension
    extra = 0
    show_change_link = True


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "district", "is_current")
    list_filter = ("district", "is_current")
    inlines = [DimensionInline]


class ScoreInline(admin.TabularInline):
    model = DimensionScore
    extra = 0


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ("observed_on", "teacher", "observer", "rubric")
    list_filter = ("district", "subject")
    raw_id_fields = ("teacher", "observer", "classroom", "cycle")
    inlines = [ScoreInline]
