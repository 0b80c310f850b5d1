"""Django admin for staff: people (the email-based user), districts, schools, classrooms, roles."""

from django import forms
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import deletion, services
from .models import Classroom, CoachAssignment, District, Membership, School, User


class DeletesThroughServiceMixin:
    """Deletes go through districts.deletion, so every derived row goes (or is rebuilt) too."""

    delete_service = None  # (keyword, function)

    def delete_model(self, request, obj):
        keyword, function = self.delete_service
        function(**{keyword: [obj]})

    def delete_queryset(self, request, queryset):
        keyword, function = self.delete_service
        function(**{keyword: list(queryset)})

    def get_deleted_objects(self, objs, request):
        # Surveys, answers and summaries are read-only in the admin (never deleted one by one), but
        # whoever may delete a classroom deletes them with it: the confirmation page still lists them.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected


class UserCreationForm(auth_forms.AdminUserCreationForm):
    """Django's admin add form (password or none, for a reset later) for the email user."""

    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"email": forms.EmailField}

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["district", "school"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role", "memberships__district"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ["groups", "user_permissions"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]

    def get_queryset(self, request):
        # The list filters on memberships; without distinct a person with two roles shows twice.
        return super().get_queryset(request).distinct()


@admin.register(District)
class DistrictAdmin(DeletesThroughServiceMixin, admin.ModelAdmin):
    delete_service = ("districts", deletion.districts_delete)
    list_display = ["name", "slug", "min_group_size", "school_year_start_month", "share_with_partners"]
    list_filter = ["share_with_partners"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        wanted = obj.min_group_size
        super().save_model(request, obj, form, change)
        if change and "min_group_size" in form.changed_data:
            # Through the service: the trends counted with the old minimum are rebuilt.
            District.objects.filter(pk=obj.pk).update(min_group_size=form.initial["min_group_size"])
            services.district_min_group_size_set(district=obj, min_group_size=wanted)


@admin.register(School)
class SchoolAdmin(DeletesThroughServiceMixin, admin.ModelAdmin):
    delete_service = ("schools", deletion.schools_delete)
    list_display = ["name", "district", "external_id"]
    list_filter = ["district"]
    search_fields = ["name", "external_id"]
    list_select_related = ["district"]


@admin.register(Classroom)
class ClassroomAdmin(DeletesThroughServiceMixin, admin.ModelAdmin):
    delete_service = ("classrooms", deletion.classrooms_delete)
    list_display = ["name", "period", "grade", "teacher", "school", "school_year", "share_with_principal"]
    list_filter = ["school_year", "school__district", "school", "share_with_principal", "share_with_leaders"]
    search_fields = ["name", "course", "teacher__email", "teacher__full_name", "school__name", "external_id"]
    list_select_related = ["teacher", "school"]
    autocomplete_fields = ["school", "teacher"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "district", "school"]
    list_filter = ["role", "district"]
    search_fields = ["user__email", "user__full_name", "school__name"]
    list_select_related = ["user", "district", "school"]
    autocomplete_fields = ["user", "district", "school"]


@admin.register(CoachAssignment)
class CoachAssignmentAdmin(admin.ModelAdmin):
    list_display = ["coach", "teacher", "school_year", "district"]
    list_filter = ["school_year", "district"]
    search_fields = ["coach__email", "coach__full_name", "teacher__email", "teacher__full_name"]
    list_select_related = ["coach", "teacher", "district"]
    autocomplete_fields = ["coach", "teacher", "district"]
