"""The Five Whys page: every field has a label of its own (two fields both called "Why?" cannot be
told apart by a screen reader or by voice control)."""

import re
from collections import Counter

import pytest

from cycles import services

from .factories import PriorityFactory

pytestmark = pytest.mark.django_db


def test_each_why_field_on_the_page_has_its_own_label(client, personas):
    priority = PriorityFactory(district=personas.district)
    for n in range(1, 3):
        services.why_add(priority=priority, why=f"Why {n}", because=f"Because {n}")
    client.force_login(personas.leader)
    html = client.get(priority.get_absolute_url()).content.decode()

    labels = [
        re.sub(r"<[^>]+>|\s+|\*", " ", label).strip() for label in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    ]
    why_labels = [label for label in labels if label.startswith(("Why", "Because"))]
    assert {"Why 1?", "Because 1…", "Why 2?", "Because 2…", "Why?", "Because…"} <= set(why_labels)
    assert [label for label, n in Counter(why_labels).items() if n > 1] == []
