"""Property: whatever bytes a roster CSV holds, the import never crashes, and a refused file writes nothing."""

import csv
import io

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from districts import roster
from districts.models import Classroom, Membership, School, User

pytestmark = pytest.mark.django_db

HEADER = ["school", "teacher_email", "teacher_name", "classroom", "grade", "period"]
# Text a careless or hostile file may hold: NUL and other control characters, formulas, long cells.
cell = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "Adams Middle", "ana@example.org", '=HYPERLINK("x")', "a\x00b", "\ufeff", "x" * 300]),
)
row = st.lists(cell, min_size=0, max_size=8)


def _csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _counts():
    return (School.objects.count(), Classroom.objects.count(), User.objects.count(), Membership.objects.count())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, max_size=6), header=st.booleans(), raw=st.binary(max_size=200))
# A valid row but for a NUL byte (PostgreSQL refuses NUL in text: it must be a row error, not a 500).
@example(rows=[["Adams Middle", "nul@example.org", "Ana\x00 Ruiz", "Math\x00 7", "7", "1"]], header=True, raw=b"\x00")
def test_any_simple_roster_is_imported_whole_or_refused_whole(personas, rows, header, raw):
    text = _csv(([HEADER] if header else []) + rows)
    for files in ({"roster.csv": text}, {"roster.csv": raw}):
        before = _counts()
        result = roster.import_roster(district=personas.district, files=files, school_year=2026)
        if not result.ok:
            assert result.errors and _counts() == before


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    orgs=st.lists(row, max_size=4),
    users=st.lists(row, max_size=4),
    classes=st.lists(row, max_size=4),
    enrollments=st.lists(row, max_size=4),
)
def test_any_oneroster_bundle_is_imported_whole_or_refused_whole(personas, orgs, users, classes, enrollments):
    files = {
        "orgs.csv": _csv([["sourcedId", "name", "type"], *orgs]),
        "users.csv": _csv([["sourcedId", "email", "givenName", "familyName", "role"], *users]),
        "classes.csv": _csv([["sourcedId", "title", "schoolSourcedId", "grades"], *classes]),
        "enrollments.csv": _csv([["classSourcedId", "userSourcedId", "role"], *enrollments]),
    }
    before = _counts()
    result = roster.import_roster(district=personas.district, files=files, school_year=2026)
    if not result.ok:
        assert result.errors and _counts() == before
