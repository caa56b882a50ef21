"""nbgrader cell metadata for the exercises and self-checks (COURSE.md §4, item 7).

Every exercise cell is an nbgrader *solution* cell ("Autograded answer" without points) and
every self-check cell is an *autograded test*: locked, one point. This is the metadata that
nbgrader 0.9's "Create assignment" sidebar writes, with stable grade ids derived from the
chapter and exercise numbers instead of random ones::

    exercise 3 of 01_tensors.ipynb:  {"grade": false, "grade_id": "ex01-3", "locked": false,
                                      "schema_version": 3, "solution": true, "task": false}
    its self-check:                  {"grade": true, "grade_id": "ex01-3-check", "locked": true,
                                      "points": 1, "schema_version": 3, "solution": false,
                                      "task": false}

Running it again changes nothing (a notebook is rewritten only when its metadata differs).
:func:`problems` is the contract check (``tools.contract``'s ``nbgrader`` check).

Usage::

    python -m tools.nbgrader_cells notebooks/*.ipynb
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

from tools.nbio import NotebookError, read_notebook, write_notebook

SCHEMA_VERSION = 3
POINTS = 1
EXERCISE_TAG, CHECK_TAG = "exercise", "self-check"


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def exercise_number(source: str) -> int | None:
    """N from the cell's first line ``# Exercise N``."""
    match = re.match(r"#\s*Exercise\s+(\d+)", source.lstrip())
    return int(match.group(1)) if match else None


def solution_metadata(grade_id: str) -> dict:
    return {
        "grade": False,
        "grade_id": grade_id,
        "locked": False,
        "schema_version": SCHEMA_VERSION,
        "solution": True,
        "task": False,
    }


def autograded_test_metadata(grade_id: str, points: int = POINTS) -> dict:
    return {
        "grade": True,
        "grade_id": grade_id,
        "locked": True,
        "points": points,
        "schema_version": SCHEMA_VERSION,
        "solution": False,
        "task": False,
    }


def chapter_of(path: Path) -> str:
    """The two-digit chapter number of ``NN_name.ipynb``."""
    return path.name[:2]


def expected(nb: nbformat.NotebookNode, path: Path) -> dict[int, dict]:
    """{cell index: nbgrader metadata} for every exercise and self-check cell of ``nb``.

    A self-check takes the number of the exercise cell before it (among code cells).
    """
    chapter = chapter_of(path)
    wanted: dict[int, dict] = {}
    last_exercise: int | None = None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if EXERCISE_TAG in _tags(cell):
            last_exercise = exercise_number(cell.source)
            if last_exercise is not None:
                wanted[index] = solution_metadata(f"ex{chapter}-{last_exercise}")
        elif CHECK_TAG in _tags(cell):
            if last_exercise is not None:
                wanted[index] = autograded_test_metadata(f"ex{chapter}-{last_exercise}-check")
            last_exercise = None
        else:
            last_exercise = None
    return wanted


def annotate(nb: nbformat.NotebookNode, path: Path) -> bool:
    """Give ``nb``'s exercise and self-check cells their nbgrader metadata; True if changed."""
    changed = False
    for index, meta in expected(nb, path).items():
        cell = nb.cells[index]
        if cell.metadata.get("nbgrader") != meta:
            cell.metadata["nbgrader"] = meta
            changed = True
    return changed


def problems(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """What differs from the metadata :func:`annotate` writes (empty when all is in place)."""
    found = []
    wanted = expected(nb, path)
    code_number = {i: n for n, i in enumerate(i for i, c in enumerate(nb.cells) if c.cell_type == "code")}
    for index, cell in enumerate(nb.cells):
        have = cell.get("metadata", {}).get("nbgrader")
        where = f"code cell {code_number[index]}" if index in code_number else f"cell {index}"
        if index in wanted:
            if have != wanted[index]:
                kind = "an autograded test (locked, with points)" if wanted[index]["grade"] else "a solution cell"
                found.append(
                    f"{where} must be {kind} for nbgrader: metadata.nbgrader should be {wanted[index]}, "
                    f"is {have} (run `python -m tools.nbgrader_cells {path.name}`)"
                )
        elif have is not None:
            found.append(f"{where} has nbgrader metadata but is neither an exercise nor its self-check")
    ids = [m["grade_id"] for m in wanted.values()]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        found.append(f"grade ids used twice: {duplicates} (exercise numbers must be unique)")
    return found


def main(argv: list[str] | None = None) -> int:
    paths = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    status = 0
    for path in paths:
        try:
            nb = read_notebook(path)
        except NotebookError as error:
            print(f"error: {path}: {error}", file=sys.stderr)
            status = 1
            continue
        if annotate(nb, path):
            write_notebook(nb, path)
            print(f"{path}: nbgrader metadata written")
    return status


if __name__ == "__main__":
    sys.exit(main())
