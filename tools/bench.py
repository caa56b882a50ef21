"""Time every chapter against its budget (`make bench`).

Each notebook is executed as `make execute` would (fresh kernel, empty directory, the reference
environment, which is what CI pays for) and timed; ``--learner`` times it as a learner's machine
runs it instead (native kernels, all cores). The floor is a fresh kernel that only imports torch, torchvision and
matplotlib. A notebook over budget is reported; one over ``FAIL_FACTOR`` times its budget
fails the run. Timings are measurements: they live here, never in compared output.

Usage::

    python -m tools.bench [notebooks/NN_topic.ipynb ...]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from tools.execute import ExecutionFailed, check_outputs, run_in_empty_dir
from tools.nbio import NotebookError, chapter_paths, read_notebook

BUDGET_S = 30.0
#: Training-heavy chapters get twice the time (COURSE.md §4.8).
HEAVY = {"06", "07", "08", "09", "12", "15"}
FAIL_FACTOR = 1.5


def budget(path: Path) -> float:
    return 2 * BUDGET_S if path.name[:2] in HEAVY else BUDGET_S


def floor_seconds(learner: bool = False) -> float:
    """A fresh kernel importing torch, torchvision and matplotlib: the floor of any chapter."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import torch, torchvision, matplotlib.pyplot")]
    _, elapsed, _ = run_in_empty_dir(nb, "floor.ipynb", learner=learner)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--learner", action="store_true", help="native kernels and all cores, as learners run")
    args = parser.parse_args(argv)
    paths = args.notebooks or chapter_paths()
    rows, status = [], 0
    floor = floor_seconds(args.learner)
    for path in paths:
        try:
            nb, elapsed, _ = run_in_empty_dir(read_notebook(path), path.name, learner=args.learner)
            check_outputs(nb, path)
        except (NotebookError, ExecutionFailed) as error:
            rows.append((path.name, None, budget(path), f"FAILED: {error}"))
            status = 1
            continue
        limit = budget(path)
        verdict = "ok" if elapsed <= limit else "over budget"
        if elapsed > FAIL_FACTOR * limit:
            verdict, status = f"FAIL (> {FAIL_FACTOR:g} x budget)", 1
        rows.append((path.name, elapsed, limit, verdict))
    print("| notebook | seconds | budget | verdict |\n| --- | ---: | ---: | --- |")
    print(f"| floor: fresh kernel + import torch, torchvision, matplotlib | {floor:.1f} | - | - |")
    for name, elapsed, limit, verdict in rows:
        shown = "-" if elapsed is None else f"{elapsed:.1f}"
        print(f"| {name} | {shown} | {limit:.0f} | {verdict} |")
    total = sum(r[1] for r in rows if r[1] is not None)
    print(f"| total | {total:.1f} | | |")
    return status


if __name__ == "__main__":
    sys.exit(main())
