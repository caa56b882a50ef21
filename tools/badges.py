"""Rewrite each chapter's two Open-in-Colab badges from `_config.yml` (`make badges`).

Every chapter header offers both versions: the chapter with its solutions, and the student
version (the `student` branch that `make student` publishes). The repository URL and branch are
set once, in `_config.yml`; this keeps every notebook's badges in step with them. The contract
test `header` fails when a badge is out of date.

Usage::

    python -m tools.badges notebooks/*.ipynb
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from tools.contract import badge_lines
from tools.nbio import NotebookError, chapter_paths, read_notebook, write_notebook

#: The badge block: one or more consecutive lines that hold an Open-in-Colab badge.
_BADGES = re.compile(r"^.*colab-badge\.svg.*(?:\n.*colab-badge\.svg.*)*$", re.MULTILINE)


def fix_badge(path: Path) -> bool:
    """Write this notebook's two badges into its first cell; return True if it changed."""
    nb = read_notebook(path)
    header = nb.cells[0]
    updated = _BADGES.sub(lambda _: badge_lines(path), header.source, count=1)
    if updated == header.source:
        return False
    header.source = updated
    write_notebook(nb, path)
    return True


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    paths = [Path(a) for a in args] or chapter_paths()
    status = 0
    for path in paths:
        try:
            print(f"{path}: {'updated' if fix_badge(path) else 'up to date'}")
        except NotebookError as error:
            print(f"error: {path}: {error}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
