"""Helpers for the tests that read a page as a Spanish-speaking user sees it.

Two readings of a page: `visible_text` (the words a reader meets, checked as whole words) and the
raw HTML (`raw=True` / `spanish_html`), for the checks that are about markup: a tag around a word
(">Filter<"), an attribute, the chart's JSON. English absent from the raw HTML is checked as a plain
substring (`whole_words=False`), which is stricter: it also covers attributes and scripts."""

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


def spanish_html(reply, *, status: int = 200, showing: tuple[str, ...] = ()) -> str:
    """The raw HTML of a reply to a Spanish request, after checking its status, that the page says
    it is Spanish, and that it shows each fragment of `showing` (e.g. a navigation word)."""
    assert reply.status_code == status, (reply.status_code, status)
    page = reply.content.decode()
    assert '<html lang="es">' in page
    missing = [s for s in showing if s not in page]
    assert not missing, f"Spanish missing: {missing}"
    return page


def spanish_page(client, url: str, *, status: int = 200, raw: bool = False) -> str:
    """GET `url` in Spanish: its visible text, or its raw HTML with `raw=True`."""
    page = spanish_html(client.get(url, **SPANISH), status=status)
    return page if raw else visible_text(page)


def assert_spanish(
    text: str, spanish: tuple[str, ...] | list[str], english: tuple[str, ...] | list[str], *, whole_words: bool = True
) -> None:
    """Each Spanish phrase is in `text` and no English phrase is: as whole words (for visible
    text), or anywhere at all with `whole_words=False` (for raw HTML)."""
    missing = [s for s in spanish if s not in text]
    left = [e for e in english if (contains(text, e) if whole_words else e in text)]
    assert not missing, f"Spanish missing: {missing}"
    assert not left, f"English left on a Spanish page: {left}"


def assert_spanish_html(page: str, spanish: tuple[str, ...] | list[str], english: tuple[str, ...] | list[str]) -> None:
    """`assert_spanish` on raw HTML: each English fragment absent anywhere (text, tags, attributes, JSON)."""
    assert_spanish(page, spanish, english, whole_words=False)
