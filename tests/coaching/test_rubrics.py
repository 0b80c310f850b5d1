"""Observation rubrics: the starter rubric, district rubrics, versions that never change once used."""

import pytest
from django.core.exceptions import ValidationError

from coaching import services
from coaching.models import DimensionScore, Observation, Rubric
from coaching.services import DimensionChange

from .factories import observe, starter_rubric

pytestmark = pytest.mark.django_db


def _district_rubric(personas):
    return services.rubric_adapt(rubric=starter_rubric(), district=personas.district, name="Riverside rubric")


def _reword(rubric, *, order=1, text="Reworded level 4"):
    changes = []
    for d in rubric.dimensions.prefetch_related("levels"):
        descriptors = {lv.score: lv.descriptor for lv in d.levels.all()}
        if d.order == order:
            descriptors[4] = text
        changes.append(DimensionChange(order=d.order, name=d.name, description=d.description, descriptors=descriptors))
    return services.rubric_revise(rubric=rubric, name=rubric.name, description=rubric.description, dimensions=changes)


def test_the_starter_rubric_has_the_six_iqa_dimensions_scored_0_to_4():
    rubric = starter_rubric()
    names = list(rubric.dimensions.values_list("name", flat=True))
    assert names[0] == "Potential of the Task"
    assert names[-1] == "Accountable Talk: teacher's Press and students' Providing"
    assert len(names) == 6
    for d in rubric.dimensions.all():
        assert sorted(d.levels.values_list("score", flat=True)) == [0, 1, 2, 3, 4]
    assert "written by PD Cycles" in rubric.description
    assert rubric.district is None


def test_a_district_adapts_the_starter_into_its_own_rubric(personas):
    copy = _district_rubric(personas)
    assert copy.district == personas.district
    assert copy.lineage != starter_rubric().lineage
    assert copy.dimensions.count() == 6
    assert copy.adapted_from == starter_rubric()


def test_an_unused_rubric_changes_in_place(personas):
    rubric = _district_rubric(personas)
    saved = _reword(rubric)
    assert saved.pk == rubric.pk
    assert saved.version == 1
    assert rubric.dimensions.get(order=1).levels.get(score=4).descriptor == "Reworded level 4"


def test_a_used_rubric_version_never_changes_a_revision_is_a_new_version(personas):
    rubric = _district_rubric(personas)
    old_text = rubric.dimensions.get(order=1).levels.get(score=4).descriptor
    observation = observe(personas, rubric=rubric)

    saved = _reword(rubric)

    assert saved.pk != rubric.pk
    assert (saved.version, saved.lineage) == (2, rubric.lineage)
    rubric.refresh_from_db()
    assert not rubric.is_current and saved.is_current
    assert rubric.dimensions.get(order=1).levels.get(score=4).descriptor == old_text
    assert saved.dimensions.get(order=1).levels.get(score=4).descriptor == "Reworded level 4"
    observation.refresh_from_db()
    assert observation.rubric == rubric
    assert all(s.dimension.rubric_id == rubric.pk for s in DimensionScore.objects.filter(observation=observation))
    # A third revision of the now-used version 2 makes version 3.
    observe(personas, rubric=saved)
    assert _reword(saved, text="Again").version == 3
    assert Rubric.objects.filter(lineage=rubric.lineage, is_current=True).count() == 1


def test_the_starter_rubric_is_read_only(personas):
    with pytest.raises(ValidationError):
        _reword(starter_rubric())


def test_a_score_must_be_a_level_of_its_dimension(personas):
    dimension = starter_rubric().dimensions.first()
    with pytest.raises(ValidationError):
        observe(personas, scores={dimension.pk: (7, "")})
    assert not Observation.objects.exists()


def test_a_score_must_be_for_a_dimension_of_the_rubric(personas):
    other = _district_rubric(personas).dimensions.first()
    with pytest.raises(ValidationError):
        observe(personas, scores={other.pk: (2, "")})


def test_a_teachers_scores_over_time_follow_the_rubric_across_versions(personas, client):
    import datetime

    from coaching.selectors import teacher_scores

    rubric = _district_rubric(personas)
    dims = list(rubric.dimensions.order_by("order"))
    observe(personas, rubric=rubric, scores={dims[0].pk: (1, "")}, day=datetime.date(2026, 9, 10))
    v2 = _reword(rubric)
    v2_dims = list(v2.dimensions.order_by("order"))
    observe(personas, rubric=v2, scores={v2_dims[0].pk: (3, "")}, day=datetime.date(2026, 10, 10))

    series = teacher_scores(teacher=personas.teacher, viewer=personas.teacher)
    assert [(p[1], p[2]) for p in series.points] == [(1, 1), (1, 3)]
    # Someone who is neither the observer nor the teacher gets no series.
    assert teacher_scores(teacher=personas.teacher, viewer=personas.principal) is None


def test_only_district_leaders_adapt_and_revise_rubrics(client, personas):
    rubric = _district_rubric(personas)
    client.force_login(personas.coach)
    assert client.get(f"/coaching/rubrics/{rubric.pk}/").status_code == 200
    assert client.get(f"/coaching/rubrics/{rubric.pk}/edit/").status_code == 403
    assert client.get(f"/coaching/rubrics/{starter_rubric().pk}/adapt/").status_code == 403
    client.force_login(personas.leader)
    assert client.get(f"/coaching/rubrics/{starter_rubric().pk}/edit/").status_code == 403
    assert client.get(f"/coaching/rubrics/{rubric.pk}/edit/").status_code == 200
    client.force_login(personas.outsider_leader)
    assert client.get(f"/coaching/rubrics/{rubric.pk}/").status_code == 404


def test_a_leader_revises_a_used_rubric_through_the_page(client, personas):
    rubric = _district_rubric(personas)
    observe(personas, rubric=rubric)
    client.force_login(personas.leader)
    form = client.get(f"/coaching/rubrics/{rubric.pk}/edit/").context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["dim_2_level_3"] = "Most students did the thinking."

    response = client.post(f"/coaching/rubrics/{rubric.pk}/edit/", data)

    v2 = Rubric.objects.get(lineage=rubric.lineage, version=2)
    assert response.status_code == 302 and response.url == v2.get_absolute_url()
    assert v2.dimensions.get(order=2).levels.get(score=3).descriptor == "Most students did the thinking."
