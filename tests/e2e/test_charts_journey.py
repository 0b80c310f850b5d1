"""A chart page on a cold cache: what it weighs, and that its charts cannot leave the site.

The live test server sends files uncompressed; production sends static files through WhiteNoise,
gzipped (tests/pdcycles/test_charts_config.py checks that), and the HTML as Django writes it. So
the budget is counted as production would send it: the page itself as sent, static files gzipped.
"""

import gzip

import pytest
from playwright.sync_api import expect

from measures import aggregation
from tests.factories import make_instrument
from tests.measures.helpers import survey_in_week

from .conftest import assert_accessible, charts_ready, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BUDGET = 600_000  # bytes, compressed, for everything a chart page loads on a cold cache


def _weigh(browser, storage_state, url):
    """Load `url` in a fresh context (empty HTTP cache) and count every response it received."""
    context = browser.new_context(storage_state=storage_state)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    wire = {}
    cdp.on("Network.loadingFinished", lambda e: wire.__setitem__(e["requestId"], e["encodedDataLength"]))
    bodies = []
    page.on("response", lambda r: bodies.append(r))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    charts = charts_ready(page)
    rows = []
    for response in bodies:
        body = response.body()
        static = "/static/" in response.url
        sent = len(gzip.compress(body, 6)) if static else len(body)
        rows.append((response.url.split("/")[-1] or "page", len(body), sent))
    return page, context, charts, rows, sum(wire.values())


def test_a_chart_page_weighs_under_budget_and_offers_no_way_off_the_site(page, browser, live_server, personas):
    instrument = make_instrument(name="Discussion check")
    for week, good in zip(range(12, 0, -1), [4, 5, 6, 5, 4, 12, 13, 14, 12, 13, 12, 14], strict=True):
        survey_in_week(personas.classroom, instrument, week, productive=good, unproductive=18 - good)
    aggregation.rebuild_all()
    base = live_server.url
    log_in(page, base, "teacher@example.org")
    state = page.context.storage_state()

    chart_page, context, charts, rows, wire = _weigh(
        browser, state, f"{base}/measures/classrooms/{personas.classroom.pk}/"
    )
    assert charts and {t for c in charts for t in c["drawn"]} == {"scatter"}
    raw = sum(r[1] for r in rows)
    sent = sum(r[2] for r in rows)
    print(f"\nclassroom trend, cold cache: {len(rows)} responses, {raw:,} bytes raw ({wire:,} on the test wire), "
          f"{sent:,} bytes as production sends them (static gzipped)")  # fmt: skip
    for name, size, compressed in sorted(rows, key=lambda r: -r[2]):
        print(f"  {name[:60]:60} {size:>10,} {compressed:>10,}")
    assert sent < BUDGET, rows
    assert any(name.startswith("plotly.min") for name, _, _ in rows)

    # The modebar: only buttons that act on the page, each labelled; none reaches plotly's cloud.
    chart = chart_page.locator("[data-figure]").first
    chart.hover()
    expect(chart.locator(".modebar-btn").first).to_be_visible()
    expect(
        chart_page.locator('[data-title*="Chart Studio"], [data-title*="cloud" i], [data-title*="Share" i]')
    ).to_have_count(0)
    expect(chart_page.locator(".modebar a[href]")).to_have_count(0)  # plotly's logo links out
    assert_accessible(chart_page)
    context.close()

    # The bar charts of one survey's results draw as bars with the same small build.
    survey = personas.classroom.administrations.order_by("-opened_at").first()
    bar_page, context, charts, rows, _ = _weigh(browser, state, f"{base}/measures/surveys/{survey.pk}/")
    assert charts and {t for c in charts for t in c["drawn"]} == {"bar"}
    print(f"one survey's results, cold cache: {sum(r[2] for r in rows):,} bytes as production sends them")
    assert sum(r[2] for r in rows) < BUDGET
    context.close()
