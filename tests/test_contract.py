"""Contract tests: every chapter honours the notebook contract (COURSE.md §4).

Each check is also run on a deliberately broken fixture (tests/fixtures/99_broken_<check>.ipynb)
and must report a problem there, and on the good fixture, where it must report none. So a
check that cannot fail fails its own test.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools import contract
from tools.nbio import read_notebook

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks found under notebooks/"


def test_toc_and_files_agree():
    assert contract.check_toc(ROOT) == []


def test_toc_check_fails_on_broken_fixture():
    problems = contract.check_toc(FIXTURES / "broken_toc")
    assert any("01_missing" in p for p in problems), problems
    assert any("02_orphan" in p for p in problems), problems


@pytest.mark.parametrize("check", sorted(contract.CHECKS))
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_honours_contract(path: Path, check: str):
    problems = contract.CHECKS[check](read_notebook(path), path)
    assert problems == [], f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("check", sorted(contract.CHECKS))
def test_check_passes_on_good_fixture(check: str):
    path = FIXTURES / "99_fixture.ipynb"
    assert contract.CHECKS[check](read_notebook(path), path) == []


@pytest.mark.parametrize("check", sorted(contract.CHECKS))
def test_check_fails_on_its_broken_fixture(check: str):
    path = FIXTURES / f"99_broken_{check}.ipynb"
    problems = contract.CHECKS[check](read_notebook(path), path)
    assert problems, f"the {check} check did not notice {path.name}"


def test_deprecated_patterns_each_caught():
    """Every deprecated pattern is caught, and comments do not trigger it."""
    samples = [
        "models.resnet18(pretrained=True)",
        "from torch.cuda.amp import autocast",
        "with torch.cpu.amp.autocast(): pass",
        "model.cuda()",
        "from torchvision import transforms",
    ]
    for pattern_and_what, sample in zip(contract.DEPRECATED, samples, strict=True):
        pattern, what = pattern_and_what
        assert re.search(pattern, contract.strip_comments(sample)), what
    assert contract.strip_comments("x = 1  # model.cuda() is wrong").strip() == "x = 1"
    assert len(samples) == len(contract.DEPRECATED)


@pytest.mark.parametrize(
    "source, flagged",
    [
        ("torch.load('m.pt')", True),
        ("torch.load(os.path.join(d, 'm.pt'))", True),
        ("torch.load(os.path.join(d, 'm.pt'), weights_only=True)", False),
        ("torch.load(\n    path,\n    map_location='cpu',\n    weights_only=True,\n)", False),
        ("a = torch.load(p, weights_only=True); b = torch.load(q)", True),
    ],
)
def test_torch_load_check_reads_the_whole_call(source: str, flagged: bool):
    assert contract.torch_load_without_weights_only(source) is flagged


@pytest.mark.parametrize(
    "source, pins",
    [
        ("torch.set_num_threads(1)\nSEED = 0", ["set_num_threads("]),
        ('os.environ["ATEN_CPU_CAPABILITY"] = "default"', ["ATEN_CPU_CAPABILITY"]),
        ('os.environ.setdefault("OMP_NUM_THREADS", "1")', ["OMP_NUM_THREADS"]),
        ("SEED = 0  # never torch.set_num_threads(1) here", []),
        ("SEED = 0", []),
    ],
)
def test_setup_pins_are_found_in_code_not_comments(source: str, pins: list[str]):
    assert contract.setup_pins(source) == pins


def test_header_check_names_the_thread_pin_of_its_broken_fixture():
    path = FIXTURES / "99_broken_header.ipynb"
    problems = contract.check_header(read_notebook(path), path)
    assert any("pins `set_num_threads(`" in p for p in problems), problems


def test_nbgrader_metadata_tool_is_idempotent_and_names_stable_ids(tmp_path: Path):
    """tools.nbgrader_cells writes the ids the contract expects, and a second run changes nothing."""
    from tools import nbgrader_cells

    nb = read_notebook(FIXTURES / "99_broken_nbgrader.ipynb")
    path = tmp_path / "99_fixture.ipynb"
    assert nbgrader_cells.annotate(nb, path) is True
    assert nbgrader_cells.annotate(nb, path) is False
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert "ex99-1" in ids and "ex99-1-check" in ids and "ex99-2" in ids
    for chapter in CHAPTERS:
        assert nbgrader_cells.annotate(read_notebook(chapter), chapter) is False, f"{chapter.name}: run tools.nbgrader_cells"


def test_setup_cell_must_be_collapsed_and_short():
    path = FIXTURES / "99_fixture.ipynb"
    nb = read_notebook(path)
    setup = contract.code_cells(nb)[0]
    setup.metadata["tags"] = []
    assert any("hide-input" in p for p in contract.check_header(nb, path))
    setup.metadata["tags"] = ["hide-input"]
    setup.source += "\n" * 2 + "\n".join(f"x{i} = {i}" for i in range(contract.SETUP_MAX_LINES))
    assert any("keep it to" in p for p in contract.check_header(nb, path))
