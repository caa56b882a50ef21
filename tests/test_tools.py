"""Unit tests for the small tools: site extension helpers, bench budgets, badges."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))  # course_sphinx is loaded by Sphinx as a top-level module

import course_sphinx  # noqa: E402

from tools import bench, contract  # noqa: E402


def test_pinned_versions_read_exact_pins(tmp_path: Path):
    req = tmp_path / "requirements.txt"
    req.write_text("# comment\ntorch==2.14.1\ntorchvision == 0.29.1 ; python_version>'3'\nnumpy>=2\n")
    assert course_sphinx.pinned_versions(req) == {"torch": "2.14.1", "torchvision": "0.29.1"}


def test_stamp_without_and_with_gpu_record(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text("torch==2.14.1\ntorchvision==0.29.1\n")
    assert course_sphinx.stamp_text(tmp_path).endswith("on CPU · GPU lane: no record yet")
    record = tmp_path / course_sphinx.GPU_RECORD
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({
        "device": "NVIDIA H100", "torch": "2.14.1+cu130", "date": "2026-11-22",
        "notebooks": {"01_tensors.ipynb": {"status": "pass"}, "02_autograd.ipynb": {"status": "fail"}},
    }))
    assert "GPU lane: NVIDIA H100, torch 2.14.1+cu130, 2026-11-22: 1/2 notebooks pass" in course_sphinx.stamp_text(tmp_path)


def test_github_parts():
    assert course_sphinx.github_parts("https://github.com/org/repo") == ("org", "repo")
    with pytest.raises(ValueError):
        course_sphinx.github_parts("https://gitlab.com/org/repo")


def test_chapter_header_of_fixture():
    info = course_sphinx.chapter_header(ROOT / "tests" / "fixtures" / "99_fixture.ipynb")
    assert info["title"] == "99 · Fixture"
    assert info["time"] == "1 minute"
    assert info["objectives"] == ["tell a good fixture from a broken one."]
    assert [e.split(":")[0].split(" (")[0] for e in info["exercises"]] == ["Exercise 1", "Exercise 2", "Exercise 3"]


def test_every_chapter_header_is_complete():
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        info = course_sphinx.chapter_header(path)
        assert info["summary"] and info["objectives"] and info["time"] and info["prerequisites"], path.name
        assert len(info["exercises"]) >= 3, f"{path.name}: exercises not found in Markdown headings"


def test_budgets():
    assert bench.budget(Path("notebooks/01_tensors.ipynb")) == 30
    assert bench.budget(Path("notebooks/06_training_loop.ipynb")) == 60


def test_colab_url_comes_from_config():
    url, branch = contract.repository()
    assert contract.colab_url(Path("notebooks/01_tensors.ipynb")) == (
        url.replace("https://github.com/", "https://colab.research.google.com/github/")
        + f"/blob/{branch}/notebooks/01_tensors.ipynb"
    )
    assert branch == "main"


def test_badges_fix_a_stale_badge(tmp_path: Path):
    from tools import badges
    from tools.nbio import read_notebook, write_notebook

    nb = read_notebook(ROOT / "tests" / "fixtures" / "99_fixture.ipynb")
    nb.cells[0].source = nb.cells[0].source.replace("/blob/main/", "/blob/master/")
    path = tmp_path / "99_fixture.ipynb"
    write_notebook(nb, path)
    assert contract.check_header(read_notebook(path), path), "the stale badge should fail the header check"
    assert badges.fix_badge(path) is True
    assert contract.check_header(read_notebook(path), path) == []
    assert badges.fix_badge(path) is False


def test_lighthouse_reports_the_median_and_fails_a_missed_target(monkeypatch, capsys):
    from tools import lighthouse

    runs = iter([
        {"performance": 0.70, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0},
        {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0},
        {"performance": 0.93, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0},
        {"performance": 0.99, "accessibility": 0.9, "best-practices": 1.0, "seo": 1.0},
    ])
    monkeypatch.setattr(lighthouse, "scores", lambda url: next(runs))
    # One slow run out of three does not decide the score: the median is 0.93.
    assert lighthouse._report("http://site", ["a.html"], runs=3) == 0
    assert "| a.html | 0.93 | 1.00 | 1.00 | 1.00 |" in capsys.readouterr().out
    assert lighthouse._report("http://site", ["b.html"], runs=1) == 1
    assert "0.90 ✗" in capsys.readouterr().out


def test_math_falls_back_to_the_browser_without_node(monkeypatch, capsys):
    from types import SimpleNamespace

    config = SimpleNamespace(katex_prerender=True)
    monkeypatch.setattr(course_sphinx.shutil, "which", lambda name: "/usr/bin/node")
    course_sphinx._math_fallback(None, config)
    assert config.katex_prerender is True
    monkeypatch.setattr(course_sphinx.shutil, "which", lambda name: None)
    course_sphinx._math_fallback(None, config)
    assert config.katex_prerender is False
    assert "Node.js not found" in capsys.readouterr().out
