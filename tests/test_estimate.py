"""Each chapter states the estimated time that tools/estimate.py measures (book/authoring.md §11)."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from tools import estimate
from tools.nbio import NotebookError, read_notebook

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_stated_time_is_the_measured_time(path: Path):
    nb = read_notebook(path)
    measured, stated = estimate.count(nb).estimate(), estimate.stated(nb)
    assert stated == measured, (
        f"{path.name} states {stated} minutes; measured from its prose, code and exercises it takes "
        f"{measured}: run `make estimate`"
    )


def chapter(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    header = nbformat.v4.new_markdown_cell("# 99 · Test\n\n**Estimated time:** 5 minutes (one sitting).")
    return nbformat.v4.new_notebook(cells=[header, *cells])


def tagged(source: str, *tags: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)})


def test_counts_prose_code_and_exercises():
    nb = chapter(
        nbformat.v4.new_markdown_cell("See [the docs](https://pytorch.org/docs) <b>now</b>, x.view(2, 3)."),
        tagged("# Setup\nimport torch\n\nx = 1", "hide-input"),  # collapsed: a cell, no lines
        tagged("y = x + 1\n\nprint(y)"),  # 2 lines
        tagged("# Exercise 1\nanswer = 2", "hide-input", "exercise"),  # only the exercise
        tagged("assert answer == 2", "self-check"),  # part of the exercise
    )
    counts = estimate.count(nb)
    # header: 99 Test Estimated time 5 minutes one sitting = 8 words; then See the docs now x.view 2 3
    assert counts == estimate.Counts(words=8 + 7, code_lines=2, code_cells=2, exercises=1)
    expected = 15 / 200 + 2 * 5 / 60 + 2 * 30 / 60 + 10
    assert counts.minutes() == pytest.approx(expected)
    assert counts.estimate() == 10


@pytest.mark.parametrize("minutes, rounded", [(0.5, 5), (7.4, 5), (7.5, 10), (112.4, 110), (112.5, 115)])
def test_rounds_to_the_nearest_five_minutes(minutes: float, rounded: int):
    counts = estimate.Counts(words=round(minutes * estimate.WORDS_PER_MINUTE), code_lines=0, code_cells=0, exercises=0)
    assert counts.estimate() == rounded


def test_rewrite_keeps_what_follows_the_number():
    nb = chapter(tagged("# Exercise 1\nanswer = 2", "exercise"))
    assert estimate.rewrite(nb)
    assert "**Estimated time:** 10 minutes (one sitting)." in nb.cells[0].source
    assert not estimate.rewrite(nb), "a second rewrite changes nothing"


def test_rewrite_needs_the_header_line():
    nb = chapter()
    nb.cells[0].source = "# 99 · Test"
    with pytest.raises(NotebookError):
        estimate.rewrite(nb)


def test_write_then_check_on_a_copy(tmp_path: Path, capsys):
    copy = tmp_path / "notebooks" / CHAPTERS[0].name
    copy.parent.mkdir()
    shutil.copy(CHAPTERS[0], copy)
    nb = read_notebook(copy)
    nb.cells[0].source = estimate.TIME_LINE.sub(estimate.time_line(1), nb.cells[0].source)
    nbformat.write(nb, copy)
    assert estimate.main([str(copy)]) == 1, "a wrong estimate is reported"
    assert "differs" in capsys.readouterr().out
    assert estimate.main(["--write", str(copy)]) == 0
    assert estimate.main([str(copy)]) == 0
    fixed = read_notebook(copy)
    assert estimate.stated(fixed) == estimate.count(fixed).estimate()
    assert [c.source for c in fixed.cells[1:]] == [c.source for c in read_notebook(CHAPTERS[0]).cells[1:]]
