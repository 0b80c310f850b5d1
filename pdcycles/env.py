"""Environment helpers for settings: every value is parsed strictly and a bad one stops startup."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def client_address_settings(trusted_proxy_count: int) -> dict:
    """django-axes/django-ipware settings that find the client's address behind `trusted_proxy_count` proxies.

    Behind the TLS proxy every request comes from the proxy's address, so a lock on "username +
    address" would become a lock on "username" and anyone could lock anyone out. Each trusted
    proxy appends the address it saw to X-Forwarded-For (nginx: `proxy_set_header X-Forwarded-For
    $proxy_add_x_forwarded_for`), so the client is the entry `trusted_proxy_count` places from the
    right; entries further left were sent by the client itself and are ignored. With 0 proxies
    X-Forwarded-For is ignored altogether: REMOTE_ADDR is the client and cannot be spoofed.
    """
    if trusted_proxy_count <= 0:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",), "AXES_IPWARE_PROXY_COUNT": None}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        # ipware counts the proxies listed in the header; the last one is REMOTE_ADDR, not listed.
        "AXES_IPWARE_PROXY_COUNT": trusted_proxy_count - 1,
        # Not strict: entries the client added on the left must not make the header unusable.
        "IPWARE_STRICT": False,
    }
