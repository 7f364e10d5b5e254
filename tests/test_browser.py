"""The published site in a real browser: Playwright driving Debian's Chromium against
`prodops serve` on 127.0.0.1, with axe-core checking accessibility. Leaves screenshots of
each page at 1280 and 390 px wide in test-artifacts/."""

from __future__ import annotations

import contextlib
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

pytestmark = [pytest.mark.long, pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                  reason="Debian's chromium is not installed (.ci/run installs it)")]


# The module's tests run on one pytest worker (`--dist loadfile`, the Makefile): the site
# and the browser start once for them.
@pytest.fixture(scope="module")
def site(crawled_sample, tmp_path_factory):
    """The crawled sample served, for the tests that only read it (a copy of its own)."""
    with served(Path(shutil.copy(crawled_sample, tmp_path_factory.mktemp("site") / "prodops.db"))) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, launched once; each test opens its own pages (a new context each:
    no cookie or storage passes from one test to the next)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield launched
        launched.close()


@contextlib.contextmanager
def served(db_path: Path, *options: str):
    """`prodops serve` of a database on a free port of 127.0.0.1 (with `options`): its base URL."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--db", str(db_path),
                               "--port", str(port), *options], cwd=ROOT, stdout=subprocess.DEVNULL,
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
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_browse_search_facet_list_and_feed(site, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page()
    page.goto(site + "/")
    assert "ProdOps Curator" in page.title()
    page.click("text=Browse every document")
    page.fill('input[name="_search"]', "onboarding")
    page.press('input[name="_search"]', "Enter")
    page.wait_for_load_state()
    assert "_search=onboarding" in page.url
    assert page.locator("text=Onboarding New Product Managers in 30 Days").count() >= 1
    facets = page.locator(".facet-results").inner_text()
    assert "Onboarding, training & enablement" in facets and "enablement-training" not in facets
    page.locator('a[href*="tags__arraycontains="]').first.click()
    page.wait_for_load_state()
    assert "tags__arraycontains=" in page.url
    assert page.locator("table.rows-and-columns tbody tr").count() >= 1
    page.goto(site + "/-/search")
    page.fill('input[name="q"]', "onboarding")
    page.press('input[name="q"]', "Enter")
    page.wait_for_load_state()
    assert "q=onboarding" in page.url
    titles = page.locator(".search-result > div:first-child a")  # not "details of <title>"
    assert titles.filter(has_text="Onboarding New Product Managers in 30 Days").count() == 1
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
    page.close()
    assert (ARTIFACTS / "curated-list.png").stat().st_size > 1000
    assert (ARTIFACTS / "search.png").stat().st_size > 1000


# Datasette's pages too: a table with a facet added and a value picked (each with its ✖ link),
# a row (the document's, its path found below) and a canned query.
PAGES = {"home": "/", "search": "/-/search?q=onboarding", "document": None, "list": "/-/lists/prodops-reports",
         "chart": "/-/chart", "table": "/prodops/documents?_facet=sitename&content_type=guide-playbook",
         "row": None, "query": "/prodops/latest"}


def test_pages_read_well_at_two_widths_and_pass_axe(site, browser):
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    axe = Axe()
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    # Home: the search box comes first; lists, concepts by label, latest, source health.
    page.goto(site + "/")
    main = page.locator("main")
    assert main.locator("input").first.get_attribute("type") == "search"
    assert main.locator('a[href="/-/lists/prodops-reports"]').inner_text() == "Product ops reports and whitepapers"
    assert main.locator('a[href="/-/feeds/lists/prodops-reports.atom"]').count() == 1
    assert "2 items" in main.inner_text()
    assert main.locator("a", has_text="Product operations — definition & role").count() == 1
    assert "prodops-definition" not in main.inner_text()  # labels, not ids
    assert "Sources: 6 — 6 ok, 0 backing off after errors, 0 disabled" in main.inner_text()
    assert page.locator('head link[rel="alternate"][type="application/atom+xml"]').get_attribute(
        "href") == "/-/feeds/latest.atom"
    tables = page.goto(site + "/prodops").text()
    assert "minhash_bands" not in tables.split("hidden table")[0]  # internal tables hidden ...
    assert page.goto(site + "/prodops/minhash_bands").ok  # ... but reachable

    # Search: facets by label; a result leads to the document's own page.
    page.goto(site + PAGES["search"])
    facets = page.locator(".search-facets").inner_text()
    assert "Guide or playbook" in facets and "guide-playbook" not in facets
    page.locator(".search-result a", has_text="details").first.click()
    page.wait_for_load_state()
    assert "/-/documents/" in page.url
    PAGES["document"] = page.url.removeprefix(site)
    PAGES["row"] = "/prodops/documents/" + PAGES["document"].rsplit("/", 1)[1]

    # The document's page: the original linked, facts, concepts with reasons, paragraphs.
    article = page.locator("main article")
    assert article.locator("h1 a").get_attribute("href").startswith("http://127.0.0.1")
    text = article.inner_text()
    assert "Onboarding, training & enablement" in text and "Guide or playbook" in text
    assert article.locator(".document-text p").count() >= 4
    assert "Why these concepts" in text and "On curated lists" in text
    assert article.locator("a", has_text="The raw row").count() == 1

    # The list's page: rules in words, items, its feed declared and its exports working.
    page.goto(site + PAGES["list"])
    body = page.locator("main").inner_text()
    assert "of type whitepaper or report" in body and "The State of Product Operations 2026" in body
    feed = page.locator('head link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    assert feed == "/-/feeds/lists/prodops-reports.atom"
    assert page.request.get(site + "/-/exports/lists/prodops-reports.md").text().startswith("# Product ops")
    page.goto(site + "/prodops/list_prodops_reports")
    assert page.locator('head link[rel="alternate"][type="application/atom+xml"]').count() == 1

    # The charts: inside the site's layout, two of them, each with its numbers as text.
    page.goto(site + PAGES["chart"])
    assert page.locator("main table.chart caption").count() == 2
    assert page.locator("header nav").count() == 1

    problems = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in PAGES.items():
            page.goto(site + path)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            serious = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                       for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
            if serious:
                problems[f"{name} at {width}px"] = serious
            if width == 390 and name != "chart":  # one column, no horizontal scrolling
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= 390, f"{name} is {scroll}px wide at 390px"
    page.close()
    assert not problems, problems
    for name in PAGES:
        assert (ARTIFACTS / f"{name}-390.png").stat().st_size > 1000


# WCAG 2.2 AA, measured in the page (beside axe, which leaves target spacing, a canned query's
# width and the states a script adds untested). Contrast: every visible text node's computed
# colour against the backgrounds behind it, composited; 4.5:1, or 3:1 for large text.
CONTRAST_JS = """() => {
  const rgba = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = rgb => 0.2126 * ch(rgb[0]) + 0.7152 * ch(rgb[1]) + 0.0722 * ch(rgb[2]);
  const ch = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const behind = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let base = [255, 255, 255];
    for (const l of layers.reverse()) base = base.map((v, i) => l[i] * l[3] + v * (1 - l[3]));
    return base; };
  const low = []; const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el.checkVisibility() || el.closest('.visually-hidden, .skip-link')) continue;
    const s = getComputedStyle(el); const bg = behind(el); const c = rgba(s.color);
    const fg = c.slice(0, 3).map((v, i) => v * c[3] + bg[i] * (1 - c[3]));
    const ratio = (Math.max(lum(fg), lum(bg)) + 0.05) / (Math.min(lum(fg), lum(bg)) + 0.05);
    const size = parseFloat(s.fontSize), large = size >= 24 || (parseInt(s.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5))
      low.push(`${ratio.toFixed(2)}:1 ${el.tagName} "${n.textContent.trim().slice(0, 30)}"`);
  }
  return low; }"""
# Target size (2.5.8): a link at least 24x24 px, or one whose 24 px circle touches no other
# target nor another's circle; a link inside a sentence is exempt (5+ letters of text besides).
# A field, a button or a menu's summary: 24x24 px at least, whatever the spacing.
TARGETS_JS = """() => {
  const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
    .filter(e => e.checkVisibility() && !e.closest('.skip-link')).map(e => ({e, r: e.getBoundingClientRect()}));
  const inSentence = e => { if (getComputedStyle(e).display !== 'inline') return false;
    let block = e.parentElement; while (getComputedStyle(block).display === 'inline') block = block.parentElement;
    let text = block.textContent;
    block.querySelectorAll('a, button').forEach(t => { text = text.replace(t.textContent, ''); });
    return (text.match(/[A-Za-z]/g) || []).length >= 5; };
  const small = all.filter(t => (t.r.width < 24 || t.r.height < 24) && !inSentence(t.e));
  const control = t => t.e.tagName !== 'A' && !['checkbox', 'radio'].includes(t.e.type);
  const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
  const toRect = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  const bad = [];
  for (const t of small) { const c = centre(t.r);
    const near = control(t) ? t : all.find(o => o.e !== t.e && !o.e.contains(t.e) && !t.e.contains(o.e)
      && (toRect(c, o.r) < 12 || (small.includes(o) && Math.hypot(c[0] - centre(o.r)[0], c[1] - centre(o.r)[1]) < 24)));
    if (near) bad.push(`${t.e.tagName} "${(t.e.innerText || t.e.value || '').trim().slice(0, 25)}" ` +
                       `${Math.round(t.r.width)}x${Math.round(t.r.height)}` +
                       (near === t ? '' : ` beside "${(near.e.innerText || '').trim().slice(0, 25)}"`)); }
  return bad; }"""
# Where the keyboard's focus is, and whether it shows: an outline (or shadow) on the control or
# on the box around it (Datasette's filter selects take theirs away: .select-wrapper shows it).
FOCUS_JS = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const ring = x => { const s = getComputedStyle(x);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; };
  const r = e.getBoundingClientRect(), x = r.left + scrollX, y = r.top + scrollY;
  return {html: e.outerHTML.slice(0, 90), shown: ring(e) || (e.parentElement && ring(e.parentElement)),
          onscreen: x + r.width > 0 && y + r.height > 0 && x < document.documentElement.scrollWidth}; }"""
# Headings in order (1.3.1): the first an <h1>, and none more than one level below the one before
# (Datasette's table and query pages went from <h1> to <h3>).
HEADINGS_JS = """() => { const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => h.checkVisibility()).map(h => Number(h.tagName[1]));
  return levels.map((level, i) => [i ? levels[i - 1] : 0, level]).filter(([before, level]) => level > before + 1)
    .map(([before, level]) => `an h${level} after ${before ? 'an h' + before : 'no heading'}`); }"""
NAMED_ROLES = {"button", "link", "textbox", "searchbox", "combobox", "listbox", "checkbox", "radio", "spinbutton"}


def unnamed_controls_and_ambiguous_links(page) -> list[str]:
    """From Chromium's accessibility tree, the names screen readers hear: every control has one
    with a letter or digit in it (not "✖"), and short link names (three words at most: not two
    documents' shared title) each go to one place (three "details" links did not)."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    problems, links = [], {}
    for node in nodes:
        role, name = node.get("role", {}).get("value"), str(node.get("name", {}).get("value", "")).strip()
        if node.get("ignored") or role not in NAMED_ROLES:
            continue
        if not any(char.isalnum() for char in name):
            problems.append(f"a {role} named {name!r}")
        elif role == "link":
            href = cdp.send("DOM.resolveNode", {"backendNodeId": node["backendDOMNodeId"]})["object"]
            url = cdp.send("Runtime.callFunctionOn", {"objectId": href["objectId"], "returnByValue": True,
                                                     "functionDeclaration": "function () { return this.href; }"})
            links.setdefault(name, set()).add(url["result"].get("value"))
    cdp.detach()
    return problems + [f"links named {name!r} go to {len(urls)} places"
                       for name, urls in links.items() if len(urls) > 1 and len(name.split()) <= 3]


A11Y_PAGES = ["/", "/-/search", "/-/search?q=onboarding", "/-/search?q=zzqxv",
              "/-/search?q=onboarding&tags=enablement-training", "/-/search?content_type=guide-playbook",
              "/prodops/documents", "/prodops/documents?_facet=tags&_facet=content_type", "/prodops",
              "/-/lists/prodops-reports", "/prodops/list_prodops_reports", "/-/chart", "/no-such-page"]


def test_every_page_fits_a_phone_names_its_controls_and_keeps_contrast_targets_and_focus(site, browser):
    """At 1280 and 390 px, on every kind of page a visitor reaches (search with and without
    results and filters, a table and its facets, a canned query, the 404): no horizontal
    scrolling, every control named, links named alike going alike, text contrast of 4.5:1,
    targets of 24 px, and a visible focus on the screen on every stop of the Tab key, which
    leaves the page."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site + "/-/search?q=onboarding")
    document = page.locator(".search-result a", has_text="details").first.get_attribute("href")
    pages = [*A11Y_PAGES, document, "/prodops/documents/" + document.rsplit("/", 1)[1]]  # its page, its row
    problems: dict[str, list[str]] = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in pages:
            page.goto(site + path)
            page.wait_for_load_state("load")  # table.js and ours have run
            found = [*page.evaluate(CONTRAST_JS), *page.evaluate(TARGETS_JS), *page.evaluate(HEADINGS_JS),
                     *unnamed_controls_and_ambiguous_links(page)]
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                found.append(f"{scroll}px wide")
            stops = []
            for _ in range(250):
                page.keyboard.press("Tab")
                focused = page.evaluate(FOCUS_JS)
                if focused is None or (stops and focused["html"] == stops[0]["html"]):
                    break
                stops.append(focused)
            else:
                found.append("the Tab key never leaves the page")
            found += [f"no visible focus on {stop['html']}" for stop in stops if not stop["shown"]]
            # Below 577 px Datasette moves a table's header row off the screen, its links still stops.
            found += [f"the focus off the screen on {stop['html']}" for stop in stops if not stop["onscreen"]]
            if found:
                problems[f"{path} at {width}px"] = found
    page.goto(site + "/no-such-page")  # the 404 leads back: the header's home link, home and search
    if page.locator("header a[href='/']").count() != 1 or page.locator("main a[href='/-/search']").count() != 1:
        problems["the 404"] = ["no way home"]

    # A column's menu by keyboard (at 1280 px: below 577 Datasette moves the header off the screen):
    # its cog is the stop after the column's name, a button named for the column; Enter and Space
    # open the menu, its first entry focused; Escape closes it, the focus back on the cog.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/prodops/documents")
    page.wait_for_load_state("load")
    menu, gear = page.locator("body > .dropdown-menu"), page.locator('th[data-column="url"] button')
    page.locator('th[data-column="url"] a').focus()
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUS_JS)
    if not (focused and focused["html"].startswith("<button") and focused["shown"]):
        problems["the column menu"] = [f"the stop after the column's name is {focused}"]
    elif gear.get_attribute("aria-label") != "Actions for the column url":
        problems["the column menu"] = [f"the cog is named {gear.get_attribute('aria-label')!r}"]
    else:
        for key in ("Enter", " "):
            page.keyboard.press(key)
            if not menu.is_visible() or gear.get_attribute("aria-expanded") != "true" or \
                    not page.evaluate("document.activeElement.closest('.dropdown-menu') !== null"):
                problems.setdefault("the column menu", []).append(f"{key!r} does not open it, its entry focused")
            page.keyboard.press("Escape")
            if menu.is_visible() or not gear.evaluate("b => b === document.activeElement"):
                problems.setdefault("the column menu", []).append(f"Escape after {key!r}: still open or focus lost")
    page.close()

    # Without JavaScript, the filters' fields still have their names: they are in the HTML.
    bare = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = bare.new_page()
    page.goto(site + "/prodops/documents?content_type=guide-playbook")  # a filter set and a new one
    fields = page.locator("form.filters select, form.filters input[type=text]")
    assert fields.count() == 7
    unnamed = unnamed_controls_and_ambiguous_links(page)
    if unnamed:
        problems["the table without JavaScript"] = unnamed
    bare.close()
    assert not problems, "\n".join(f"{where}: {found}" for where, found in problems.items())


def test_pages_keep_the_content_security_policy_and_their_scripts_run(site, browser):
    """Chromium reports no Content-Security-Policy violation on the site's pages (each one is
    also a `securitypolicyviolation` event, recorded from before the page's own scripts),
    and the scripts the pages rely on, Datasette's inline ones now files of ours, still run."""

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console, errors = [], []
    page.on("console", lambda message: console.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.add_init_script("window.cspViolations = []; document.addEventListener('securitypolicyviolation',"
                         " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));")
    page.goto(site + "/-/search?q=onboarding")
    document = page.locator(".search-result a", has_text="details").first.get_attribute("href")
    violations = {}
    for path in ("/", "/-/search?q=onboarding", document, "/prodops/documents", "/prodops",
                 "/-/lists/prodops-reports", "/prodops/list_prodops_reports", "/prodops/latest", "/-/chart",
                 "/-/feeds/latest.atom"):
        response = page.goto(site + path)
        assert response.ok, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        if page.evaluate("window.cspViolations ? window.cspViolations.length : 0"):
            violations[path] = page.evaluate("window.cspViolations")
    assert not violations, violations
    assert not [line for line in console if "Content Security Policy" in line or "Content-Security-Policy" in line]
    assert not errors, errors  # no script failed (an undefined DATASETTE_ALLOW_FACET would)

    # table.js: a column's menu opens and offers a facet (allow_facet reached it).
    page.goto(site + "/prodops/documents")
    page.locator('th[data-column="url"] .dropdown-menu-icon').click()
    assert page.locator(".dropdown-menu").is_visible()
    assert page.locator(".dropdown-menu a.dropdown-facet").is_visible()
    # close-open-menus.js: an open <details> closes when a click lands outside it.
    page.keyboard.press("Escape")
    help_box = page.locator("details.column-help")
    help_box.locator("summary").click()
    assert help_box.evaluate("d => d.open")
    page.locator("h1").first.click()
    assert not help_box.evaluate("d => d.open")
    # codemirror-foot.js: a canned query's SQL gets its Format button.
    page.goto(site + "/prodops/latest")
    page.wait_for_load_state("load")
    assert page.locator("button#sql-format").is_visible()
    page.close()


def test_a_paraphrase_finds_a_page_by_meaning_and_its_page_shows_related_resources(site, browser):
    page = browser.new_page()
    page.goto(site + "/-/search")
    # No page of the sample web has "client" or "complaints": only meaning can find it.
    page.fill('input[name="q"]', "client complaints")
    page.press('input[name="q"]', "Enter")
    page.wait_for_load_state()
    first = page.locator(".search-result").first
    assert "Building a Voice of the Customer Program" in first.inner_text()
    assert first.locator(".matched-by").inner_text() == "matched by meaning"
    assert "No document has all of these words" in page.locator(".search-summary").inner_text()
    first.locator("text=details").click()
    page.wait_for_load_state()
    related = page.locator("ul.related li a")
    assert 1 <= related.count() <= 5
    assert "Building a Voice of the Customer Program" not in page.locator("ul.related").inner_text()
    related.first.click()
    page.wait_for_load_state()
    assert "/-/documents/" in page.url
    page.close()


# Pages a product-ops blog's neighbours publish too (written for this test): slug, title, paragraphs.
OFF_TOPIC_PAGES = [
    ("line-cook", "Line Cook Wanted for Our Busy Downtown Bistro", [
        "Our downtown bistro is looking for an experienced line cook to join the kitchen team. You will "
        "work the grill and sauté stations during dinner service, five evenings a week including weekends.",
        "You have at least two years on a busy line, you keep your station clean and stocked, and you can "
        "plate forty covers an hour without losing your temper. Knife skills and a food handler card are a must.",
        "We pay above the local rate, share tips across the whole kitchen, and feed every shift a proper "
        "family meal. Send a short note about the kitchens you have worked in and when you could start a "
        "trial shift."]),
    ("half-marathon", "Twelve Weeks to Your First Half Marathon", [
        "A half marathon is a wonderful first race goal: long enough to need a plan, short enough that the "
        "training fits around work and family. This plan assumes you can already run thirty minutes without stopping.",
        "Run four days a week. Two of the runs are easy and conversational, one is a tempo run at a pace you "
        "could hold for an hour, and the long run grows by a kilometre or two every week until it reaches eighteen.",
        "Every fourth week is a recovery week with less distance. Sleep, eat enough carbohydrate the day before "
        "long runs, and buy shoes from a shop that lets you run in them. On race day, start slower than you want to."]),
    ("sourdough", "A Sourdough Loaf for Beginners", [
        "Sourdough bread needs only flour, water, salt and a lively starter. Feed the starter the night before "
        "so that it doubles and smells pleasantly sour by the morning.",
        "Mix five hundred grams of bread flour with three hundred and fifty grams of water and leave it for an "
        "hour. Add a hundred grams of starter and ten grams of salt, then fold the dough every half hour for "
        "two hours.",
        "Shape the loaf, let it rise in a floured basket in the fridge overnight, and bake it in a very hot "
        "covered pot for twenty minutes, then uncovered until the crust is deep brown."]),
]
OFF_TOPIC = [{"slug": slug, "title": title, "author": "A Neighbour", "date": f"2026-11-2{day}T09:00:00Z",
              "summary": title, "paragraphs": paragraphs}
             for day, (slug, title, paragraphs) in enumerate(OFF_TOPIC_PAGES)]


def test_the_front_page_and_feed_show_documents_about_product_ops(sample_corpus, tmp_path, browser):
    """The demo corpus with off-topic pages crawled after it (so they are the latest): the
    home page's latest additions and the Atom feed leave them out and say so, and the link
    to everything leads to them."""
    import sqlite3

    from conftest import write_sources

    from pipeline.config.sources import Source
    from pipeline.demo.sampleweb import article_html
    from pipeline.demo.webserver import Route, StaticWeb

    db_path = sample_corpus
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"),
                     **{f"/{a['slug']}": Route(article_html(a, "http://off.example").encode()) for a in OFF_TOPIC}})
    with web:
        crawl_into(write_sources(tmp_path / "off.yaml", [Source(f"off-{a['slug']}", a["title"], "url",
                                                                f"{web.base_url}/{a['slug']}") for a in OFF_TOPIC]),
                   db_path)
    titles = [a["title"] for a in OFF_TOPIC]
    with sqlite3.connect(db_path) as conn:
        stored = dict(conn.execute(f"SELECT title, relevance FROM documents WHERE title IN ({', '.join('?' * 3)})",
                                   titles).fetchall())
    assert set(stored) == set(titles) and max(stored.values()) < 0.5, stored
    with served(db_path) as base:
        page = browser.new_page()
        page.goto(base + "/")
        latest = page.locator("#latest-h + p + ul").inner_text()
        assert "Product" in latest and not any(title in latest for title in titles)
        assert "a relevance of 0.5 or more" in page.locator("#latest-h + p").inner_text()
        page.click("text=Everything, on topic or not")
        page.wait_for_load_state()
        assert all(page.locator(f"text={title}").count() >= 1 for title in titles)
        page.close()
        feed = feedparser.parse(urllib.request.urlopen(base + "/-/feeds/latest.atom", timeout=10).read())
    assert len(feed.entries) >= 10 and not {entry.title for entry in feed.entries} & set(titles)


def serious_violations(axe, page) -> list[str]:
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]


def test_a_curator_judges_from_the_queue_by_keyboard_pins_from_a_search_result_and_signs_out(
        sample_corpus, tmp_path, browser):
    """Signed in, three documents judged from the review queue with the keyboard, one pinned
    with a note from a search result: on the list's page and in its Atom feed, in the labels
    and lists files with their comments kept; signed out, no act is offered. The signed-in
    pages pass axe and fit 390 px."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    from pipeline.config.labels import load_labels
    from pipeline.config.lists import load_lists
    from pipeline.config.taxonomy import load_taxonomy

    db_path = sample_corpus
    lists_file, labels_file = tmp_path / "lists.yaml", tmp_path / "labels.yaml"
    lists_file.write_text((ROOT / "data" / "lists.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    labels_file.write_text("# Our team's judgements: this line stays.\nlabels:\n", encoding="utf-8")
    added = subprocess.run([sys.executable, "-m", "pipeline.cli", "curators", "add", "maya", "--password-stdin",
                            "--db", str(db_path)], input="correct horse battery\n", capture_output=True, text=True,
                           cwd=ROOT)
    assert added.returncode == 0, added.stderr
    note = "Start here <script>alert(1)</script>"
    axe, problems = Axe(), {}
    with served(db_path, "--lists", str(lists_file), "--labels", str(labels_file)) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "/-/review")  # sends a visitor to sign in, then back
        page.fill("input[name=username]", "maya")
        page.fill("input[name=password]", "correct horse battery")
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_url(base + "/-/review")
        problems["review"] = serious_violations(axe, page)
        judged = []
        for key in ("r", "n", "r"):
            page.wait_for_load_state("load")  # curate.js, which hears the keys, has run
            title = page.locator("article.review h2").inner_text()
            judged.append(title)
            page.keyboard.press(key)
            expect(page.locator("article.review h2")).not_to_have_text(title, timeout=20_000)  # a loaded machine
        assert len(set(judged)) == 3

        page.goto(base + "/-/search?q=onboarding")
        result = page.locator(".search-result").first
        pinned_title = result.locator("div").first.inner_text()
        result.locator("details.curate summary").click()
        result.locator("select[name=slug]").select_option("prodops-onboarding")
        result.locator("input[name=note]").fill(note)
        result.locator("button", has_text="Pin").click()
        expect(result.locator(".act-status")).to_have_text("Pinned to the list prodops-onboarding.", timeout=20_000)
        assert page.url == base + "/-/search?q=onboarding&page=1" or "/-/search" in page.url  # stayed in place
        problems["search"] = serious_violations(axe, page)
        problems["title"] = [page.title()] if "<" in page.title() else []  # no markup in a curator's title
        document = result.locator("a", has_text="details").get_attribute("href")
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            for path in ("/-/review", "/-/search?q=onboarding", document, "/-/lists/prodops-onboarding"):
                page.goto(base + path)
                page.wait_for_load_state("load")
                if path.startswith("/-/search"):
                    page.locator("details.curate summary").first.click()
                assert page.evaluate("document.documentElement.scrollWidth") <= width, path
                problems[f"{path} at {width}px"] = [*serious_violations(axe, page), *page.evaluate(TARGETS_JS),
                                                    *page.evaluate(CONTRAST_JS),
                                                    *unnamed_controls_and_ambiguous_links(page)]
        # The header's menu opens and closes with the keyboard, Escape giving the focus back.
        menu = page.locator("details.nav-menu")
        menu.locator("summary").focus()
        page.keyboard.press("Enter")
        assert menu.evaluate("d => d.open")
        problems["the open menu"] = [*page.evaluate(TARGETS_JS), *page.evaluate(CONTRAST_JS)]
        page.keyboard.press("Tab")
        page.keyboard.press("Escape")
        if menu.evaluate("d => d.open") or page.evaluate("document.activeElement.tagName") != "SUMMARY":
            problems["the open menu"].append("Escape leaves it open")

        page.goto(base + "/-/lists/prodops-onboarding")
        listed = page.locator("main").inner_text()
        assert pinned_title in listed and note in listed  # the note as text, its markup not run
        feed = feedparser.parse(page.request.get(base + "/-/feeds/lists/prodops-onboarding.atom").body())
        assert pinned_title in [entry.title for entry in feed.entries]

        page.goto(base + "/-/logout")
        page.locator("main").get_by_role("button", name="Log out").or_(
            page.locator("main input[value='Log out']")).click()
        page.goto(base + "/-/search?q=onboarding")
        assert page.locator("details.curate").count() == 0
        page.goto(base + "/-/review")
        assert "/-/login" in page.url
        page.close()
    assert not errors, errors
    assert not {name: found for name, found in problems.items() if found}, "\n".join(
        f"{name}: {found}" for name, found in problems.items() if found)
    concept_ids = set(load_taxonomy(ROOT / "data" / "taxonomy.yaml").ids())
    labels = load_labels(labels_file, concept_ids)
    assert [label.relevant for label in labels] == [True, False, True] and {label.by for label in labels} == {"maya"}
    assert labels_file.read_text(encoding="utf-8").startswith("# Our team's judgements: this line stays.")
    assert lists_file.read_text(encoding="utf-8").startswith("# Curated lists, published by")
    onboarding = next(curated for curated in load_lists(lists_file) if curated.slug == "prodops-onboarding")
    assert [item["note"] for item in onboarding.pinned] == [note]
