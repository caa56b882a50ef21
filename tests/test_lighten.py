"""Unit tests for the build steps that make pages lighter: icon and math fonts, code spans."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pydata_sphinx_theme
from fontTools.ttLib import TTFont

from tools import iconfont, mathfont, slimcode

ROOT = Path(__file__).resolve().parent.parent

THEME_FONTS = (
    Path(pydata_sphinx_theme.__file__).parent
    / "theme" / "pydata_sphinx_theme" / "static" / "vendor" / "fontawesome" / "webfonts"
)

ICON_CSS = (
    '.fa-github:before{content:"\\f09b"}'
    '.fa-magnifying-glass:before,.fa-search:before{content:"\\f002"}'
    '.fa-rocket:before{content:"\\f135"}'
    '.fa-solid{font-weight:900}'
    'html{--pst-icon-angle-right:"\uf105"}'
    '.onthispage:after{content:"\\f107";font-family:Font Awesome\\ 6 Free}'
)


def test_icon_classes_map_every_selector_of_a_rule():
    icons = iconfont.icon_classes(ICON_CSS)
    assert icons == {
        "fa-github": {0xF09B}, "fa-magnifying-glass": {0xF002}, "fa-search": {0xF002},
        "fa-rocket": {0xF135},
    }


def test_direct_code_points_skip_the_class_rules():
    # The theme's own icons written in CSS count; the 1,900 class rules do not.
    assert iconfont.direct_code_points(ICON_CSS) == {0xF105, 0xF107}


def test_used_code_points_follow_the_pages():
    page = '<button><i class="fa-solid fa-magnifying-glass"></i></button>'
    script = 'icon.className = "fa-solid fa-rocket";'
    used = iconfont.used_icon_classes([ICON_CSS], [page])
    assert used == {"fa-magnifying-glass"}  # fa-solid is a style, not an icon
    assert iconfont.used_code_points([ICON_CSS], used) == {0xF002, 0xF105, 0xF107}
    used = iconfont.used_icon_classes([ICON_CSS], [page, script])
    assert iconfont.used_code_points([ICON_CSS], used) == {0xF002, 0xF105, 0xF107, 0xF135}


def test_strip_unused_rules_keeps_used_icons_and_everything_else():
    slim = iconfont.strip_unused_rules(ICON_CSS, {"fa-search"})
    assert ".fa-magnifying-glass:before,.fa-search:before" in slim  # a shared rule stays whole
    assert "fa-github" not in slim and "fa-rocket" not in slim
    assert ".fa-solid{font-weight:900}" in slim and "--pst-icon-angle-right" in slim
    assert ".onthispage:after" in slim


def test_subset_font_keeps_exactly_the_wanted_glyphs(tmp_path: Path):
    source = THEME_FONTS / "fa-solid-900.woff2"
    target = tmp_path / source.name
    wanted = {0xF002, 0xF135, 0xF105}
    before, after = iconfont.subset_font(source, target, wanted | {0xF09B})  # f09b is a brand icon
    assert after < before / 20
    font = TTFont(target)
    assert font.flavor == "woff2"
    assert set(font.getBestCmap()) == wanted
    assert font["name"].getDebugName(1) == TTFont(source)["name"].getDebugName(1)


LIGHT = 'html[data-theme="light"] .highlight'
DARK = 'html[data-theme="dark"] .highlight'
PYGMENTS_CSS = "\n".join([
    f"{LIGHT} pre {{ line-height: 125%; }}",
    f"{LIGHT} {{ background: #fefefe; color: #080808 }}",
    f"{LIGHT} .n {{ color: #080808 }} /* Name */",
    f"{LIGHT} .p {{ color: #080808 }} /* Punctuation */",
    f"{LIGHT} .k {{ color: #6730C5 }} /* Keyword */",
    f"{LIGHT} .nb {{ color: #080808; font-weight: bold }} /* Name.Builtin */",
    f"{LIGHT} .o {{ color: #080808 }} /* Operator */",
    f"{LIGHT} .gp {{ color: #080808 }} /* Generic.Prompt */",
    f"{DARK} {{ background: #2b2b2b; color: #F8F8F2 }}",
    f"{DARK} .n {{ color: #f8f8f2 }} /* Name */",
    f"{DARK} .p {{ color: #F8F8F2 }} /* Punctuation */",
    f"{DARK} .k {{ color: #DCC6E0 }} /* Keyword */",
    f"{DARK} .nb {{ color: #F8F8F2 }} /* Name.Builtin */",
    f"{DARK} .o {{ color: #00E0E0 }} /* Operator */",
    f"{DARK} .gp {{ color: #F8F8F2 }} /* Generic.Prompt */",
])


def test_plain_classes_must_be_plain_in_every_scheme():
    # n and p: the text colour in both schemes. k: coloured. nb: bold in light. o: coloured in
    # dark. gp: plain, but sphinx-copybutton selects on it.
    assert slimcode.plain_classes(PYGMENTS_CSS) == {"n", "p"}


def test_plain_classes_of_the_theme_schemes():
    formatter_css = pydata_sphinx_theme.pygments.get_pygments_stylesheet(
        "a11y-high-contrast-light", "a11y-high-contrast-dark")
    plain = slimcode.plain_classes(formatter_css)
    assert {"n", "p"} <= plain
    assert not plain & {"k", "s2", "mi", "c1", "o", "nb", "gp"}


CODE = (
    '<div class="highlight"><pre><span></span><span class="n">loss</span><span class="o">=</span>'
    '<span class="n">model</span><span class="p">(</span><span class="s2">&quot;x&lt;1&quot;</span>'
    '<span class="p">)</span>\n<span class="k">return</span></pre></div>'
)


def test_unwrap_keeps_the_text_and_the_coloured_tokens():
    page = f'<p><span class="n">prose</span></p>{CODE}'
    slim = slimcode.unwrap(page, {"n", "p"})
    assert '<span class="n">prose</span>' in slim  # outside code blocks nothing changes
    code = slim[slim.index('<div class="highlight">'):]
    assert '<span class="n">' not in code and '<span class="p">' not in code
    assert '<span class="o">=</span>' in code and '<span class="k">return</span>' in code
    assert "<span></span>" not in code
    text = lambda markup: html.unescape(re.sub(r"<[^>]+>", "", markup))  # noqa: E731
    assert text(code) == text(CODE) == 'loss=model("x<1")\nreturn'


def test_unwrap_without_plain_classes_changes_nothing():
    assert slimcode.unwrap(CODE, set()) == CODE


KATEX = (
    '<p>Loss <span class="math"><span class="katex"><span class="katex-mathml"><math><mi>L</mi>'
    '</math></span><span class="katex-html" aria-hidden="true"><span class="base">'
    '<span class="strut" style="height:1em"></span><span class="mord mathnormal">L</span>'
    '<span class="mrel">=</span><br><span class="mord">σ</span><svg><path d="M0 0"/></svg>'
    '<span class="mord">₁</span></span></span></span></span> is low.</p>'
)


def test_math_characters_are_those_katex_draws():
    # The MathML copy (read by screen readers, never drawn) and the prose around do not count.
    assert mathfont.math_characters(KATEX) == {"L", "=", "σ", "₁"}
    assert mathfont.math_characters("<p>no math</p>") == set()


def test_math_fonts_keep_every_character_any_formula_draws(tmp_path: Path):
    originals = ROOT / "book" / "_static" / "katex" / "fonts"
    site = tmp_path / "site"
    (site / "_static" / "katex" / "fonts").mkdir(parents=True)
    for name in ("KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2"):
        (site / "_static" / "katex" / "fonts" / name).write_bytes((originals / name).read_bytes())
    (site / "page.html").write_text(KATEX, encoding="utf-8")
    sizes = mathfont.subset_site(site, originals)
    assert all(after < before for before, after in sizes.values())
    for name in sizes:
        full = set(TTFont(originals / name).getBestCmap())
        kept = set(TTFont(site / "_static" / "katex" / "fonts" / name).getBestCmap())
        wanted = {ord(c) for c in "L=σ₁"} | {ord(c) for c in mathfont.ALWAYS}
        assert kept == wanted & full, name
