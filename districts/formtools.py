"""Small helpers shared by every app's views and forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form that collected the input: errors named after a
    field go beside it, the rest at the top. The form re-displays with everything typed kept."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- classrooms in forms ----------------------------------------------------------------------
# Several classrooms share a name ("Math 7B, period 7" in three schools): wherever one is chosen
# or listed it carries its teacher, and a select groups the classrooms by school.


def classroom_label(classroom) -> str:
    """'Math 7B, period 7 — Ms Diallo': the classroom with its teacher (select_related("teacher"))."""
    return f"{classroom} — {classroom.teacher}"


def grouped_by_school(classrooms, *, value=lambda room: room.pk, label=classroom_label) -> list:
    """Choices for a select: one optgroup per school (by name), classrooms in the model's order within
    it. `classrooms` should select_related("school", "teacher")."""
    groups: dict[str, list] = {}
    for room in sorted(classrooms, key=lambda r: (r.school.name, r.school_id)):
        groups.setdefault(room.school.name, []).append((value(room), label(room)))
    return list(groups.items())


class _GroupedClassrooms(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset.select_related("school", "teacher").order_by(
            "school__name", "teacher__full_name", "period", "name", "pk"
        )
        yield from grouped_by_school(
            queryset, value=lambda room: self.choice(room)[0], label=self.field.label_from_instance
        )

    def __len__(self):
        return len(list(iter(self)))


class ClassroomChoiceField(forms.ModelChoiceField):
    """A classroom select that tells same-named classrooms apart: teacher in the label, grouped by school."""

    iterator = _GroupedClassrooms

    def label_from_instance(self, obj) -> str:
        return classroom_label(obj)
