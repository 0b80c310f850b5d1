"""The practice library ships in a data migration: NCTM's eight practices and the verified WWC
recommendations, and nothing marked unverified."""

import importlib

import pytest
from django.apps import apps

from cycles.models import Practice, PracticeSource

pytestmark = pytest.mark.django_db


def test_the_eight_nctm_practices_ship_in_order():
    nctm = Practice.objects.filter(district=None, source=PracticeSource.NCTM).order_by("order")
    assert [p.code for p in nctm] == [f"NCTM {n}" for n in range(1, 9)]
    assert nctm[3].title == "Facilitate meaningful mathematical discourse"


def test_only_verified_wwc_recommendations_ship():
    wwc = Practice.objects.filter(district=None, source=PracticeSource.WWC)
    assert wwc.count() == 21  # 3 + 8 + 5 + 5 verified recommendations in four guides
    assert not wwc.filter(guide__contains="WWC 2021006").exists()  # every one of its entries is unverified
    problem_solving = wwc.get(code="NCEE 2012-4055 · 3")
    assert problem_solving.title == "Teach students how to use visual representations."
    assert problem_solving.grade_band == "4-8"


def test_the_migration_reverses_and_reapplies():
    # The data migration's own functions, on the live app registry: no schema change is involved, so
    # this runs inside the test's transaction (a transactional test would flush the shipped rows).
    migration = importlib.import_module("cycles.migrations.0002_practice_library")
    own = _own_practice()
    migration.unship(apps, None)
    assert list(Practice.objects.values_list("code", flat=True)) == [own.code]  # a district's own stays
    migration.ship(apps, None)
    migration.ship(apps, None)  # idempotent
    assert Practice.objects.filter(district=None).count() == 29


def _own_practice():
    from tests.factories import DistrictFactory

    district = DistrictFactory()
    return Practice.objects.create(district=district, source=PracticeSource.DISTRICT, code="OWN 1", title="Ours")
