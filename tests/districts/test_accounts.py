"""Login, throttling by username + address, password reset and change."""

import re

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client, personas):
    assert client.get("/").status_code == 302
    assert client.get("/people/")["Location"].startswith("/accounts/login/")


def test_a_person_logs_in_with_email_and_password(client, personas):
    reply = client.post("/accounts/login/", {"username": "teacher@example.org", "password": "pass-word-123"})
    assert reply.status_code == 302
    assert "Welcome" in client.get("/").content.decode()


def test_repeated_failures_lock_one_username_not_the_whole_school(personas, settings):
    settings.AXES_FAILURE_LIMIT = 3
    shared_ip = {"REMOTE_ADDR": "10.1.2.3"}
    attacker = Client(**shared_ip)
    for _ in range(3):
        attacker.post("/accounts/login/", {"username": "teacher@example.org", "password": "wrong"}, **shared_ip)
    locked = attacker.post(
        "/accounts/login/", {"username": "teacher@example.org", "password": "pass-word-123"}, **shared_ip
    )
    assert locked.status_code in (403, 429)
    colleague = Client()
    ok = colleague.post("/accounts/login/", {"username": "coach@example.org", "password": "pass-word-123"}, **shared_ip)
    assert ok.status_code == 302


def test_a_password_reset_mails_a_working_link(client, personas):
    client.post("/accounts/password_reset/", {"email": "teacher@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "a-new-pass-9876", "new_password2": "a-new-pass-9876"}
    )
    assert done.status_code == 302
    assert (
        client.post("/accounts/login/", {"username": "teacher@example.org", "password": "a-new-pass-9876"}).status_code
        == 302
    )


def test_the_password_change_page_renders_in_the_app_layout(client, personas):
    client.force_login(personas.teacher)
    page = client.get("/accounts/password_change/").content.decode()
    assert "Change your password" in page and "PD Cycles" in page
