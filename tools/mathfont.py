"""Cut KaTeX's fonts down to the characters the site's math uses.

KaTeX draws math with its own fonts (20 files, 300 KB of woff2). A chapter with formulas
downloads four to six of them, about 80 KB, at the highest priority, before its first paint
on a phone. The course's math uses about a hundred distinct characters, so after the build
every KaTeX font keeps only the characters that appear in any formula on any page (plus the
digits and parentheses of equation numbers, which KaTeX's stylesheet writes itself). A
character a formula uses is therefore kept in every font that has it, whichever of them KaTeX
picks.

Usage::

    python -m tools.mathfont _build/html book/_static/katex/fonts
"""
from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

try:
    from tools.iconfont import subset_font
except ImportError:  # loaded from tools/ by the course's Sphinx extension
    from iconfont import subset_font

#: Written by katex.min.css itself (equation numbers), not by any page.
ALWAYS = set("0123456789() ")


#: Elements without an end tag, which must not count as nesting.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})


class _MathText(HTMLParser):
    """Collects the text inside KaTeX's visible output (``<span class="katex-html">``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # > 0 while inside a katex-html span (counting nested elements)
        self.characters: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        if self.depth:
            self.depth += 1
        elif "katex-html" in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.characters |= set(data)


def math_characters(page: str) -> set[str]:
    """The characters that KaTeX's output on ``page`` draws."""
    parser = _MathText()
    parser.feed(page)
    parser.close()
    return parser.characters


def subset_site(site: Path, originals: Path) -> dict[str, tuple[int, int]]:
    """Subset every KaTeX font under ``site/_static/katex/fonts`` from ``originals``.

    Returns, per font, its size in bytes before and after. Does nothing for a site without
    KaTeX fonts.
    """
    fonts = sorted((site / "_static" / "katex" / "fonts").glob("*.woff2"))
    if not fonts:
        return {}
    characters = set(ALWAYS)
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        if "katex-html" in text:
            characters |= math_characters(text)
    points = {ord(c) for c in characters}
    return {font.name: subset_font(originals / font.name, font, points) for font in fonts}


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    site = Path(args[0] if args else "_build/html")
    originals = Path(args[1] if len(args) > 1 else "book/_static/katex/fonts")
    for name, (before, after) in subset_site(site, originals).items():
        print(f"{name}: {before:,} -> {after:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
