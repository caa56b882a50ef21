"""Grade submissions without nbgrader: run each one, then read its self-checks' outputs.

For every submitted notebook:

1. Each self-check cell (an nbgrader autograded test, see :mod:`tools.nbgrader_cells`) is
   replaced by the course's own version of that cell, matched by its nbgrader grade id, so a
   student who edited a check cannot pass it that way. A check that differs from the course's
   is reported: either the student edited it, or the notebook comes from another version of
   the course (see book/instructors.md).
2. The notebook runs from a fresh kernel in an empty folder (errors allowed), as
   ``make execute`` runs chapters.
3. A check earns its points when its *output*, not its source, shows ``Exercise N: correct``
   and it raised no error. The first line of a failing check's error is shown.

Usage::

    python -m tools.grade submission.ipynb [more.ipynb ...] [--course notebooks] [--csv grades.csv]

Prints one line per submission and per failed check; the exit status is 1 if a submission
could not be graded (unreadable, or from no chapter of this course), else 0.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from collections import Counter

import nbformat

from tools.execute import CELL_TIMEOUT_S, run_in_empty_dir
from tools.nbio import NotebookError, read_notebook

ROOT = Path(__file__).resolve().parent.parent


class GradingError(Exception):
    """The submission cannot be matched with a chapter of this course."""


@dataclass
class Result:
    path: Path
    chapter: str
    score: float = 0.0
    max_score: float = 0.0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def checks_of(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    """{grade id: cell} of the autograded test cells."""
    return {
        c.metadata["nbgrader"]["grade_id"]: c
        for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
    }


def chapter_for(nb: nbformat.NotebookNode, course: Path) -> Path:
    """The course notebook a submission was made from, found by its grade ids (``exNN-...``)."""
    ids = [c.metadata.get("nbgrader", {}).get("grade_id", "") for c in nb.cells]
    numbers = {m.group(1) for i in ids if (m := re.match(r"ex(\d\d)-", i))}
    if len(numbers) != 1:
        raise GradingError(
            "no nbgrader grade ids of one chapter (exNN-...): the notebook is not a chapter of this "
            "course version (made from an older version?)"
        )
    found = sorted(course.glob(f"{numbers.pop()}_*.ipynb"))
    if len(found) != 1:
        raise GradingError(f"no chapter {numbers} in {course}")
    return found[0]


def passed(cell: nbformat.NotebookNode, exercise: str) -> tuple[bool, str]:
    """(passed?, why not) from the cell's outputs."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        return False, f"{errors[0].get('ename')}: {errors[0].get('evalue', '')}".splitlines()[0]
    stdout = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")
    if f"{exercise}: correct" not in stdout:
        return False, "the check did not print its 'correct' line (not run?)"
    return True, ""


def grade(path: Path, course: Path = ROOT / "notebooks", timeout: int = CELL_TIMEOUT_S) -> Result:
    """Run ``path`` with the course's self-checks and score it from their outputs."""
    nb = read_notebook(path)
    reference_path = chapter_for(nb, course)
    reference = checks_of(read_notebook(reference_path))
    result = Result(path, reference_path.stem)
    copies = Counter(c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells)
    for grade_id, count in sorted((g, n) for g, n in copies.items() if g and n > 1):
        # Copied cells (Colab lets students copy locked cells): nbgrader's autograde refuses the
        # whole notebook ("Cell with id ... exists multiple times"); here the last copy counts.
        result.warnings.append(
            f"{grade_id} appears {count} times (a copied cell?): nbgrader cannot autograde this "
            "notebook; graded here by its last copy"
        )
    submitted = checks_of(nb)
    for grade_id in sorted(set(reference) - set(submitted)):
        result.warnings.append(f"{grade_id} is missing (made from another version of the course?)")
    for grade_id in sorted(set(submitted) - set(reference)):
        result.warnings.append(f"{grade_id} is not in this course version; it is not graded")
        del submitted[grade_id].metadata["nbgrader"]
    for grade_id, cell in submitted.items():
        if grade_id in reference and cell.source != reference[grade_id].source:
            result.warnings.append(
                f"{grade_id}: the submitted self-check differs from the course's (edited, or another "
                "course version); the course's check was run"
            )
            cell.source = reference[grade_id].source
    nb, _, _ = run_in_empty_dir(nb, reference_path.name, timeout=timeout, allow_errors=True)
    ran = checks_of(nb)
    for grade_id, ref_cell in reference.items():
        points = float(ref_cell.metadata["nbgrader"].get("points", 1))
        result.max_score += points
        exercise = f"Exercise {grade_id.split('-')[1]}"
        if grade_id not in ran:
            result.failures.append(f"{grade_id}: missing")
            continue
        ok, why = passed(ran[grade_id], exercise)
        if ok:
            result.score += points
        else:
            result.failures.append(f"{grade_id}: {why}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", nargs="+", type=Path)
    parser.add_argument("--course", type=Path, default=ROOT / "notebooks", help="the chapters (default: notebooks/)")
    parser.add_argument("--csv", type=Path, help="also write path,chapter,score,max_score,failed rows here")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT_S, help="seconds per cell")
    args = parser.parse_args(argv)
    status = 0
    rows = []
    for path in args.submissions:
        try:
            result = grade(path, args.course, args.timeout)
        except (NotebookError, GradingError) as error:
            print(f"{path}: not graded: {error}")
            status = 1
            continue
        print(f"{path}: {result.chapter} {result.score:g}/{result.max_score:g}")
        for line in result.failures:
            print(f"  failed  {line}")
        for line in result.warnings:
            print(f"  WARNING {line}")
        rows.append([str(path), result.chapter, f"{result.score:g}", f"{result.max_score:g}",
                     " ".join(f.split(":")[0] for f in result.failures)])
    if args.csv:
        with args.csv.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(["path", "chapter", "score", "max_score", "failed"])
            writer.writerows(rows)
    return status


if __name__ == "__main__":
    sys.exit(main())
