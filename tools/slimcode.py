"""Remove syntax-highlighting spans that change nothing on screen.

Pygments wraps every token of a code block in a ``<span>``: names, punctuation and spaces
included. With the theme's accessible colour schemes, names (``n``), punctuation (``p``) and
whitespace (``w``) are drawn in the code block's own text colour, in light and in dark mode,
so their spans only add page weight: about 60 % of a chapter's 8,000 elements. Fewer elements
mean faster parsing, styling and layout, which a phone feels most.

A token class is *plain* when every colour scheme in the site's ``pygments.css`` gives it a
rule that sets nothing but the block's own text colour. Only plain classes are unwrapped, and
only inside highlighted code blocks; the text is never changed.

Usage::

    python -m tools.slimcode _build/html
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

#: One pygments.css rule: ``<scheme prefix> .highlight[ .cls] { declarations }``.
RULE = re.compile(r"^(?P<scheme>.*?\.highlight)(?: \.(?P<cls>[\w-]+))? \{(?P<body>[^}]*)\}", re.MULTILINE)
#: Classes other tools select on (sphinx-copybutton skips ``.gp`` prompts; ``.hll`` marks
#: highlighted lines), kept whatever their colour.
KEEP = frozenset({"gp", "go", "hll", "linenos"})
BLOCK = re.compile(r'(<div class="highlight"><pre>)(.*?)(</pre>)', re.DOTALL)


def _declarations(body: str) -> dict[str, str]:
    pairs = (item.split(":", 1) for item in body.split(";") if ":" in item)
    return {key.strip().lower(): value.strip().lower() for key, value in pairs}


def plain_classes(pygments_css: str) -> set[str]:
    """Token classes drawn in the block's text colour, with no other style, in every scheme."""
    schemes: dict[str, dict[str, dict[str, str]]] = {}
    for match in RULE.finditer(pygments_css):
        rules = schemes.setdefault(match["scheme"], {})
        rules[match["cls"] or ""] = _declarations(match["body"])
    plain: set[str] | None = None
    for rules in schemes.values():
        text_colour = rules.get("", {}).get("color")
        if text_colour is None:
            return set()  # a scheme without a text colour: nothing is provably plain
        here = {cls for cls, decl in rules.items() if cls and decl == {"color": text_colour}}
        plain = here if plain is None else plain & here
    return (plain or set()) - KEEP


def unwrap(page: str, classes: set[str]) -> str:
    """``page`` with the spans of ``classes`` inside code blocks replaced by their text.

    Also drops the empty ``<span></span>`` that Pygments puts at the start of each block.
    """
    if not classes:
        return page
    names = "|".join(sorted(re.escape(c) for c in classes))
    token = re.compile(r'<span class="(?:%s)">([^<]*)</span>' % names)

    def slim(block: re.Match[str]) -> str:
        code = token.sub(r"\1", block[2])
        return block[1] + code.removeprefix("<span></span>") + block[3]

    return BLOCK.sub(slim, page)


def slim_site(site: Path) -> tuple[int, int]:
    """Unwrap plain token spans in every page of a built site; return (pages changed, spans)."""
    css = site / "_static" / "pygments.css"
    if not css.is_file():
        return 0, 0
    classes = plain_classes(css.read_text(encoding="utf-8"))
    changed = removed = 0
    for page in site.rglob("*.html"):
        before = page.read_text(encoding="utf-8")
        after = unwrap(before, classes)
        if after != before:
            page.write_text(after, encoding="utf-8")
            changed += 1
            removed += before.count("<span") - after.count("<span")
    return changed, removed


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    changed, removed = slim_site(Path(args[0] if args else "_build/html"))
    print(f"{removed:,} plain token spans removed from {changed} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
