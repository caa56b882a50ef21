"""book/instructors.md: every ```bash block runs verbatim, in order, and does what the page says.

The blocks run as one bash script (so a `cd` carries over, as in a terminal) from the root of a
copy of the course, with a private $HOME whose ~/Downloads/01_tensors.ipynb is Alice's
submission: the student version with exercises 1, 2 and 4 right and exercise 3 wrong. The
copy shares this checkout's .venv; the test runs when .venv/.installed exists, and then fails if
that environment lacks a pin of requirements.txt that applies to this platform (its marker is
true), so the page's `make` commands never reinstall it.
"""
from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tools import student
from tools.nbio import read_notebook, write_notebook

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "book" / "instructors.md"
WRONG_EX3 = "def standardise(X):\n    return (X - X.mean()) / X.std()"
FAILED_EX3 = "ex01-3-check: AssertionError: Exercise 3: the column means are not 0."


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"^```bash\n(.*?)^```", text, flags=re.M | re.S)


def unmet_pins(requirements: str | None = None) -> list[str]:
    """Pins of requirements.txt that the course environment does not have.

    Each line is parsed as a PEP 508 requirement; a pin whose environment marker is false here
    (``appnope ; sys_platform == 'darwin'`` on Linux) does not apply and is not counted.
    """
    if requirements is None:
        requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    unmet = []
    for line in requirements.splitlines():
        text = line.split(" #", 1)[0].strip()
        if not text or text.startswith(("#", "-")):
            continue
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            installed = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            unmet.append(text)
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            unmet.append(f"{text} (installed: {installed})")
    return unmet


def test_unmet_pins_honours_markers():
    never = "sys_platform == 'no-such-platform'"
    assert unmet_pins(f"no-such-package-xyz==1.0 ; {never}\n") == []
    assert unmet_pins("no-such-package-xyz==1.0\n") == ["no-such-package-xyz==1.0"]
    pytest_version = importlib.metadata.version("pytest")
    assert unmet_pins(f"pytest=={pytest_version}\n    # via -r requirements.in\n") == []
    assert unmet_pins("pytest==0.0.1\n")[0].startswith("pytest==0.0.1 (installed: ")


def alices_submission() -> object:
    """Chapter 01's student version, answered, with a plausible mistake in exercise 3."""
    source = read_notebook(ROOT / "notebooks" / "01_tensors.ipynb")
    nb = student.student_version(source, "01_tensors")
    solutions = {c.id: c.source for c in source.cells}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            body = solutions[cell.id]
            if grade_id == "ex01-3":
                body = re.sub(r"### BEGIN SOLUTION.*### END SOLUTION", WRONG_EX3, body, flags=re.S)
            cell.source = "\n".join(l for l in body.splitlines() if "SOLUTION" not in l)
    return nb


def copy_course(dst: Path) -> None:
    ignore = shutil.ignore_patterns(".git", ".venv", "_build", "__pycache__", "node_modules", ".pytest_cache")
    shutil.copytree(ROOT, dst, ignore=ignore, symlinks=True)  # copy2: modification times kept
    (dst / ".venv").symlink_to((ROOT / ".venv").resolve())
    stamp = ROOT / ".venv" / ".installed"
    # The environment has every pin (checked by the caller): make must not reinstall it.
    os.utime(dst / "requirements.txt", (stamp.stat().st_mtime - 1,) * 2)


def test_page_has_the_commands():
    blocks = bash_blocks(PAGE.read_text(encoding="utf-8"))
    text = "\n".join(blocks)
    for command in ["make nbgrader", "nbgrader generate_assignment", "nbgrader release_assignment",
                    "nbgrader collect", "nbgrader autograde", "nbgrader generate_feedback",
                    "nbgrader export", "-m tools.grade"]:
        assert command in text, f"instructors.md has no shell block with `{command}`"


@pytest.mark.slow
def test_every_command_on_the_page_runs_and_grades_as_it_says(tmp_path: Path):
    if not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("no .venv/.installed: run `make venv`")
    unmet = unmet_pins()
    # .venv/.installed says the environment is complete: a pin it lacks is a failure, not a skip.
    assert not unmet, f"the course environment lacks {unmet[:5]} although .venv/.installed exists: run `make venv`"
    course, home = tmp_path / "course", tmp_path / "home"
    copy_course(course)
    write_notebook(alices_submission(), home / "Downloads" / "01_tensors.ipynb")
    env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"))
    env.pop("JUPYTER_PATH", None)
    env.pop("VIRTUAL_ENV", None)
    script = "\n".join(bash_blocks(PAGE.read_text(encoding="utf-8")))
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "set -x\n" + script], cwd=course, env=env,
        capture_output=True, text=True, timeout=1800,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-6000:]

    # Grading without nbgrader: 4/5, exercise 3 named, and the CSV.
    assert "01_tensors.ipynb: 01_tensors 4/5" in result.stdout, result.stdout[-3000:]
    assert FAILED_EX3 in result.stdout
    assert "WARNING" not in result.stdout
    assert (course / "grades-01.csv").read_text().splitlines()[1].split(",")[1:4] == ["01_tensors", "4", "5"]

    # nbgrader: the gradebook's export and the feedback.
    folder = course / "_build" / "nbgrader"
    grades = (folder / "grades.csv").read_text().splitlines()
    header, rows = grades[0].split(","), [dict(zip(grades[0].split(","), r.split(","))) for r in grades[1:]]
    alice = [r for r in rows if r["student_id"] == "alice" and r["assignment"] == "01_tensors"]
    assert len(alice) == 1 and float(alice[0]["score"]) == 4.0 and float(alice[0]["max_score"]) == 5.0, grades
    feedback = (folder / "feedback" / "alice" / "01_tensors" / "01_tensors.html").read_text()
    assert "Exercise 3: the column means are not 0." in feedback
    assert (folder / "release" / "01_tensors" / "01_tensors.ipynb").exists()
