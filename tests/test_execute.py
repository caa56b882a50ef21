"""Tests for tools.execute: the one way stored outputs are produced (`make execute`)."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from tools import execute

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_notebook(path: Path, *sources: str, tags: dict[int, list[str]] | None = None) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    for index, cell_tags in (tags or {}).items():
        nb.cells[index].metadata["tags"] = cell_tags
    nbformat.write(nb, path)
    return path


def test_executes_and_normalises(tmp_path: Path):
    path = shutil.copy(FIXTURES / "99_fixture.ipynb", tmp_path / "99_fixture.ipynb")
    assert execute.main([str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    assert dict(nb.metadata) == {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
    assert [c.id for c in nb.cells] == [f"cell-{i:03d}" for i in range(len(nb.cells))]
    assert all("execution" not in c.metadata for c in nb.cells)
    first_run = Path(path).read_bytes()
    assert execute.main([str(path)]) == 0
    assert Path(path).read_bytes() == first_run, "re-executing an unchanged notebook changed its bytes"


def test_failing_cell_is_reported_and_file_untouched(tmp_path: Path, capsys):
    path = make_notebook(tmp_path / "bad.ipynb", "x = 1", "1 / 0", "print('never')")
    before = path.read_bytes()
    assert execute.main([str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, "the error must be one line"
    assert str(path) in err and "code cell 1" in err and "ZeroDivisionError" in err
    assert path.read_bytes() == before


def test_failure_after_an_expected_error_names_the_right_cell(tmp_path: Path, capsys):
    path = make_notebook(tmp_path / "two.ipynb", "1 / 0", "x = 1", "[][1]", tags={0: ["raises-exception"]})
    assert execute.main([str(path)]) == 1
    err = capsys.readouterr().err
    assert "code cell 2" in err and "IndexError" in err, err


def test_raises_exception_tag_allows_error(tmp_path: Path):
    path = make_notebook(tmp_path / "ok.ipynb", "1 / 0", "print('after')", tags={0: ["raises-exception"]})
    assert execute.main([str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].outputs[0].ename == "ZeroDivisionError"
    assert nb.cells[1].outputs[0].text == "after\n"


def test_stderr_and_deprecation_warnings_fail(tmp_path: Path, capsys):
    path = make_notebook(tmp_path / "warns.ipynb", "import warnings\nwarnings.warn('careful')")
    before = path.read_bytes()
    assert execute.main([str(path)]) == 1
    assert "stderr" in capsys.readouterr().err
    assert path.read_bytes() == before
    path = make_notebook(tmp_path / "future.ipynb", "import warnings\nwarnings.warn('old', FutureWarning)")
    assert execute.main([str(path)]) == 1
    assert "FutureWarning" in capsys.readouterr().err


def test_leftover_files_fail(tmp_path: Path, capsys):
    path = make_notebook(tmp_path / "litter.ipynb", "open('left-behind.txt', 'w').write('x')")
    assert execute.main([str(path)]) == 1
    assert "left-behind.txt" in capsys.readouterr().err


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("missing.ipynb", None, "no such file"),
        ("notes.txt", "hello", "not a .ipynb file"),
        ("broken.ipynb", "{not json", "not valid JSON"),
        ("wrong.ipynb", '{"cells": 3}', "not a valid notebook"),
    ],
)
def test_bad_input_gets_one_line_error_naming_file(tmp_path: Path, capsys, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    assert execute.main([str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(path) in err and message in err, err


def test_tracebacks_hold_no_machine_paths(tmp_path: Path):
    path = make_notebook(tmp_path / "tb.ipynb", "import json\njson.loads('{')", tags={0: ["raises-exception"]})
    assert execute.main([str(path)]) == 0
    traceback = "".join(nbformat.read(path, as_version=4).cells[0].outputs[0].traceback)
    assert ".../lib/python3." in traceback or ".../site-packages/" in traceback
    assert str(Path(shutil.__file__).parent) not in traceback
