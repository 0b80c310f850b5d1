"""The publication plan is the same whether PostgreSQL or Python sums the classroom-weeks into blocks.

On PostgreSQL `Plan` asks the database for one row per week and school-and-grade block; elsewhere
it sums every classroom-week itself. For every role of the disclosure audit's world and several
ranges of weeks, both paths must make the same nodes: the same totals, unseen teachers, classrooms
and reasons, at every level, every week (and so the same published figures).
"""

import pytest

from districts.models import School
from measures import publication

from .test_disclosure_audit import world  # noqa: F401 - the audit's fixture

pytestmark = pytest.mark.django_db


def _nodes(plan):
    out = {}
    for week, nodes in plan.weeks.items():
        for key, node in nodes.items():
            t = node.totals
            out[(week, key)] = (t.n_responses, t.n_answered, t.n_productive, frozenset(node.hidden), node.rooms,
                                node.reason)  # fmt: skip
    return out


def _plan(monkeypatch, in_sql: bool, **kwargs):
    with monkeypatch.context() as m:
        m.setattr(publication, "_blocks_in_sql", lambda alias: in_sql)
        plan = publication.Plan(**kwargs)
        # The school pages' classroom rows, read on demand.
        for school in School.objects.filter(district=kwargs["district"]):
            publication.school_breakdowns(None, school, kwargs["lineage"], plan=plan)
        return plan


@pytest.mark.postgres
def test_plans_from_database_blocks_equal_plans_from_classroom_rows(world, monkeypatch):  # noqa: F811
    weeks = sorted(publication.Plan(
        viewer=publication.Viewer(None, frozenset()), district=world.district, lineage=world.instrument.lineage
    ).weeks)  # fmt: skip
    ranges = [(None, None), (weeks[0], weeks[0]), (weeks[1], None), (None, weeks[-2])]
    compared = 0
    for user in world.people.values():
        viewer = publication.Viewer.of(user, world.district)
        for since, until in ranges:
            kwargs = dict(viewer=viewer, district=world.district, lineage=world.instrument.lineage, since=since,
                          until=until)  # fmt: skip
            in_sql, in_python = _plan(monkeypatch, True, **kwargs), _plan(monkeypatch, False, **kwargs)
            assert _nodes(in_sql) == _nodes(in_python), (user.email, since, until)
            compared += len(_nodes(in_sql))
    assert compared > 1000
    # The world holds withheld blocks and pooled ones, so the comparison covers the rules' branches.
    reasons = {node[5] for node in _nodes(in_python).values()}
    assert {None, publication.FEW_TEACHERS} <= reasons
