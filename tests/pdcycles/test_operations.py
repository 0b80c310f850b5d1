"""/healthz, the error pages in the app's look, and Cache-Control on every signed-in page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.template.loader import render_to_string

from pdcycles import health

pytestmark = pytest.mark.django_db


class TestHealthz:
    def test_it_answers_ok_without_a_login(self, client):
        reply = client.get("/healthz")
        assert reply.status_code == 200
        assert reply.content == b"ok\n"
        assert "no-store" in reply["Cache-Control"]

    def test_it_answers_503_without_details_when_a_service_is_down(self, client, monkeypatch, caplog):
        def down():
            raise OperationalError("connection refused by 10.0.0.5")

        monkeypatch.setitem(health.CHECKS, "database", down)
        reply = client.get("/healthz")
        assert reply.status_code == 503
        assert reply.content == b"unavailable\n"
        assert "database unavailable" in caplog.text  # the operator reads which one in the log

    def test_it_checks_a_real_broker(self, client, settings):
        settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
        assert client.get("/healthz").status_code == 503


class TestErrorPages:
    @pytest.fixture(autouse=True)
    def production(self, settings):
        settings.DEBUG = False

    def test_404_is_in_the_layout(self, client, personas):
        client.force_login(personas.teacher)
        reply = client.get("/no/such/page/")
        assert reply.status_code == 404
        page = reply.content.decode()
        assert "Page not found" in page and 'class="navbar' in page and "Measures" in page

    def test_404_for_an_anonymous_caller_is_in_the_layout(self, client):
        reply = client.get("/s/no/such/")
        assert reply.status_code == 404
        assert "navbar" in reply.content.decode()

    def test_403_is_in_the_layout(self, client, personas, monkeypatch):
        from districts import access

        def refuse(user, *args, **kwargs):
            raise PermissionDenied("no")

        monkeypatch.setattr(access, "classrooms_with_results", refuse)
        client.force_login(personas.teacher)
        reply = client.get("/measures/")
        assert reply.status_code == 403
        page = reply.content.decode()
        assert "You may not do this" in page and 'class="navbar' in page

    def test_500_and_503_render_without_a_request_or_database(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            for name, words in (("500.html", "Something went wrong"), ("503.html", "briefly unavailable")):
                page = render_to_string(name)
                assert words in page and "bootstrap.min.css" in page

    def test_a_lost_database_on_a_staff_page_answers_503_with_retry_after(self, client, personas, monkeypatch):
        from districts import access

        def lost(user, *args, **kwargs):
            raise OperationalError("server closed the connection unexpectedly")

        monkeypatch.setattr(access, "classrooms_with_results", lost)
        client.force_login(personas.teacher)
        client.raise_request_exception = False
        reply = client.get("/measures/")
        assert reply.status_code == 503
        assert reply["Retry-After"] == "30"
        assert "briefly unavailable" in reply.content.decode()


class TestCacheControl:
    PAGES = ["/", "/measures/", "/people/", "/cycles/", "/coaching/", "/accounts/password_change/"]

    def test_every_signed_in_page_is_private_and_not_stored(self, client, personas):
        client.force_login(personas.leader)
        for url in self.PAGES:
            reply = client.get(url)
            assert reply.status_code in (200, 302), url
            directives = {d.strip() for d in reply["Cache-Control"].split(",")}
            assert {"private", "no-store"} <= directives, url

    def test_a_refusal_to_a_signed_in_person_is_not_stored_either(self, client, personas):
        client.force_login(personas.teacher)
        reply = client.get("/people/")
        assert reply.status_code in (403, 404)
        assert "no-store" in reply["Cache-Control"]

    def test_anonymous_pages_and_static_files_are_left_alone(self, client):
        assert "private" not in client.get("/s/").get("Cache-Control", "")
        static = client.get("/static/css/app.css")
        assert static.status_code == 200
        assert "no-store" not in static.get("Cache-Control", "")
