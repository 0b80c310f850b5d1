"""The login lock is per username + client address, and the address survives the TLS proxy."""

import pytest
from django.test import Client

from pdcycles.env import client_address_settings

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # the TLS proxy: every request reaches gunicorn from here
LOGIN = "/accounts/login/"


def _fail(client, times, **meta):
    for _ in range(times):
        client.post(LOGIN, {"username": "leader@example.org", "password": "wrong"}, REMOTE_ADDR=PROXY, **meta)


def _login(**meta):
    return Client().post(
        LOGIN, {"username": "leader@example.org", "password": "pass-word-123"}, REMOTE_ADDR=PROXY, **meta
    )


@pytest.fixture
def behind_one_proxy(settings):
    for name, value in client_address_settings(1).items():
        setattr(settings, name, value)
    settings.AXES_FAILURE_LIMIT = 3


def test_locking_one_client_behind_the_proxy_does_not_lock_another(personas, behind_one_proxy):
    attacker = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    _fail(Client(), 3, **attacker)
    assert _login(**attacker).status_code == 429
    # The leader, behind the same proxy, signs in.
    assert _login(HTTP_X_FORWARDED_FOR="203.0.113.20").status_code == 302


def test_a_client_cannot_pose_as_another_by_sending_the_header_itself(personas, behind_one_proxy):
    # The attacker sends "X-Forwarded-For: <the leader's address>"; the proxy appends the real one.
    _fail(Client(), 3, HTTP_X_FORWARDED_FOR="203.0.113.20, 198.51.100.7")
    assert _login(HTTP_X_FORWARDED_FOR="203.0.113.20").status_code == 302
    assert _login(HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7").status_code == 429


def test_without_proxy_settings_the_header_is_ignored(personas, settings):
    for name, value in client_address_settings(0).items():
        setattr(settings, name, value)
    settings.AXES_FAILURE_LIMIT = 3
    # Varying the header does not give an attacker fresh addresses to guess from …
    for n in range(3):
        _fail(Client(), 1, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    locked = Client().post(
        LOGIN,
        {"username": "leader@example.org", "password": "pass-word-123"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    # … and the lock is still on username + address: another address signs in.
    assert (
        Client()
        .post(LOGIN, {"username": "leader@example.org", "password": "pass-word-123"}, REMOTE_ADDR="10.9.9.9")
        .status_code
        == 302
    )
