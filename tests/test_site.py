"""The built site: it builds with warnings as errors, and works in a real browser.

The build runs once per session into a temporary folder. The browser tests drive Debian's
Chromium through Playwright against the site served on 127.0.0.1. Where Chromium is missing
they skip with a message, unless ``COURSE_REQUIRE_BROWSER=1`` (set by CI), which turns the
skip into a failure.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools import build
from tools.contract import colab_url
from tools.serve import serve

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: Page weight budget: bytes transferred for one page, with everything it loads.
MAX_PAGE_BYTES = 1_500_000
#: Elements in one chapter page's HTML. Styling and layout time on a phone grows with it; the
#: longest chapter (errata) has about 10,000, and 17,000 before plain code spans were removed.
MAX_ELEMENTS = 12_000
#: A chapter with math, and one without.
MATH_CHAPTER, PLAIN_CHAPTER = "09_attention", "05_data"
#: Terms that only one chapter teaches; search must find each on its chapter's page.
SEARCH_TERMS = {
    "broadcasting": "01_tensors",
    "gradcheck": "02_autograd",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("site")
    assert build.build(ROOT, output) == 0, "the site build failed (warnings are errors)"
    return output / "_build" / "html"


def test_every_chapter_page_exists_with_colab_and_download(site: Path):
    for path in CHAPTERS:
        page = site / "notebooks" / f"{path.stem}.html"
        assert page.exists(), f"no page for {path.name}"
        html = page.read_text(encoding="utf-8")
        assert colab_url(path) in html, f"{page.name}: no Colab launch link to its own path on main"
        download = f"../_sources/notebooks/{path.name}"
        assert f'href="{download}"' in html, f"{page.name}: no .ipynb download link"
        assert (page.parent / download).resolve().exists()
        assert "Outputs verified with torch" in html, f"{page.name}: no freshness stamp"
        assert (site / "student" / path.name).exists(), f"no published student version of {path.name}"


def test_stamp_comes_from_the_pins(site: Path):
    from tools.course_sphinx import pinned_versions

    pins = pinned_versions(ROOT / "requirements.txt")
    html = (site / "notebooks" / f"{CHAPTERS[0].stem}.html").read_text(encoding="utf-8")
    assert f"torch {pins['torch']}, torchvision {pins['torchvision']} on CPU" in html


def test_pages_are_light(site: Path):
    for font in (site / "_static" / "vendor" / "fontawesome" / "webfonts").glob("*.woff2"):
        assert font.stat().st_size < 10_000, f"{font.name} was not cut down to the icons used"
    theme_css = (site / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert theme_css.count(":before{content:") < 200, "unused icon rules left in the theme CSS"
    for path in CHAPTERS:
        html = (site / "notebooks" / f"{path.stem}.html").read_text(encoding="utf-8")
        assert "searchindex.js" not in html, f"{path.stem}: loads the search index"
        assert '<span class="n">' not in html, f"{path.stem}: plain code spans left"
        assert '<span class="k">' in html, f"{path.stem}: keywords lost"
        elements = len(re.findall(r"<[a-zA-Z]", html))
        assert elements <= MAX_ELEMENTS, f"{path.stem}: {elements:,} elements"


def test_math_fonts_hold_every_character_of_every_formula(site: Path):
    from fontTools.ttLib import TTFont

    from tools.mathfont import math_characters

    drawn: set[str] = set()
    for page in site.rglob("*.html"):
        drawn |= math_characters(page.read_text(encoding="utf-8"))
    assert len(drawn) > 50
    originals = ROOT / "book" / "_static" / "katex" / "fonts"
    fonts = sorted((site / "_static" / "katex" / "fonts").glob("*.woff2"))
    for font in fonts:
        full = set(TTFont(originals / font.name).getBestCmap())
        kept = set(TTFont(font).getBestCmap())
        lost = {chr(p) for p in full - kept} & drawn
        assert not lost, f"{font.name} lost characters that formulas draw: {sorted(lost)}"
    before = sum((originals / font.name).stat().st_size for font in fonts)
    after = sum(font.stat().st_size for font in fonts)
    assert after < 0.7 * before, f"math fonts not cut down: {after:,} of {before:,} bytes"


def test_math_is_typeset_at_build_time(site: Path):
    html = (site / "notebooks" / f"{MATH_CHAPTER}.html").read_text(encoding="utf-8")
    assert html.count('class="katex"') > 20
    assert html.count("<math") == html.count('class="katex"'), "math without MathML for screen readers"
    assert "katex/katex.min.css" in html
    assert not re.search(r"<script[^>]*(katex|auto-render|mathjax)", html, re.IGNORECASE)
    assert "\\(" not in html, "untypeset inline math"
    plain = (site / "notebooks" / f"{PLAIN_CHAPTER}.html").read_text(encoding="utf-8")
    assert "katex" not in plain, "a page without math loads KaTeX"


# ---------------------------------------------------------------- browser tests


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with serve(site) as url:  # gzip and caching as on GitHub Pages
        yield url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = "Chromium is not installed (apt-get install -y chromium); browser tests need it"
        if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []  # console errors and failed requests seen on this page
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: page.problems.append(f"failed request: {r.url}"))
    page.on(
        "response",
        lambda r: r.status >= 400 and page.problems.append(f"HTTP {r.status}: {r.url}"),
    )
    yield page
    context.close()


def all_pages(site: Path) -> list[str]:
    pages = ["book/intro.html"] + [p.relative_to(site).as_posix() for p in sorted((site / "book").glob("*.html"))]
    pages += [f"notebooks/{p.stem}.html" for p in CHAPTERS]
    return sorted(set(pages))


def test_every_page_loads_cleanly_with_images(site: Path, server: str, page):
    for relative in all_pages(site):
        page.problems.clear()
        page.goto(f"{server}/{relative}", wait_until="load")
        broken = page.evaluate(
            "[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        assert not broken, f"{relative}: images that did not render: {broken}"
        assert not page.problems, f"{relative}: {page.problems}"
        page.wait_for_load_state("networkidle")
        transferred = page.evaluate(
            "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
            ".reduce((sum, e) => sum + e.transferSize, 0)"
        )
        assert transferred <= MAX_PAGE_BYTES, f"{relative}: {transferred:,} bytes transferred"


def test_colab_links_open_each_chapter_on_main(server: str, page):
    for path in CHAPTERS:
        page.goto(f"{server}/notebooks/{path.stem}.html")
        hrefs = page.eval_on_selector_all("a[href*='colab.research.google.com']", "els => els.map(e => e.href)")
        assert colab_url(path) in hrefs, f"{path.stem}: Colab links are {hrefs}"


def test_ipynb_download_is_the_notebook(server: str, page):
    path = CHAPTERS[0]
    page.goto(f"{server}/notebooks/{path.stem}.html")
    link = page.locator(f"a[href$='_sources/notebooks/{path.name}']").first
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok
    notebook = json.loads(response.body())
    assert notebook["nbformat"] == 4 and notebook["cells"]


def test_search_finds_terms_from_several_chapters(server: str, page):
    available = {term: stem for term, stem in SEARCH_TERMS.items() if (ROOT / "notebooks" / f"{stem}.ipynb").exists()}
    assert len(available) >= 2
    for term, stem in available.items():
        page.goto(f"{server}/search.html?q={term}")
        page.wait_for_selector("#search-results ul.search li", timeout=15_000)
        hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
        assert any(stem in h for h in hits), f"searching {term!r} did not find {stem}: {hits[:5]}"


def test_next_and_previous_and_toc_navigation(server: str, page):
    first, second = CHAPTERS[0].stem, CHAPTERS[1].stem
    page.goto(f"{server}/notebooks/{first}.html")
    page.locator("a.right-next").click()
    page.wait_for_url(re.compile(rf"{second}\.html"))
    page.locator("a.left-prev").click()
    page.wait_for_url(re.compile(rf"{first}\.html"))
    page.locator(f"nav.bd-links a[href*='{second}']").first.click()
    page.wait_for_url(re.compile(rf"{second}\.html"))


def test_dark_mode_toggle(server: str, page):
    page.goto(f"{server}/notebooks/{CHAPTERS[0].stem}.html")
    before = page.evaluate("document.documentElement.dataset.theme")
    button = page.locator("button.theme-switch-button").first
    for _ in range(3):  # the switch cycles light -> dark -> auto
        button.click()
        if page.evaluate("document.documentElement.dataset.theme") == "dark":
            break
    assert page.evaluate("document.documentElement.dataset.theme") == "dark", f"started as {before}"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background not in {"rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"}, background


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_first_visit_is_styled_before_any_script_runs(server: str, browser, scheme: str):
    # A first-time visitor has no stored theme. The page must pick light or dark from the
    # system setting in its first inline script, so that the first paint is already styled
    # (code colours included), without waiting for the theme's JavaScript.
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.route("**/*.js*", lambda route: route.abort())
    try:
        page.goto(f"{server}/notebooks/{CHAPTERS[0].stem}.html", wait_until="load")
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
        colours = page.evaluate(
            "['.highlight pre', '.highlight .k']"
            ".map(s => getComputedStyle(document.querySelector(s)).color)"
        )
        assert colours[0] != colours[1], f"keywords are not coloured: {colours}"
    finally:
        context.close()


ICONS_DRAWN = """() => {
  const drawn = [];
  for (const el of document.querySelectorAll('*')) {
    for (const pseudo of ['::before', '::after']) {
      const style = getComputedStyle(el, pseudo);
      if (!style.fontFamily.includes('Font Awesome')) continue;
      for (const ch of style.content.replace(/^"|"$/g, '')) {
        const point = ch.codePointAt(0);
        if (point >= 0xe000 && point <= 0xf8ff) drawn.push([style.fontFamily, style.fontWeight, point]);
      }
    }
  }
  return drawn;
}"""


def test_every_icon_drawn_is_in_its_font(site: Path, server: str, page):
    from fontTools.ttLib import TTFont

    webfonts = site / "_static" / "vendor" / "fontawesome" / "webfonts"
    cmaps = {name: set(TTFont(webfonts / f"{name}.woff2").getBestCmap())
             for name in ("fa-solid-900", "fa-regular-400", "fa-brands-400")}
    missing = set()
    for relative in [*all_pages(site), "search.html"]:
        page.goto(f"{server}/{relative}", wait_until="load")
        for family, weight, point in page.evaluate(ICONS_DRAWN):
            font = "fa-brands-400" if "Brands" in family else (
                "fa-solid-900" if int(weight) >= 600 else "fa-regular-400")
            if point not in cmaps[font]:
                missing.add(f"{relative}: U+{point:04X} ({font})")
    assert not missing, sorted(missing)


def test_math_renders_with_its_fonts(server: str, page):
    page.goto(f"{server}/notebooks/{MATH_CHAPTER}.html", wait_until="load")
    page.wait_for_function("document.fonts.status === 'loaded'")
    assert page.evaluate("document.fonts.check('16px KaTeX_Main')")
    assert page.evaluate("document.fonts.check('italic 16px KaTeX_Math')")
    widths = page.evaluate(
        "[...document.querySelectorAll('.katex-html')].map(e => e.getBoundingClientRect().width)"
    )
    assert len(widths) > 20 and min(widths) > 0, "some math is not drawn"
    assert not page.problems, page.problems


def test_solutions_hidden_until_clicked(server: str, page):
    page.goto(f"{server}/notebooks/{CHAPTERS[0].stem}.html")
    solution = page.locator(".cell.tag_exercise").first
    code = solution.locator(".cell_input").first
    assert not code.is_visible(), "a solution is visible before it is clicked"
    solution.locator("summary").first.click()
    assert code.is_visible()


def test_setup_and_figure_code_collapsed_with_outputs_shown(server: str, page):
    page.goto(f"{server}/notebooks/{CHAPTERS[0].stem}.html")
    collapsed = page.locator(".cell.tag_hide-input:not(.tag_exercise)")
    setup = collapsed.first
    assert "# Setup" in setup.locator(".cell_input").first.text_content()  # in the page, not shown
    assert not setup.locator(".cell_input").first.is_visible(), "the setup code is shown before a click"
    assert setup.locator(".cell_output").first.is_visible(), "the setup cell's output is hidden"
    figure = page.locator(".cell.tag_hide-input:has(.cell_output img)").first
    assert not figure.locator(".cell_input").first.is_visible(), "a figure's code is shown before a click"
    assert figure.locator(".cell_output img").first.is_visible(), "a collapsed cell's figure is hidden"
    setup.locator("summary").first.click()
    assert setup.locator(".cell_input").first.is_visible()


def test_mobile_width_has_no_horizontal_overflow(server: str, browser, tmp_path: Path):
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1)
    page = context.new_page()
    try:
        for path in CHAPTERS:
            page.goto(f"{server}/notebooks/{path.stem}.html", wait_until="load")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if path == CHAPTERS[0]:
                page.screenshot(path=str(tmp_path / "mobile.png"))
            assert overflow <= 0, f"{path.stem}: the page is {overflow}px wider than a 375px screen"
    finally:
        context.close()


def test_wide_equations_scroll_from_their_start_on_a_phone(server: str, browser):
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    try:
        page.goto(f"{server}/notebooks/{MATH_CHAPTER}.html", wait_until="load")
        blocks = page.evaluate(
            """[...document.querySelectorAll('div.math')].map(m => {
                 const math = m.querySelector('.katex').getBoundingClientRect();
                 return {cut: m.getBoundingClientRect().left - math.left,
                         wide: m.scrollWidth > m.clientWidth,
                         focusable: m.tabIndex === 0};
               })"""
        )
        assert blocks, "no display equations"
        assert all(b["cut"] <= 1 for b in blocks), f"an equation starts off screen: {blocks}"
        assert any(b["wide"] for b in blocks), "no equation is wider than a phone (test is moot)"
        assert all(b["focusable"] for b in blocks if b["wide"]), "a scrolling equation has no tab stop"
    finally:
        context.close()


def test_no_serious_accessibility_violations(site: Path, server: str, page):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    failures = []
    for relative in all_pages(site):
        page.goto(f"{server}/{relative}", wait_until="load")
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                failures.append(f"{relative}: {violation['id']} ({violation['impact']}): {violation['help']}")
    assert not failures, "\n".join(failures)

