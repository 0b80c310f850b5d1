"""A keyboard user on the top navigation: the skip link comes first, and every link of the blue bar
shows a focus ring that can be seen on it."""

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RING = """() => {
  const s = getComputedStyle(document.activeElement);
  return {text: document.activeElement.textContent.trim(), style: s.outlineStyle,
          width: parseFloat(s.outlineWidth), color: s.outlineColor};
}"""


def test_tabbing_through_the_navigation_shows_a_white_ring_on_each_link(page, live_server, personas, shoot):
    log_in(page, live_server.url, "leader@example.org")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")
    ring = page.evaluate(RING)
    assert ring == {"text": "PD Cycles", "style": "solid", "width": 3, "color": "rgb(255, 255, 255)"}
    links = page.get_by_role("navigation", name="Main").get_by_role("link").count()
    for _ in range(links - 1):
        page.keyboard.press("Tab")
        ring = page.evaluate(RING)
        assert (ring["style"], ring["width"], ring["color"]) == ("solid", 3, "rgb(255, 255, 255)"), ring
    shoot(page, "40-keyboard-focus-on-nav")
