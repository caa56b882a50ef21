"""Write a ready nbgrader course folder (`make nbgrader`).

The folder holds::

    nbgrader_config.py                    course id, a 120 s cell timeout, the kernel below,
                                          a friendlier stub, a local exchange folder
    source/<chapter>/<chapter>.ipynb      every chapter, with only the student version's Colab
                                          badge (nbgrader's release keeps the header, and the
                                          chapter's own badge opens the solutions)
    jupyter/kernels/executable-pytorch/   a kernel that runs this course's Python (torch and
                                          the pinned packages), whichever environment nbgrader
                                          itself runs in
    exchange/                             nbgrader's exchange for release/fetch/submit/collect
                                          on this machine (point Exchange.root at a shared
                                          folder on a multi-user JupyterHub)

The chapters already carry nbgrader's cell metadata (:mod:`tools.nbgrader_cells`), so
``nbgrader generate_assignment <chapter>`` works at once. An existing folder is updated in
place: ``source/`` and the config are rewritten; the gradebook, submissions and grades are kept.

Usage::

    python -m tools.nbgrader_course notebooks _build/nbgrader [--python PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import nbformat

from tools.contract import colab_url
from tools.nbio import NotebookError, read_chapters, write_notebook

COURSE_ID = "executable-pytorch"
KERNEL_NAME = "executable-pytorch"
#: Seconds per cell. The slowest cell (chapter 13, DataLoader workers and torch.compile) takes
#: about 13 s on a busy 2-core machine; nbgrader's default of 30 s leaves too little margin.
CELL_TIMEOUT_S = 120
CODE_STUB = 'raise NotImplementedError("write your solution here, replacing this line (see the HINT above)")'

CONFIG = '''\
"""nbgrader configuration for Executable PyTorch, written by `make nbgrader` (tools/nbgrader_course.py).

Run nbgrader from this folder. It is rewritten by `make nbgrader`; put your own settings in
~/.jupyter/nbgrader_config.py or in a nbgrader_config.py further up, or edit a copy.
"""
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
c = get_config()  # noqa: F821 (nbgrader provides it)

c.CourseDirectory.root = str(HERE)
c.CourseDirectory.course_id = {course_id!r}

# Run submissions in the course environment: the kernel spec in jupyter/kernels/ starts
# {python}, whichever environment nbgrader itself runs in.
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    [str(HERE / "jupyter"), *filter(None, [os.environ.get("JUPYTER_PATH")])]
)
c.Execute.kernel_name = {kernel!r}
c.Execute.timeout = {timeout}  # seconds per cell; the slowest cell takes about 13 s

# The stub that replaces each solution in the release (the cell's HINT comment stays).
c.ClearSolutions.code_stub = {{"python": {stub!r}}}

# Release/fetch/submit/collect through this folder, which works for users of this machine.
# On a multi-user JupyterHub use a folder every user can write, e.g. /srv/nbgrader/exchange.
c.Exchange.root = str(HERE / "exchange")
'''


def kernel_spec(python: str) -> dict:
    return {
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (Executable PyTorch course environment)",
        "language": "python",
    }


def drop_solutions_badge(nb: nbformat.NotebookNode, path: Path) -> None:
    """Keep the header's student-version badge; drop the chapter's, which opens the solutions."""
    header = nb.cells[0]
    header.source = "\n".join(line for line in header.source.splitlines() if colab_url(path) not in line)


def write_course(src_dir: Path, dst: Path, python: str) -> list[str]:
    """Write the course folder; returns the assignment names (one per chapter)."""
    notebooks = []
    for path, nb in read_chapters(src_dir):
        drop_solutions_badge(nb, path)
        notebooks.append((path.stem, nb))
    for name, nb in notebooks:
        write_notebook(nb, dst / "source" / name / f"{name}.ipynb")
    kernel_dir = dst / "jupyter" / "kernels" / KERNEL_NAME
    kernel_dir.mkdir(parents=True, exist_ok=True)
    (kernel_dir / "kernel.json").write_text(json.dumps(kernel_spec(python), indent=1) + "\n", encoding="utf-8")
    config = CONFIG.format(
        course_id=COURSE_ID, python=python, kernel=KERNEL_NAME, timeout=CELL_TIMEOUT_S, stub=CODE_STUB
    )
    (dst / "nbgrader_config.py").write_text(config, encoding="utf-8")
    exchange = dst / "exchange"
    exchange.mkdir(exist_ok=True)
    exchange.chmod(0o777)  # nbgrader requires an exchange every user can write
    return [name for name, _ in notebooks]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder of chapter notebooks")
    parser.add_argument("destination", type=Path, help="the nbgrader course folder to write")
    parser.add_argument(
        "--python",
        default=os.path.abspath(sys.executable),  # not resolved: a venv's python is a symlink
        help="the Python the kernel runs (default: this one, the course environment's)",
    )
    args = parser.parse_args(argv)
    try:
        names = write_course(args.source, args.destination, args.python)
    except NotebookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote an nbgrader course with {len(names)} chapters to {args.destination}; kernel: {args.python}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
