"""Sphinx extension for the course site (loaded through ``_config.yml``'s local_extensions).

On every chapter page it adds, above the content:

* the freshness stamp, generated at build time from ``requirements.txt`` and, when one
  exists, the GPU lane's record (``book/gpu_record.json``), never typed by hand;
* links to the chapter's student version (download, and Colab on the ``student`` branch).

It also adds social metadata to every page.
"""
from __future__ import annotations

import html
import json
import re
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


def _page_context(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if doctree is None:
        return
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
    org, repo = github_parts(app.config.html_theme_options["repository_url"])
    colab = (
        f"https://colab.research.google.com/github/{org}/{repo}/blob/"
        f"{STUDENT_BRANCH}/{chapter}.ipynb"
    )
    banner = (
        '<div class="course-stamp" role="note">'
        f'<p class="course-stamp-line">✔ {html.escape(stamp_text(srcdir))}</p>'
        '<p class="course-student-line">Student version (solutions removed): '
        f'<a class="course-student-colab" href="{colab}">open in Colab</a> · '
        f'<a class="course-student-download" href="../student/{chapter}.ipynb" download>'
        "download .ipynb</a></p></div>"
    )
    context["body"] = banner + context.get("body", "")


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _page_context)
    app.add_css_file("course.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
