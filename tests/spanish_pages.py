"""Helpers for the tests that read a page as a Spanish-speaking user sees it."""

import html
import re

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def visible_text(page: str) -> str:
    """The words a reader meets: the text between tags (no script or style) and the labels that
    screen readers and tooltips read out (aria-label, title, placeholder)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    labels = " ".join(m.group(2) for m in re.finditer(r'\b(aria-label|title|placeholder)="([^"]*)"', page))
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(re.sub(r"\s+", " ", f"{text} {labels}"))


def contains(text: str, phrase: str) -> bool:
    """The phrase as whole words: "Edit" is not found in "Editar"."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def spanish_page(client, url: str) -> str:
    reply = client.get(url, **SPANISH)
    assert reply.status_code == 200, (url, reply.status_code)
    page = reply.content.decode()
    assert '<html lang="es">' in page, url
    return visible_text(page)


def assert_spanish(text: str, *, spanish: tuple[str, ...], english: tuple[str, ...]) -> None:
    missing = [s for s in spanish if s not in text]
    left = [e for e in english if contains(text, e)]
    assert not missing, f"Spanish missing: {missing}"
    assert not left, f"English left on a Spanish page: {left}"
