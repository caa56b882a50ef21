"""Sphinx extension for the course site (loaded through ``_config.yml``'s local_extensions).

On every chapter page it adds, above the content:

* the freshness stamp, generated at build time from ``requirements.txt`` and, when one
  exists, the GPU lane's record (``book/gpu_record.json``), never typed by hand;
* a download link for the chapter's student version (its Colab link is in the chapter's header).

It also adds social metadata to every page, and two directives that read the chapters'
own headers so that no page repeats them by hand:

* ``{course-chapter-map}``: a table of every chapter with its title and summary;
* ``{course-syllabus}``: per chapter, objectives, prerequisites, time and exercise list.

After the build it makes the pages lighter for readers on phones: the theme's icon fonts are
cut down to the icons the site shows (``tools.iconfont``), KaTeX's fonts to the characters its
formulas use (``tools.mathfont``), and syntax-highlighting spans that change nothing on screen
are removed (``tools.slimcode``).
"""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

STUDENT_BRANCH = "student"
GPU_RECORD = Path("book") / "gpu_record.json"


def pinned_versions(requirements: Path) -> dict[str, str]:
    """Map package name (lower case) to its exact ``==`` pin in a requirements file."""
    pins = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def gpu_summary(record_path: Path) -> str | None:
    """One line describing the GPU lane's latest record, or None when there is none."""
    if not record_path.exists():
        return None
    record = json.loads(record_path.read_text(encoding="utf-8"))
    results = record.get("notebooks", {})
    passed = sum(1 for r in results.values() if r.get("status") == "pass")
    return (
        f"GPU lane: {record['device']}, torch {record['torch']}, {record['date']}: "
        f"{passed}/{len(results)} notebooks pass"
    )


def stamp_text(srcdir: Path) -> str:
    """The freshness stamp shown on every chapter page."""
    pins = pinned_versions(srcdir / "requirements.txt")
    text = (
        f"Outputs verified with torch {pins['torch']}, torchvision {pins['torchvision']} on CPU"
    )
    gpu = gpu_summary(srcdir / GPU_RECORD)
    return f"{text} · {gpu}" if gpu else f"{text} · GPU lane: no record yet"


def github_parts(repository_url: str) -> tuple[str, str]:
    """``https://github.com/org/repo`` -> ``("org", "repo")``."""
    match = re.match(r"https://github\.com/([^/]+)/([^/]+?)/?$", repository_url)
    if not match:
        raise ValueError(f"not a GitHub repository URL: {repository_url}")
    return match.group(1), match.group(2)


def chapter_header(path: Path) -> dict[str, Any]:
    """Title, summary, objectives, prerequisites, time and exercise titles of a chapter."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    header = "".join(cells[0]["source"])
    paragraphs = [p.strip() for p in header.split("\n\n")]
    title = re.sub(r"^#\s*", "", paragraphs[0]).strip()
    summary = next((p for p in paragraphs[1:] if p and not p.startswith(("[![", "**", "-"))), "")
    objectives = re.findall(r"^- (.+(?:\n  .+)*)", header.split("**Learning objectives", 1)[-1], re.M)
    prereq = re.search(r"\*\*Prerequisites:?\*\*:?\s*(.+)", header)
    time_ = re.search(r"\*\*Estimated time:?\*\*:?\s*(.+)", header)
    exercises = []
    for cell in cells:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            exercises += [e.strip() for e in re.findall(r"^#+\s*(Exercise\s+\d+.*)$", text, re.M)]
    return {
        "stem": path.stem,
        "title": title,
        "summary": " ".join(summary.split()),
        "objectives": [" ".join(o.split()) for o in objectives],
        "prerequisites": prereq.group(1).strip() if prereq else "",
        "time": time_.group(1).strip().rstrip(".") if time_ else "",
        "exercises": exercises,
    }


def _chapters(srcdir: Path) -> list[Path]:
    return sorted((srcdir / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _link_fix(markdown: str) -> str:
    """Links inside a notebook are relative to notebooks/; make them work from book/."""
    return re.sub(r"\]\((?!https?:|\.\./|#)([^)]+\.ipynb)", r"](../notebooks/\1", markdown)


def chapter_map_markdown(srcdir: Path) -> str:
    rows = ["| # | Chapter | What it teaches | Time |", "| --- | --- | --- | --- |"]
    for path in _chapters(srcdir):
        info = chapter_header(path)
        name = info["title"].split("·", 1)[-1].strip()
        rows.append(
            f"| {path.stem[:2]} | [{name}](../notebooks/{path.name}) | {info['summary']} | {info['time']} |"
        )
    return "\n".join(rows)


def syllabus_markdown(srcdir: Path) -> str:
    parts = []
    for path in _chapters(srcdir):
        info = chapter_header(path)
        parts.append(f"### {info['title']}\n")
        parts.append(
            f"[Read the chapter](../notebooks/{path.name}) · "
            f"[student version](https://colab.research.google.com/github/{{org}}/{{repo}}/blob/"
            f"{STUDENT_BRANCH}/{path.name}) · **Time:** {info['time']} · "
            f"**Prerequisites:** {_link_fix(info['prerequisites'])}\n"
        )
        parts.append("**Objectives**\n")
        parts += [f"- {o}" for o in info["objectives"]]
        parts.append("\n**Exercises**\n")
        parts += [f"{i}. {e}" for i, e in enumerate(info["exercises"], start=1)]
        parts.append("")
    return "\n".join(parts)


def _markdown_directive(render: Any) -> Any:
    from docutils.parsers.rst import Directive
    from docutils.statemachine import StringList

    class MarkdownFromChapters(Directive):
        has_content = False

        def run(self) -> list[Any]:
            env = self.state.document.settings.env
            for path in _chapters(Path(env.srcdir)):
                env.note_dependency(str(path))
            org, repo = github_parts(env.config.html_theme_options["repository_url"])
            text = render(Path(env.srcdir)).replace("{org}", org).replace("{repo}", repo)
            from docutils import nodes

            container = nodes.container()
            self.state.nested_parse(StringList(text.splitlines(), source="chapters"), 0, container)
            return container.children

    return MarkdownFromChapters


def _deferred(asset: Any) -> Any:
    """The same script asset with ``defer`` (inline scripts and async ones are left alone)."""
    from sphinx.builders.html._assets import _JavaScript

    attributes = dict(getattr(asset, "attributes", {}))
    if not getattr(asset, "filename", None) or attributes.get("body") or "async" in attributes:
        return asset
    attributes.setdefault("defer", "defer")
    return _JavaScript(asset.filename, priority=getattr(asset, "priority", 500), **attributes)


def _is_thebe(asset: Any) -> bool:
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    return "thebe" in str(asset).lower() or "THEBE_JS_URL" in body


def _is_math(asset: Any) -> bool:
    return "katex" in str(getattr(asset, "filename", asset)).lower()


COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


def _page_context(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if doctree is None:
        return
    body = context.get("body", "")
    # The notebooks' Colab badge is served from the site itself: no third-party request.
    depth = pagename.count("/")
    context["body"] = body = body.replace(COLAB_BADGE, "../" * depth + "_static/colab-badge.svg")
    # Page weight: KaTeX's stylesheet (and, without Node.js, its scripts) only on pages that
    # have math. (The theme's 1.5 MB fontawesome.js is removed by
    # book/_templates/static/webpack-macros.html.)
    # Thebe is not used (Colab is the launch target); Jupyter Book registers its config script
    # twice, which redeclares a const and raises a page error, so its assets are dropped.
    # Every script file loads deferred (in order, after parsing), so none blocks the first
    # paint; the small inline configuration scripts still run first, as before.
    has_math = 'class="math' in body
    context["script_files"] = [
        _deferred(s) for s in context.get("script_files", [])
        if not _is_thebe(s) and (has_math or not _is_math(s))
    ]
    context["css_files"] = [
        c for c in context.get("css_files", [])
        if "thebe" not in str(c).lower() and (has_math or not _is_math(c))
    ]
    srcdir = Path(app.srcdir)
    metatags = context.get("metatags", "")
    title = html.escape(re.sub("<[^>]+>", "", context.get("title", "")))
    description = html.escape(app.config.html_context.get("course_description", ""))
    context["metatags"] = metatags + (
        f'\n<meta name="description" content="{description}">'
        f'\n<meta property="og:title" content="{title}">'
        f'\n<meta property="og:description" content="{description}">'
        f'\n<meta property="og:type" content="website">'
        f'\n<meta name="twitter:card" content="summary">'
    )
    if not pagename.startswith("notebooks/"):
        return
    chapter = pagename.split("/", 1)[1]
    # Both Colab links (chapter and student version) are in the chapter's own header cell.
    banner = (
        '<div class="course-stamp" role="note">'
        f'<p class="course-stamp-line">✔ {html.escape(stamp_text(srcdir))}</p>'
        '<p class="course-student-line">Student version (solutions removed): '
        f'<a class="course-student-download" href="../student/{chapter}.ipynb" download>'
        "download .ipynb</a></p>"
        '<p class="course-reference-line">Reference: '
        '<a href="../book/cheatsheet.html">cheatsheet</a> · '
        '<a href="../book/glossary.html">glossary</a></p></div>'
    )
    context["body"] = banner + context.get("body", "")


def _math_fallback(app: Any, config: Any) -> None:
    """Typeset math in the browser when Node.js is missing (the published site always has it)."""
    if getattr(config, "katex_prerender", False) and shutil.which("node") is None:
        config.katex_prerender = False
        print("course: Node.js not found; math will be typeset by KaTeX in the browser")


def _lighten(app: Any, exception: Exception | None) -> None:
    """Subset the icon fonts and drop plain highlighting spans in the built site."""
    try:  # imported as tools.course_sphinx, or as course_sphinx from tools/ by Jupyter Book
        from tools import iconfont, mathfont, slimcode
    except ImportError:
        import iconfont
        import mathfont
        import slimcode

    if exception is not None or app.builder.format != "html":
        return
    site = Path(app.outdir)
    iconfont.subset_site(site)
    slimcode.slim_site(site)
    for static in app.config.html_static_path:
        originals = Path(app.confdir) / static / "katex" / "fonts"
        if originals.is_dir():
            mathfont.subset_site(site, originals)


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _math_fallback)
    # After the theme rewrites pygments.css (its own build-finished handler, priority 500).
    app.connect("build-finished", _lighten, priority=900)
    app.connect("html-page-context", _page_context)
    app.add_directive("course-chapter-map", _markdown_directive(chapter_map_markdown))
    app.add_directive("course-syllabus", _markdown_directive(syllabus_markdown))
    app.add_css_file("course.css")
    app.add_js_file("course.js", defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
