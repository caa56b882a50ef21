"""A ``raises-exception`` cell that raises nothing fails every check, on every torch.

Such a cell is a claim in the prose ("this refuses"); torch 2.10.0's ``TensorDataset`` showed
that a release can stop raising silently. The stored-notebook contract, ``tools.execute``
(``make execute``, the scheduled jobs, ``make compat``) and nbval under ``make test``
(``tests/nbval_env.py``) must each report it.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import contract, execute

ROOT = Path(__file__).resolve().parent.parent


def notebook(raising: bool, raises: str = "ValueError") -> nbformat.NotebookNode:
    """A notebook whose tagged cell 1 has the stored error output (a ValueError) of a release that
    raised; ``raising`` says whether the code raises on this run, and ``raises`` what."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    source = f"raise {raises}('refused')" if raising else "'accepted'  # this release forgot to refuse"
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell(source), nbformat.v4.new_code_cell("print(x)")]
    nb.cells[1].metadata["tags"] = ["raises-exception"]
    for count, cell in enumerate(nb.cells, start=1):
        cell.execution_count = count
    nb.cells[1].outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="refused", traceback=[])]
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    return nb


def test_contract_flags_a_stored_tagged_cell_without_error(tmp_path: Path):
    nb = notebook(raising=True)
    assert contract.check_clean_outputs(nb, tmp_path / "x.ipynb") == []
    nb.cells[1].outputs = []
    problems = contract.check_clean_outputs(nb, tmp_path / "x.ipynb")
    assert problems == ["code cell 1 is tagged raises-exception but raised nothing"], problems


@pytest.mark.parametrize("mode", [[], ["--no-write"], ["--no-write", "--learner"], ["--no-write", "--compat"]])
def test_execute_fails_a_tagged_cell_that_does_not_raise(tmp_path: Path, capsys, mode: list[str]):
    path = tmp_path / "silent.ipynb"
    nbformat.write(notebook(raising=False), path)
    before = path.read_bytes()
    assert execute.main([*mode, str(path)]) == 1
    err = capsys.readouterr().err
    assert "code cell 1 is tagged raises-exception but raised nothing" in err, err
    assert path.read_bytes() == before


def test_compat_mode_lists_stderr_and_keeps_warnings_warnings(tmp_path: Path, capsys):
    path = tmp_path / "warns.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import warnings\nwarnings.warn('old', FutureWarning)\nprint('ran on')")]
    nbformat.write(nb, path)
    assert execute.main(["--no-write", "--compat", str(path)]) == 0
    out = capsys.readouterr().out
    assert "note:" in out and "code cell 0 writes to stderr" in out and "FutureWarning" in out, out
    assert execute.main(["--no-write", "--learner", str(path)]) == 1  # strict: the warning is an error


def run_nbval(path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """nbval on ``path`` as ``make test`` runs it (tests/pytest.ini, with our plugin)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-c", "tests/pytest.ini", "--rootdir", ".", "-p", "no:xdist", *options, str(path)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )


def test_nbval_fails_a_tagged_cell_that_does_not_raise(tmp_path: Path):
    """With its output compared, nbval notices the missing error itself; with the output ignored
    (``nbval-ignore-output``, as cells with run-dependent errors are), only our plugin does."""
    good, silent = tmp_path / "good.ipynb", tmp_path / "silent.ipynb"
    nbformat.write(notebook(raising=True), good)
    nb = notebook(raising=False)
    nb.cells[1].metadata["tags"].append("nbval-ignore-output")
    nbformat.write(nb, silent)
    passed = run_nbval(good)
    assert passed.returncode == 0, passed.stdout[-3000:]
    alone = run_nbval(silent, "-p", "no:tests.nbval_env")  # nbval without our plugin
    assert alone.returncode == 0 and "3 passed" in alone.stdout, alone.stdout[-3000:]
    failed = run_nbval(silent)
    assert failed.returncode == 1, failed.stdout[-3000:]
    assert "tagged raises-exception but raised nothing" in failed.stdout
    assert "1 failed, 2 passed" in failed.stdout, failed.stdout[-1500:]


@pytest.mark.parametrize("mode", [["--no-write"], ["--no-write", "--learner"], ["--no-write", "--compat"]])
def test_checks_fail_a_tagged_cell_that_raises_another_exception(tmp_path: Path, capsys, mode: list[str]):
    """The prose explains the stored error; a release that raises a different one makes it wrong."""
    path = tmp_path / "other.ipynb"
    nbformat.write(notebook(raising=True, raises="TypeError"), path)
    assert execute.main([*mode, str(path)]) == 1
    err = capsys.readouterr().err
    assert "code cell 1 raised TypeError, but the stored output (and the prose) shows ValueError" in err, err
    nbformat.write(notebook(raising=True), path)
    assert execute.main([*mode, str(path)]) == 0  # the same exception passes


def test_nbval_fails_another_exception_even_with_output_ignored(tmp_path: Path):
    path = tmp_path / "other.ipynb"
    nb = notebook(raising=True, raises="TypeError")
    nb.cells[1].metadata["tags"].append("nbval-ignore-output")
    nbformat.write(nb, path)
    alone = run_nbval(path, "-p", "no:tests.nbval_env")  # nbval alone does not compare it
    assert alone.returncode == 0, alone.stdout[-3000:]
    failed = run_nbval(path)
    assert failed.returncode == 1 and "Cell raised TypeError, but the stored output" in failed.stdout, failed.stdout[-3000:]
