"""The URL inventory: every route has an entry saying who may reach it, and the sign-in wall holds
for every route that is not public."""

import re

import pytest
from django.urls import reverse

from .url_inventory import ANON, ROUTES, project_routes

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _sample_url(name: str, pattern: str) -> str:
    kwargs = {}
    for converter, arg in CONVERTER.findall(pattern):
        kwargs[arg] = 999_999 if converter == "int" else "ABCDEF"
    return reverse(name, kwargs=kwargs)


def test_every_route_has_an_inventory_entry_and_every_entry_a_route():
    routes = set(project_routes())
    assert routes - set(ROUTES) == set(), "add these routes to tests/pdcycles/url_inventory.py"
    assert set(ROUTES) - routes == set(), "these inventory entries name no route any more"


@pytest.mark.parametrize("name", sorted(n for n, who in ROUTES.items() if who != ANON))
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, name):
    url = _sample_url(name, project_routes()[name])
    response = client.get(url)
    assert response.status_code == 302, url
    assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("name", sorted(n for n, who in ROUTES.items() if who == ANON))
def test_public_routes_answer_without_sign_in(client, name):
    url = _sample_url(name, project_routes()[name])
    response = client.get(url)
    assert not (response.status_code == 302 and response["Location"].startswith(reverse("login"))), url
    assert response.status_code < 500, url
