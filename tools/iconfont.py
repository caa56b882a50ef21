"""Cut the theme's Font Awesome fonts and icon rules down to the icons the site uses.

pydata-sphinx-theme ships the whole Font Awesome 6 set: 156 KB (solid) and 118 KB (brands) of
woff2 that every page downloads at the highest priority, for about twenty icons. On a phone on
a slow network those fonts compete with the page itself. After the build this module keeps
only the glyphs the site can show:

* icons named by an ``fa-*`` class in a page or in a script the pages load;
* icon characters written directly in a stylesheet (the theme's admonition and navigation
  icons, such as ``--pst-icon-angle-right:"\\f105"``).

The fonts keep their names and formats. The stylesheets lose the class rules of the icons
no page uses (about 1,900 of them, 90 KB), and nothing else.

Usage::

    python -m tools.iconfont _build/html
"""
from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

# The subsetter reports every table it touches at INFO level, which Sphinx's log would show.
logging.getLogger("fontTools").setLevel(logging.WARNING)

#: Font Awesome's class rules: ``.fa-github:before{content:"\\f09b"}`` (several selectors may
#: share one rule).
_SELECTOR = r"\.fa-[a-z0-9-]+:{1,2}(?:before|after)"
ICON_RULE = re.compile(r"((?:%s\s*,\s*)*%s)\s*\{\s*content\s*:\s*\"([^\"]+)\"\s*;?\s*\}" % (_SELECTOR, _SELECTOR))
SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")
CLASS_NAME = re.compile(r"\bfa-[a-z0-9-]+")
#: An icon character in CSS: a private-use code point, written literally or as an escape.
PRIVATE_USE = re.compile(r"\\([0-9a-fA-F]{4,6})\s?|([\ue000-\uf8ff])")


def _code_points(text: str) -> set[int]:
    """Private-use code points in a CSS string value (escapes or literal characters)."""
    points = set()
    for escape, literal in PRIVATE_USE.findall(text):
        point = int(escape, 16) if escape else ord(literal)
        if 0xE000 <= point <= 0xF8FF:
            points.add(point)
    return points


def icon_classes(css: str) -> dict[str, set[int]]:
    """Map each ``fa-*`` class that a Font Awesome rule defines to its code points."""
    icons: dict[str, set[int]] = {}
    for selectors, content in ICON_RULE.findall(css):
        points = _code_points(content)
        for name in CLASS_NAME.findall(selectors):
            icons.setdefault(name, set()).update(points)
    return icons


def direct_code_points(css: str) -> set[int]:
    """Icon characters a stylesheet uses outside Font Awesome's own class rules."""
    return _code_points(ICON_RULE.sub("", css))


def used_icon_classes(css_texts: Iterable[str], page_texts: Iterable[str]) -> set[str]:
    """The ``fa-*`` icon classes that the stylesheets define and the pages name.

    ``page_texts`` are the HTML pages and the scripts they load (scripts add icons such as the
    search dialog's close button).
    """
    defined: set[str] = set()
    for css in css_texts:
        defined |= set(icon_classes(css))
    named: set[str] = set()
    for text in page_texts:
        named |= set(CLASS_NAME.findall(text))
    return defined & named


def used_code_points(css_texts: Iterable[str], used: set[str]) -> set[int]:
    """Every icon code point the site can display.

    ``css_texts`` are the stylesheets; ``used`` the icon classes the pages and scripts name
    (from :func:`used_icon_classes`).
    """
    points: set[int] = set()
    for css in css_texts:
        points |= direct_code_points(css)
        for name, found in icon_classes(css).items():
            if name in used:
                points |= found
    return points


def strip_unused_rules(css: str, used: set[str]) -> str:
    """``css`` without the Font Awesome class rules of icons outside ``used``.

    The theme's stylesheet defines about 1,900 such rules (a fifth of its 400 KB), and each
    page parses it before its first paint.
    """
    def keep(rule: re.Match[str]) -> str:
        return rule[0] if set(CLASS_NAME.findall(rule[1])) & used else ""

    return ICON_RULE.sub(keep, css)


def subset_font(source: Path, target: Path, points: set[int]) -> tuple[int, int]:
    """Write to ``target`` the font at ``source`` with only ``points`` (those it has).

    ``source`` and ``target`` may be the same file. Returns the sizes in bytes before and after.
    """
    before = source.stat().st_size
    font = TTFont(source, recalcTimestamp=False)  # same input, same bytes: reproducible builds
    available = set(font.getBestCmap())
    keep = sorted(points & available)
    options = subset.Options()
    options.flavor = font.flavor  # woff2 stays woff2, a TrueType file stays TrueType
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the font's names and licence notice
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    font.save(target)
    return before, target.stat().st_size


def _loaded_scripts(site: Path) -> list[Path]:
    """The scripts under ``_static`` except Font Awesome's own (the pages do not load it)."""
    return [p for p in (site / "_static").rglob("*.js") if "fontawesome" not in p.name]


def _original(site: Path, copy: Path) -> Path:
    """The theme's own file for a file under the site's ``_static`` (the copy if none).

    Reading the original keeps rebuilds right: Sphinx does not always copy theme files again,
    and a rebuild that adds an icon must not start from an already reduced font or sheet.
    """
    import pydata_sphinx_theme

    theme_static = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    original = theme_static / copy.relative_to(site / "_static")
    return original if original.is_file() else copy


def subset_site(site: Path) -> dict[str, tuple[int, int]]:
    """Subset every Font Awesome font of a built site to the icons it uses."""
    fonts = sorted((site / "_static").glob("vendor/fontawesome/webfonts/*"))
    if not fonts:
        return {}
    sheets = sorted((site / "_static").rglob("*.css"))
    css = [_original(site, p).read_text(encoding="utf-8") for p in sheets]
    pages = [p.read_text(encoding="utf-8", errors="replace") for p in [*site.rglob("*.html"), *_loaded_scripts(site)]]
    used = used_icon_classes(css, pages)
    points = used_code_points(css, used)
    for sheet, text in zip(sheets, css, strict=True):
        slim = strip_unused_rules(text, used)
        if slim != text:
            # The source map describes the full sheet; it would point to the wrong lines.
            sheet.write_text(SOURCE_MAP.sub("", slim), encoding="utf-8")
    return {
        font.name: subset_font(_original(site, font), font, points)
        for font in fonts if font.suffix in {".woff2", ".ttf"}
    }


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    for name, (before, after) in subset_site(Path(args[0] if args else "_build/html")).items():
        print(f"{name}: {before:,} -> {after:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
