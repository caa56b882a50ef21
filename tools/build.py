"""Build the site: student versions, then Jupyter Book with warnings as errors.

1. ``tools.student`` writes the student notebooks into ``_build/student``.
2. ``jupyter-book build . --all -W --keep-going`` builds ``_build/html`` from the stored
   outputs. ``--all`` rebuilds every page: an incremental Sphinx build that finds no changed
   page skips copying static files, so an edited stylesheet or script would not reach the site
   (the whole book builds in about ten seconds).
3. The student notebooks are published under ``_build/html/student/``, and the 404 page at
   the site root.

Usage::

    python -m tools.build
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tools import student

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"


def build(root: Path = ROOT, output: Path | None = None) -> int:
    """Run the three steps into ``output`` (default ``root``, giving ``root/_build``).

    Returns 0, or the exit status of the first step that fails.
    """
    output = output or root
    student_dir = output / "_build" / "student"
    if student.main([str(root / "notebooks"), str(student_dir)]) != 0:
        return 1
    jb = Path(sys.executable).with_name("jupyter-book")
    command = [str(jb), "build", str(root), "--all", "-W", "--keep-going", "--path-output", str(output)]
    status = subprocess.call(command)
    if status != 0:
        print("error: the site build reported warnings or errors (see above)", file=sys.stderr)
        return status
    published = output / "_build" / "html" / "student"
    shutil.rmtree(published, ignore_errors=True)
    shutil.copytree(student_dir, published)
    # GitHub Pages serves /404.html for unknown paths.
    shutil.copy(root / "book" / "_static" / "404.html", output / "_build" / "html" / "404.html")
    print(f"site: {output / '_build' / 'html' / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(build())
