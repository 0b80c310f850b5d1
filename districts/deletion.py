"""Deleting a classroom, school or district, with every row other apps derived from it.

`districts` imports no other app, so the apps that keep derived rows (summaries, trend points)
register a hook in their AppConfig.ready(). Before the delete, each hook is told what is about to
go and may look up what it will need; it returns a callable that runs after the delete, in the
same transaction, to delete or rebuild its derived rows. The Django admin and the demo delete
through these functions, never with a bare `.delete()`.
"""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from .models import Classroom, District, School

AfterDelete = Callable[[], None]
Hook = Callable[..., AfterDelete | None]
_hooks: list[Hook] = []


def register(hook: Hook) -> Hook:
    """`hook(*, district_ids, school_ids, classroom_ids)` is called before a delete."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def _delete(objects: Iterable, *, district_ids=(), school_ids=(), classroom_ids=()) -> None:
    with transaction.atomic():
        after = [
            step
            for hook in _hooks
            if (
                step := hook(
                    district_ids=frozenset(district_ids),
                    school_ids=frozenset(school_ids),
                    classroom_ids=frozenset(classroom_ids),
                )
            )
            is not None
        ]
        for obj in objects:
            _delete_with_own_protected_rows(obj, district_ids=set(district_ids))
        for step in after:
            step()


def _delete_with_own_protected_rows(obj, *, district_ids: set[int]) -> None:
    """A district's own rows that protect each other (an instrument its surveys RESTRICT) go first.

    Anything protected by a row of another district stops the delete.
    """
    for _ in range(10):
        try:
            obj.delete()
            return
        except (ProtectedError, RestrictedError) as exc:
            blocking = list(getattr(exc, "protected_objects", None) or exc.restricted_objects)
            if not district_ids or any(getattr(o, "district_id", None) not in district_ids for o in blocking):
                raise
            for row in blocking:
                row.delete()
    obj.delete()


def classrooms_delete(*, classrooms: Iterable[Classroom]) -> None:
    classrooms = list(classrooms)
    _delete(classrooms, classroom_ids=[c.pk for c in classrooms])


def schools_delete(*, schools: Iterable[School]) -> None:
    schools = list(schools)
    classroom_ids = Classroom.objects.filter(school__in=schools).values_list("pk", flat=True)
    _delete(schools, school_ids=[s.pk for s in schools], classroom_ids=list(classroom_ids))


def districts_delete(*, districts: Iterable[District]) -> None:
    districts = list(districts)
    schools = School.objects.filter(district__in=districts)
    _delete(
        districts,
        district_ids=[d.pk for d in districts],
        school_ids=list(schools.values_list("pk", flat=True)),
        classroom_ids=list(Classroom.objects.filter(school__in=schools).values_list("pk", flat=True)),
    )
