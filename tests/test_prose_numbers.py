"""The notebooks read cleanly outside the site, and the numbers their prose quotes are the run's.

Colab, Jupyter and GitHub render plain Markdown: a MyST role or directive shows there as raw
markup. So the chapters carry none, and every number from a run is a glue span whose text
`make execute` writes (tools/prose_numbers.py).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import execute, prose_numbers

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# MyST syntax that plain Markdown renderers show verbatim: roles ({name}`...`), directive
# fences (```{name} or :::{name}), target labels ((label)=), substitutions ({{ x }}) and
# MyST comments (a line starting with %).
RAW_MYST = re.compile(
    r"\{[a-z][\w:+.-]*\}`|^\s*(```+|:::+)\s*\{|^\(\S+\)=\s*$|\{\{[^}]*\}\}|^%", re.MULTILINE
)


def markdown(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    return [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"]


def glue_notebook(value: str, shown: str, key: str = "acc:.1%") -> nbformat.NotebookNode:
    """A stored notebook that glued ``acc`` = ``value`` and quotes ``shown`` for it."""
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("glue('acc', 0.9767, display=False)")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"application/papermill.record/text/plain": value},
            metadata={"scrapbook": {"mime_prefix": "application/papermill.record/", "name": "acc"}},
        )
    ]
    text = nbformat.v4.new_markdown_cell(f'It reaches <span data-glue="{key}">{shown}</span>.')
    nb.cells = [code, text]
    return nb


def test_chapters_found():
    assert len(CHAPTERS) >= 17


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_raw_myst_markup(path: Path):
    nb = nbformat.read(path, as_version=4)
    found = [(i, m.group(0)) for i, source in markdown(nb) for m in RAW_MYST.finditer(source)]
    assert not found, f"raw MyST markup, shown verbatim in Colab and on GitHub: {found[:5]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_quoted_numbers_match_the_stored_run(path: Path):
    nb = nbformat.read(path, as_version=4)
    assert prose_numbers.stale(nb) == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_quotes_its_numbers_with_spans(path: Path):
    """Every chapter quotes run numbers (one that lost its spans would pass the test above vacuously)."""
    nb = nbformat.read(path, as_version=4)
    assert sum(len(prose_numbers.SPAN.findall(src)) for _, src in markdown(nb)) >= 2


@pytest.mark.parametrize(
    "written",
    [
        "<span data-glue='acc:.1%'>12.0%</span>",
        '<span class="n" data-glue="acc:.1%">12.0%</span>',
        '<span data-glue="acc:.1%" >12.0%</span>',
        '<span data-glue="acc:.1%"><b>12.0%</b></span>',
    ],
)
def test_a_span_the_check_cannot_read_is_reported(written: str):
    nb = glue_notebook("0.9767", "97.7%")
    nb.cells[1].source = f"It reaches {written}."
    assert any("cannot read" in p for p in prose_numbers.stale(nb))


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("a {glue:text}`acc:.1%` b", True),
        ("```{note}\nhi\n```", True),
        (":::{tip}\nhi\n:::", True),
        ("(sec-label)=\n# Title", True),
        ("see {ref}`sec-label`", True),
        ('plain <span data-glue="acc">97.7%</span> text, `code`, $x^2$ and [a link](x.ipynb)', False),
        ("```python\nx = {'a': 1}\n```", False),
    ],
)
def test_raw_myst_pattern(source: str, found: bool):
    assert bool(RAW_MYST.search(source)) is found


def test_formats_as_myst_nb_does():
    assert prose_numbers.literal("acc:.1%", {"acc": "0.9767"}) == "97.7%"
    assert prose_numbers.literal("n", {"n": "225"}) == "225"
    assert prose_numbers.literal("e:.2e", {"e": "0.0009765625"}) == "9.77e-04"
    assert prose_numbers.literal("name", {"name": "'cpu'"}) == "cpu"


def test_stale_number_is_reported_and_refresh_fixes_it():
    nb = glue_notebook("0.9767", "98.0%")
    problems = prose_numbers.stale(nb)
    assert len(problems) == 1 and "98.0%" in problems[0] and "97.7%" in problems[0]
    assert prose_numbers.refresh(nb) == 1
    assert '<span data-glue="acc:.1%">97.7%</span>' in nb.cells[1].source
    assert prose_numbers.stale(nb) == []


def test_unknown_name_and_raw_role_are_reported():
    nb = glue_notebook("0.9767", "97.7%", key="accuracy:.1%")
    nb.cells[1].source += " And {glue:text}`acc`."
    problems = prose_numbers.stale(nb)
    assert any("'accuracy'" in p for p in problems)
    assert any("raw MyST role" in p for p in problems)
    with pytest.raises(prose_numbers.GlueError):
        prose_numbers.refresh(nb)


def test_execute_writes_the_runs_number(tmp_path: Path):
    """`make execute` fills in the span from the value the run glued."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from myst_nb import glue\nglue('total', sum(range(5)), display=False)"),
        nbformat.v4.new_markdown_cell('The sum is <span data-glue="total">unknown</span>.'),
    ]
    path = tmp_path / "numbers.ipynb"
    nbformat.write(nb, path)
    assert execute.main([str(path)]) == 0
    written = nbformat.read(path, as_version=4)
    assert written.cells[1].source == 'The sum is <span data-glue="total">10</span>.'


def test_execute_fails_on_a_span_without_a_value(tmp_path: Path, capsys):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell('The sum is <span data-glue="total">10</span>.'),
    ]
    path = tmp_path / "numbers.ipynb"
    nbformat.write(nb, path)
    before = path.read_bytes()
    assert execute.main([str(path)]) == 1
    assert "'total'" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_execute_imports_without_myst_nb():
    """Colab's image and `make compat` run `tools.execute --no-write` without myst-nb installed."""
    blocked = "import sys; sys.modules['myst_nb'] = None; import tools.execute; print('ok')"
    result = subprocess.run([sys.executable, "-c", blocked], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr[-2000:]
