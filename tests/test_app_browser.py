"""The app end to end: `smile app` as a real Streamlit server on loopback, driven by
headless Chromium (Debian's package, through Playwright), on a generated company's real
publication (`smile generate`'s default, shared with test_pipeline). Every page must render
without an error element and draw its charts; screenshots land in test-output/screenshots/
for people to look at."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import free_port, wait_until_serving
from time_to_smile.settings import PROJECT_ROOT, VENV_BIN

SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
BARS, FLOWS, MARKERS = ".js-plotly-plot g.point path", ".js-plotly-plot path.sankey-link", ".js-plotly-plot g.points path.point"
HEATMAP = ".js-plotly-plot g.hm image"
# url path -> the page's title, and the SVG shapes its chart draws from data (not an empty frame)
PAGES = {"": ("Overview", BARS), "where_the_time_goes": ("Where the time goes", BARS), "handoffs": ("Handoffs", FLOWS),
         "lifecycle": ("Lifecycle", HEATMAP), "voice": ("Voice of the customer", BARS), "retention": ("Retention", BARS),
         "engineering": ("Engineering: the bug stack rank", BARS), "one_pager": ("Weekly one-pager", MARKERS),
         "at_risk": ("At risk now", MARKERS)}
# The metric tiles' texts (labels, values) that overflow a box drawing an ellipsis ("Median Time to S...").
CUT_SHORT_LABELS = """() => [...document.querySelectorAll('[data-testid="stMetric"] *')]
    .filter(e => getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.textContent)"""
# The metric tiles' values: a number, or why there is none ("too few", "not reached", "none"), never "n/a"
TILE_VALUES = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')].map(e => e.textContent.trim())"""
# How tall the page's content is: Streamlit scrolls inside its own container, so a "full page"
# screenshot of a short window shows only the window; the window is made as tall as the content
CONTENT_HEIGHT = """() => Math.ceil(Math.max(...[...document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementContainer"]')]
    .map(e => e.getBoundingClientRect().bottom)))"""
# Streamlit shows a status widget while the script runs and skeletons for elements still to come
STILL_RENDERING = "() => !document.querySelector('[data-testid=\"stStatusWidget\"], [data-testid=\"stSkeleton\"]')"


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Debian's chromium is not installed: `make test` installs it (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def app_url(generated_company, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("app") / "app.log"
    with open(log, "w") as out:
        home = generated_company[0] / "home"
        server = subprocess.Popen([str(VENV_BIN / "smile"), "app", "--home", str(home), "--port", str(port)],
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, server, log, timeout=60)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_in_a_real_browser(app_url, browser, path):
    title, chart_shapes = PAGES[path]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{app_url}/{path}")
        page.get_by_role("heading", name=title).first.wait_for(timeout=30_000)
        page.locator(f"{chart_shapes} >> visible=true").first.wait_for(timeout=30_000)  # a zero-height bar is hidden
        page.wait_for_function(STILL_RENDERING, timeout=30_000)
        page.wait_for_timeout(500)  # let the charts' transitions finish before the picture
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Data quality:").count() == 1  # the badge is on every page
        # a product for leaders, not a developer's tool: no "Deploy" button, no developer menu
        assert page.get_by_role("button", name="Deploy").count() == 0
        # no tile label cut short with an ellipsis ("Median Time to S...")
        assert page.evaluate(CUT_SHORT_LABELS) == []
        # every tile holds a number or says why it has none; the demo's headline tiles hold numbers
        values = page.evaluate(TILE_VALUES)
        assert "n/a" not in values
        if path in ("", "one_pager"):
            assert values[0][0].isdigit(), values  # the median Time to Smile of a week with its cases
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{path or 'overview'}.png"
        page.set_viewport_size({"width": 1400, "height": max(1000, page.evaluate(CONTENT_HEIGHT) + 40)})
        page.wait_for_timeout(800)  # the charts redraw at the new size
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 20_000  # a page of charts and tables, not a blank frame
    finally:
        page.close()


def test_the_weekly_one_pager_prints_on_one_page(handmade_publication, browser, monkeypatch):
    """The one-pager's download, opened in Chromium, prints to a single A4 page with its chart."""
    monkeypatch.setenv("SMILE_HOME", str(handmade_publication.parent))
    monkeypatch.syspath_prepend(str(PROJECT_ROOT / "streamlit_app"))
    import metric_marts  # noqa: PLC0415 (the app's modules, from streamlit_app/)
    import serving  # noqa: PLC0415
    import weekly_report  # noqa: PLC0415

    report = weekly_report.render_html(metric_marts.weekly_summary(), metric_marts.weekly_metrics(
        ["time_to_smile_median_hours"], metric_marts.metric_slice({})), serving.publication())
    page = browser.new_page(viewport={"width": 820, "height": 1000})
    try:
        page.set_content(report)
        assert page.locator("table tbody tr").count() == len(metric_marts.weekly_summary())
        pdf = page.pdf(format="A4")
        assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "one_pager_download.png"), full_page=True)
    finally:
        page.close()
