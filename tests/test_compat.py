"""Unit tests for tools.compat (``make compat TORCH=...``); the venv build itself needs the index."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from tools import compat


def test_course_pins_read_the_runtime_pins(tmp_path: Path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# comment\nnumpy==2.4.6\ntorch==2.14.1\nPyYAML==6.0.3 ; python_version>'3'\njinja2==3.1.6\n")
    assert compat.course_pins(requirements) == {"numpy": "2.4.6", "pyyaml": "6.0.3"}


def test_every_runtime_package_is_pinned_in_requirements():
    assert set(compat.course_pins()) == {compat.canonical(n) for n in compat.RUNTIME}


def test_torch_requirement():
    assert compat.torch_requirement("2.8.0") == "torch==2.8.0"
    assert compat.torch_requirement("latest") == "torch"


def test_run_chapter_reports_the_first_failure_and_notes(tmp_path: Path):
    venv = Path(sys.prefix)  # this venv stands in for a built one
    ok, bad = tmp_path / "01_ok.ipynb", tmp_path / "02_bad.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import sys\nprint('careful', file=sys.stderr)")]
    nbformat.write(nb, ok)
    nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(nb, bad)
    first, second = compat.run_chapter(venv, ok), compat.run_chapter(venv, bad)
    assert first.passed and first.notes and "code cell 0 writes to stderr" in first.notes[0], first
    assert not second.passed and "code cell 1" in second.failure and "ZeroDivisionError" in second.failure, second
    table = compat.table("9.9.9", [first, second])
    assert "| 01_ok | pass |" in table and "**FAIL** code cell 1" in table and "**1/2**" in table, table


def test_the_floor_is_stated_and_checked_in_one_version():
    root = compat.ROOT
    for doc in ("README.md", "book/running.md"):
        text = " ".join((root / doc).read_text(encoding="utf-8").split())
        assert f"PyTorch {compat.FLOOR} or newer" in text, doc
    workflow = (root / ".github" / "workflows" / "scheduled.yml").read_text(encoding="utf-8")
    assert f'torch: ["{compat.FLOOR}.0", "latest"]' in workflow
    assert 'make compat TORCH="$TORCH"' in workflow


def test_torchvision_pairing_read_from_either_metadata_style():
    assert compat.pairs_with("torch==2.12.1", "2.12.1+cu130")
    assert compat.pairs_with("torch (==2.7.0)", "2.7.0+cu126")
    assert not compat.pairs_with("torch==2.7.1", "2.7.0")
