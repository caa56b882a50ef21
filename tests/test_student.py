"""Student versions (`make student`): no solution leaks, valid notebooks, helpful self-checks."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from tests.learner_mistakes import CORRECT, MISTAKES
from tools import student
from tools.contract import badge_lines
from tools.contract import code_cells, tags
from tools.execute import run_in_empty_dir
from tools.nbio import read_notebook

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def solution_lines(source: str) -> list[str]:
    """The non-blank lines between the markers of one cell."""
    found, inside = [], False
    for line in source.splitlines():
        if student.BEGIN in line:
            inside = True
        elif student.END in line:
            inside = False
        elif inside and line.strip():
            found.append(line.strip())
    return found


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    assert student.main([str(ROOT / "notebooks"), str(out)]) == 0
    return out


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_student_version_is_valid_and_leaks_nothing(path: Path, student_dir: Path):
    original = read_notebook(path)
    converted = read_notebook(student_dir / path.name)  # validates against the schema
    for before, after in zip(code_cells(original), code_cells(converted), strict=True):
        assert after.outputs == [] and after.execution_count is None
        assert student.BEGIN not in after.source and student.END not in after.source
        if student.BEGIN in before.source:
            assert "raise NotImplementedError(" in after.source
            kept = set(line.strip() for line in after.source.splitlines())
            leaked = [line for line in solution_lines(before.source) if line in kept]
            assert not leaked, f"{path.name}: solution lines leaked into the student version: {leaked}"
            assert "hide-input" not in tags(after)
    badge = converted.cells[0].source
    assert badge_lines(path) in badge, "the student version keeps both badges, the chapter's and its own"


def with_mistakes(nb: nbformat.NotebookNode, mistakes: dict[int, list[str]],
                  correct: dict[int, list[str]] | None = None) -> nbformat.NotebookNode:
    """After each self-check, a learner's wrong answer (from tests/learner_mistakes.py) and the
    self-check again, for each wrong answer of that exercise; then each alternative correct
    answer of that exercise and the self-check again (which must pass)."""
    correct = correct or {}
    cells, exercise = [], None
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        if "exercise" in tags(cell):
            exercise = int(re.match(r"#\s*Exercise\s+(\d+)", cell.source.lstrip()).group(1))
        elif "self-check" in tags(cell):
            for kind, answers in [("mistake", mistakes.get(exercise, [])), ("correct", correct.get(exercise, []))]:
                for answer in answers:
                    cells.append(nbformat.v4.new_code_cell(answer, metadata={"tags": [f"learner-{kind}"]}))
                    recheck = nbformat.v4.new_code_cell(cell.source, metadata={"tags": [f"learner-{kind}-recheck"]})
                    recheck.metadata[kind] = {"exercise": exercise, "code": answer}
                    cells.append(recheck)
    nb = nbformat.from_dict(nb)
    nb.cells = cells
    return nb


def test_mistakes_are_listed_for_chapters_that_exist():
    names = {p.stem for p in CHAPTERS}
    assert set(MISTAKES) <= names
    for name, by_exercise in MISTAKES.items():
        exercises = sum("exercise" in tags(c) for c in read_notebook(ROOT / "notebooks" / f"{name}.ipynb").cells)
        assert sorted(by_exercise) == list(range(1, exercises + 1)), f"{name}: a mistake for every exercise"
        assert all(by_exercise.values())
    assert set(CORRECT) <= names
    for name, by_exercise in CORRECT.items():
        exercises = sum("exercise" in tags(c) for c in read_notebook(ROOT / "notebooks" / f"{name}.ipynb").cells)
        assert set(by_exercise) <= set(range(1, exercises + 1)) and all(by_exercise.values()), name


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_self_checks_fail_helpfully_on_stubs(path: Path, student_dir: Path):
    """Run the student version: every self-check fails with a message naming its exercise, on the
    stub and on each plausible wrong answer listed in tests/learner_mistakes.py, and passes on each
    alternative correct answer listed there (CORRECT)."""
    nb = with_mistakes(read_notebook(student_dir / path.name), MISTAKES.get(path.stem, {}), CORRECT.get(path.stem, {}))
    nb, _, _ = run_in_empty_dir(nb, path.name, allow_errors=True)
    cells = code_cells(nb)
    checked = 0
    for index, cell in enumerate(cells):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if "learner-mistake" in tags(cell) or "learner-correct" in tags(cell):
            assert not errors, f"{path.name}: the answer itself raised {errors[0].ename}: {cell.source!r}"
        elif "learner-correct-recheck" in tags(cell):
            exercise, code = cell.metadata.correct["exercise"], cell.metadata.correct["code"]
            assert not errors, (
                f"{path.name}: the self-check for Exercise {exercise} rejects the correct answer {code!r}: "
                f"{errors[0].ename}: {errors[0].evalue}"
            )
            assert any(f"Exercise {exercise}: correct" in o.get("text", "") for o in cell.outputs), code
        elif "learner-mistake-recheck" in tags(cell):
            exercise, code = cell.metadata.mistake["exercise"], cell.metadata.mistake["code"]
            assert errors, f"{path.name}: the self-check for Exercise {exercise} passed the wrong answer {code!r}"
            assert errors[0].ename == "AssertionError", (
                f"{path.name}: on the wrong answer {code!r} the self-check for Exercise {exercise} fails with a raw "
                f"{errors[0].ename}: {errors[0].evalue}; it must say what is wrong"
            )
            assert errors[0].evalue.startswith(f"Exercise {exercise}"), (
                f"{path.name}: the message must start with 'Exercise {exercise}': {errors[0].evalue!r}"
            )
        elif "self-check" in tags(cell):
            exercise = re.match(r"#\s*(Exercise\s+\d+)", cells[index - 1].source.lstrip()).group(1)
            assert errors, f"{path.name}: the self-check after {exercise} passed on the stub"
            error = errors[0]
            assert error.ename in {"AssertionError", "NotImplementedError"}, (
                f"{path.name}: the self-check for {exercise} fails with {error.ename}: {error.evalue}; "
                "it must fail with an AssertionError that tells the learner what is wrong"
            )
            assert error.evalue.startswith(exercise), (
                f"{path.name}: the self-check message must start with '{exercise}': {error.evalue!r}"
            )
            checked += 1
        elif errors and "exercise" not in tags(cell) and "raises-exception" not in tags(cell):
            pytest.fail(f"{path.name}: code cell {index} failed in the student version: {errors[0].ename}")
    assert checked >= 3


def test_fixture_stub_message_carries_exercise_and_hint(tmp_path: Path):
    shutil.copy(FIXTURES / "99_fixture.ipynb", tmp_path)
    nb = student.student_version(read_notebook(tmp_path / "99_fixture.ipynb"), "99_fixture")
    stubs = [c.source for c in code_cells(nb) if "NotImplementedError" in c.source]
    assert len(stubs) == 3
    assert "Exercise 1: write your solution here" in stubs[0] and "Hint: numel() counts elements." in stubs[0]
    assert "    raise NotImplementedError(" in stubs[2], "a stub inside a function keeps its indentation"


def test_unbalanced_markers_name_notebook_and_cell_and_write_nothing(tmp_path: Path, capsys):
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    shutil.copy(FIXTURES / "99_fixture.ipynb", src / "01_good.ipynb")
    shutil.copy(FIXTURES / "99_broken_exercises.ipynb", src / "02_bad.ipynb")
    assert student.main([str(src), str(dst)]) == 1
    err = capsys.readouterr().err
    assert "02_bad.ipynb" in err and "code cell 2" in err and "BEGIN SOLUTION without END" in err
    assert not dst.exists() or not any(dst.iterdir()), "nothing may be written on bad input"


@pytest.mark.parametrize(
    "source",
    ["### END SOLUTION\nx = 1", "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION"],
)
def test_marker_errors(source: str):
    with pytest.raises(student.MarkerError):
        student.strip_solutions(source)


def test_solution_stripping_keeps_code_outside_markers():
    source = "# Exercise 4\nanswer = None\n### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION\nprint('done')"
    out = student.strip_solutions(source)
    assert "answer = 42" not in out and "answer = None" in out and "print('done')" in out
    assert nbformat.v4.new_code_cell(out)  # still a valid cell source
