"""tools.grade (grading without nbgrader) scores from outputs and cannot be fooled by an edited check."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tools import grade, student
from tools.nbio import read_notebook, write_notebook

ROOT = Path(__file__).resolve().parent.parent


def answered(name: str, wrong: dict[str, str]) -> nbformat.NotebookNode:
    """The student version of ``name`` with the solutions filled in; ``wrong`` maps a grade id
    to the body that replaces its solution."""
    source = read_notebook(ROOT / "notebooks" / f"{name}.ipynb")
    nb = student.student_version(source, name)
    bodies = {c.id: c.source for c in source.cells}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            body = bodies[cell.id]
            if meta["grade_id"] in wrong:
                body = re.sub(r"### BEGIN SOLUTION.*### END SOLUTION", lambda _: wrong[meta["grade_id"]], body, flags=re.S)
            cell.source = "\n".join(line for line in body.splitlines() if "SOLUTION" not in line)
    return nb


def test_refuses_a_notebook_without_grade_ids(tmp_path: Path):
    nb = read_notebook(ROOT / "notebooks" / "02_autograd.ipynb")
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
    write_notebook(nb, tmp_path / "old.ipynb")
    with pytest.raises(grade.GradingError, match="not a chapter of this course version"):
        grade.grade(tmp_path / "old.ipynb")


@pytest.mark.slow
def test_scores_outputs_and_runs_the_courses_own_checks(tmp_path: Path, capsys):
    nb = answered("02_autograd", {"ex02-1": "predicted_grad = 4.0"})
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "ex02-1-check":
            cell.source = 'print("Exercise 1: correct")'  # a student "fixes" the failing check
    path = tmp_path / "submission.ipynb"
    write_notebook(nb, path)
    assert grade.main([str(path), "--csv", str(tmp_path / "g.csv")]) == 0
    out = capsys.readouterr().out
    assert f"{path}: 02_autograd 3/4" in out, out
    assert "failed  ex02-1-check: AssertionError: Exercise 1: you predicted 4.0" in out, out
    assert "WARNING ex02-1-check: the submitted self-check differs" in out, out
    assert (tmp_path / "g.csv").read_text().splitlines()[1].endswith(",02_autograd,3,4,ex02-1-check")


@pytest.mark.slow
def test_warns_about_copied_and_deleted_checks(tmp_path: Path, capsys):
    """On Colab a student can copy or delete locked cells: nbgrader then cannot autograde the
    notebook, and tools.grade says which check is duplicated or missing."""
    nb = answered("02_autograd", {})
    checks = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade", False)]
    nb.cells.remove(checks[1])  # ex02-2-check deleted
    copy = nbformat.from_dict(checks[0])
    copy.id = "copied-check"
    nb.cells.append(copy)  # ex02-1-check copied to the end
    path = tmp_path / "submission.ipynb"
    write_notebook(nb, path)
    assert grade.main([str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}: 02_autograd 3/4" in out, out
    assert "failed  ex02-2-check: missing" in out, out
    assert "WARNING ex02-1-check appears 2 times (a copied cell?)" in out, out
    assert "WARNING ex02-2-check is missing" in out, out
