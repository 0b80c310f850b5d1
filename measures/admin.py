"""Django admin for practical measures (staff admins).

Responses and every summary table are read-only here: responses are students' anonymous answers,
and summaries are written only by `measures.aggregation`. Submission tokens are never shown.
"""

from django.contrib import admin

from .deletion import administrations_delete
from .models import (
    AdaptationLog,
    Administration,
    AdministrationSummary,
    Answer,
    Instrument,
    Item,
    ItemSummary,
    Option,
    Response,
    RetentionRun,
    TrendPoint,
)


class ReadOnlyAdminMixin:
    """Viewable, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(admin.TabularInline):
    model = Item
    fields = ["order", "prompt_en", "texts", "kind", "required"]
    extra = 0
    show_change_link = True


class OptionInline(admin.TabularInline):
    model = Option
    fields = ["order", "label_en", "texts", "value", "productive"]
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "district", "kind", "audience", "is_current", "created_at"]
    list_filter = ["kind", "audience", "is_current", ("district", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "lineage"]
    list_select_related = ["district"]
    raw_id_fields = ["adapted_from"]
    readonly_fields = ["lineage", "created_at"]
    inlines = [ItemInline]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "instrument", "kind", "required"]
    list_filter = ["kind"]
    search_fields = ["prompt_en", "instrument__name"]
    list_select_related = ["instrument"]
    raw_id_fields = ["instrument"]
    inlines = [OptionInline]


@admin.register(AdaptationLog)
class AdaptationLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["instrument", "changed_by", "changed_at"]
    search_fields = ["instrument__name", "what", "why"]
    list_select_related = ["instrument", "changed_by"]
    date_hierarchy = "changed_at"


@admin.register(Administration)
class AdministrationAdmin(admin.ModelAdmin):
    list_display = ["code", "instrument", "classroom", "school", "district", "opened_at", "closes_at", "closed_at"]
    list_filter = [("district", admin.RelatedOnlyFieldListFilter), "instrument__kind", "week"]
    search_fields = ["code"]
    list_select_related = ["instrument", "classroom", "school", "district"]
    raw_id_fields = ["district", "school", "classroom", "instrument", "opened_by"]
    date_hierarchy = "opened_at"

    # Through measures.deletion: the trend points the survey fed are rebuilt without it.
    def delete_model(self, request, obj):
        administrations_delete(administrations=[obj])

    def delete_queryset(self, request, queryset):
        administrations_delete(administrations=list(queryset))

    def get_deleted_objects(self, objs, request):
        # Responses and summaries are read-only one by one, but go with their survey.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected


class AnswerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Answer
    fk_name = "response"
    fields = ["item", "option", "text"]
    readonly_fields = fields


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # No token or fingerprint anywhere: they only stop double counting and mean nothing to a person.
    list_display = ["pk", "administration", "language", "submitted_at"]
    list_filter = ["language"]
    search_fields = ["administration__code"]
    list_select_related = ["administration__instrument", "administration__classroom"]
    fields = ["administration", "language", "submitted_at"]
    readonly_fields = fields
    date_hierarchy = "submitted_at"
    inlines = [AnswerInline]


@admin.register(AdministrationSummary)
class AdministrationSummaryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["administration", "n_responses", "last_response_at", "refreshed_at"]
    list_select_related = ["administration__instrument", "administration__classroom"]
    search_fields = ["administration__code"]


@admin.register(ItemSummary)
class ItemSummaryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["administration", "item", "n_answered", "n_productive"]
    list_select_related = ["administration__instrument", "administration__classroom", "item"]
    search_fields = ["administration__code"]


@admin.register(TrendPoint)
class TrendPointAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["scope", "scope_id", "lineage", "item_order", "week", "n_responses", "n_answered", "n_productive"]
    list_filter = ["scope", ("district", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "week"


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "district",
        "ran_at",
        "school_years",
        "kept_from",
        "surveys",
        "responses_deleted",
        "answers_deleted",
    ]
    list_filter = ["district"]
    date_hierarchy = "ran_at"
