"""The published site in a real browser: Playwright driving Debian's Chromium against
`prodops serve` on 127.0.0.1. Leaves a screenshot in test-artifacts/."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import feedparser
import pytest
from conftest import ROOT, crawl_into, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture
def site(sample_sources_file, tmp_path):
    db_path = crawl_into(sample_sources_file, tmp_path / "prodops.db")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--db", str(db_path),
                               "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail("prodops serve did not start")
            time.sleep(0.2)  # polling for the server, bounded by the deadline
    yield base
    server.terminate()
    server.wait(timeout=30)


def test_browse_search_facet_list_and_feed(site):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page()
        page.goto(site + "/")
        assert "ProdOps Curator" in page.title()
        page.click("text=documents")
        page.fill('input[name="_search"]', "onboarding")
        page.press('input[name="_search"]', "Enter")
        page.wait_for_load_state()
        assert "_search=onboarding" in page.url
        assert page.locator("text=Onboarding New Product Managers in 30 Days").count() >= 1
        page.locator('a[href*="tags__arraycontains="]').first.click()
        page.wait_for_load_state()
        assert "tags__arraycontains=" in page.url
        assert page.locator("table.rows-and-columns tbody tr").count() >= 1
        page.goto(site + "/")
        page.click("a[href='/-/search']")
        page.fill('input[name="q"]', "onboarding")
        page.press('input[name="q"]', "Enter")
        page.wait_for_load_state()
        assert "q=onboarding" in page.url
        assert page.locator(".search-result a", has_text="Onboarding New Product Managers in 30 Days").count() == 1
        page.locator('.facet[data-facet="tags"] a').first.click()
        page.wait_for_load_state()
        assert "tags=" in page.url and page.locator(".search-result").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
        page.goto(site + "/prodops/list_prodops_reports")
        assert page.locator("text=The State of Product Operations 2026").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "curated-list.png"), full_page=True)
        response = page.goto(site + "/-/feeds/lists/prodops-reports.atom")
        assert response.ok and "atom" in response.headers["content-type"]
        feed = feedparser.parse(response.body())
        assert not feed.bozo and len(feed.entries) == 2
        browser.close()
    assert (ARTIFACTS / "curated-list.png").stat().st_size > 1000
    assert (ARTIFACTS / "search.png").stat().st_size > 1000
