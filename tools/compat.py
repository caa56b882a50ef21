"""Run every chapter on another torch in a throw-away venv (``make compat TORCH=2.8.0``).

The course pins torch 2.14.1, but learners bring their own: Colab's, or whatever their laptop
has. This builds a fresh venv with the requested torch (``latest`` for the newest on the index)
and the torchvision built for it, plus the course's other runtime pins from requirements.txt,
then checks every chapter top to bottom, unchanged, each alone in its own empty directory and
kernel (``python -m tools.execute --no-write --compat`` from that venv). Stored outputs are not
compared: other releases print other digits and other wording.

A chapter fails when a cell raises outside a ``raises-exception`` cell, or when a
``raises-exception`` cell does not raise. Warnings are shown as Python shows them by default,
as in Colab; a cell that writes to stderr is listed in the table's notes, not failed.

The torchvision pairing comes from the index itself: every torchvision release requires one
exact torch (``Requires-Dist: torch==X``), so the resolver picks the torchvision that matches,
and the check below confirms it from the installed metadata. A course pin that cannot coexist
with that torch is dropped (all of them, then a second resolve) and the table says which
versions differ from the pins.

Offline execution is not enforced: a chapter that downloaded something would pass here. The
chapters run without a network in CI's other jobs, and the cross-version review ran them offline.

Uses uv when it is on ``PATH`` or named by ``$UV``, else pip; needs only the standard library.

Usage::

    python -m tools.compat --torch 2.8.0 [notebooks/05_data.ipynb ...] [--keep]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"
#: What the chapters import or the runner needs; their versions come from requirements.txt.
RUNTIME = (
    "ipykernel", "matplotlib", "matplotlib-inline", "nbclient", "nbformat", "numpy", "onnx",
    "onnx-ir", "onnxruntime", "onnxscript", "pandas", "pillow", "pyyaml", "safetensors",
    "scikit-learn", "scipy", "torchinfo", "tqdm",
)
CELL_TIMEOUT_S = 600
#: The oldest torch on which every chapter runs unchanged, as README.md and book/running.md state
#: it and the scheduled ``compat`` job checks it. 2.6's ONNX exporter fails chapter 14's export
#: (``KeyError`` on the ``dynamic_shapes`` dict keyed by argument name; given by position, it
#: fails on BatchNorm with the onnxscript that the setup cell installs). Older releases lack
#: ``torch.nn.utils.get_total_norm`` (added in 2.6; chapters 06, 16, 17), and 2.4, the oldest
#: one measured, also lacks ``torch.serialization.get_unsafe_globals_in_checkpoint`` (11).
FLOOR = "2.7"


@dataclass
class Result:
    """One chapter's run: passed or not, the first failure, stderr notes, seconds."""

    chapter: str
    passed: bool
    seconds: float
    failure: str = ""
    notes: list[str] = field(default_factory=list)


def canonical(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def course_pins(requirements: Path = REQUIREMENTS, names: tuple[str, ...] = RUNTIME) -> dict[str, str]:
    """``{name: version}`` for ``names`` from the exact pins in ``requirements``."""
    wanted = {canonical(n) for n in names}
    pins: dict[str, str] = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)", line)
        if match and canonical(match.group(1)) in wanted:
            pins[canonical(match.group(1))] = match.group(2)
    return pins


def torch_requirement(torch: str) -> str:
    """``torch==X`` for a version, plain ``torch`` (the newest) for ``latest``."""
    return "torch" if torch == "latest" else f"torch=={torch}"


def installer() -> list[str] | None:
    """The uv command (``$UV`` or ``uv`` on PATH), or ``None`` for pip."""
    uv = os.environ.get("UV") or shutil.which("uv")
    return [uv] if uv else None


def create_venv(venv: Path, python: str) -> None:
    """An empty venv at ``venv`` for interpreter ``python``."""
    uv = installer()
    if uv:
        subprocess.run([*uv, "venv", "--quiet", "--python", python, str(venv)], check=True)
    else:
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)


def install(venv: Path, packages: list[str], constraints: Path | None) -> subprocess.CompletedProcess[str]:
    """Install ``packages`` into ``venv`` (under ``constraints`` if given); output captured."""
    python = str(venv / "bin" / "python")
    uv = installer()
    command = [*uv, "pip", "install", "--python", python] if uv else [python, "-m", "pip", "install", "--quiet"]
    if constraints is not None:
        command += ["-c", str(constraints)]
    return subprocess.run([*command, *packages], capture_output=True, text=True, check=False)


def installed(venv: Path) -> dict[str, str]:
    """``{name: version}`` of every distribution in ``venv``."""
    script = (
        "import importlib.metadata as m, json;"
        "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
    )
    out = subprocess.run([str(venv / "bin" / "python"), "-c", script], check=True, capture_output=True, text=True)
    return {canonical(k): v for k, v in json.loads(out.stdout).items()}


def torchvision_pairing(venv: Path) -> str:
    """The torch requirement in the installed torchvision's metadata (``torch==X``, or
    ``torch (==X)`` in older releases)."""
    script = (
        "import importlib.metadata as m;"
        "print(next(r for r in m.requires('torchvision') if r.split()[0].startswith('torch')))"
    )
    out = subprocess.run([str(venv / "bin" / "python"), "-c", script], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def pairs_with(requirement: str, torch_version: str) -> bool:
    """True if torchvision's ``requirement`` pins exactly ``torch_version`` (local ``+cu126`` ignored)."""
    return re.sub(r"[\s()]", "", requirement) == f"torch=={torch_version.split('+')[0]}"


def build(venv: Path, torch: str, python: str) -> tuple[dict[str, str], list[str]]:
    """Create ``venv`` with ``torch``, its torchvision and the runtime packages.

    Returns the installed versions and notes: which course pins were not kept, and the
    torchvision pairing as its metadata states it. Raises ``RuntimeError`` if nothing resolves.
    """
    create_venv(venv, python)
    pins = course_pins()
    packages = [torch_requirement(torch), "torchvision", *RUNTIME]
    constraints = venv / "course-pins.txt"
    constraints.write_text("".join(f"{name}=={version}\n" for name, version in pins.items()), encoding="utf-8")
    notes: list[str] = []
    done = install(venv, packages, constraints)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["?"])[-1]
        notes.append(f"the course pins do not resolve with this torch ({reason}); resolved without them")
        done = install(venv, packages, None)
        if done.returncode != 0:
            raise RuntimeError(f"cannot install {torch_requirement(torch)}:\n{done.stderr.strip()}")
    versions = installed(venv)
    moved = [f"{n} {versions.get(n)} (pin {v})" for n, v in pins.items() if versions.get(n) != v]
    if moved:
        notes.append("not at the course pin: " + ", ".join(moved))
    pairing = torchvision_pairing(venv)
    if not pairs_with(pairing, versions["torch"]):
        notes.append(f"torchvision {versions['torchvision']} declares {pairing!r}, not torch=={versions['torch']}")
    return versions, notes


def run_chapter(venv: Path, notebook: Path, timeout: int = CELL_TIMEOUT_S) -> Result:
    """Check one chapter with ``venv``'s Python (and so its kernel), in compat mode."""
    command = [
        str(venv / "bin" / "python"), "-m", "tools.execute", "--no-write", "--compat",
        "--timeout", str(timeout), str(notebook),
    ]
    env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("PYTHONPATH", None)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    prefix = f": {notebook}: "
    notes = [line.split(prefix, 1)[-1] for line in done.stdout.splitlines() if line.startswith("note:")]
    errors = [line.split(prefix, 1)[-1] for line in done.stderr.splitlines() if line.startswith("error:")]
    if done.returncode == 0:
        return Result(notebook.stem, True, seconds, notes=notes)
    failure = errors[0] if errors else (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
    return Result(notebook.stem, False, seconds, failure=failure, notes=notes)


def table(torch: str, results: list[Result]) -> str:
    """A Markdown table: chapter, pass/fail with the first failing cell, seconds, stderr notes."""
    lines = [f"| chapter | torch {torch} | seconds | stderr (listed, not failed) |", "|---|---|---|---|"]
    for r in results:
        status = "pass" if r.passed else f"**FAIL** {r.failure}"
        notes = "; ".join(n.replace("|", "\\|")[:120] for n in r.notes)
        lines.append(f"| {r.chapter} | {status.replace('|', chr(92) + '|')} | {r.seconds:.0f} | {notes} |")
    passed = sum(r.passed for r in results)
    lines.append(f"| **passed** | **{passed}/{len(results)}** | {sum(r.seconds for r in results):.0f} | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--torch", required=True, help="a torch version on the index, or 'latest'")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapter")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the venv (default: this one)")
    parser.add_argument("--venv", type=Path, help="reuse (or create) this venv instead of a throw-away one")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away venv and say where")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT_S, help="seconds per cell")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    notebooks = [n.resolve() for n in notebooks]
    venv = args.venv or Path(tempfile.mkdtemp(prefix="compat-")) / "venv"
    try:
        start = time.perf_counter()
        if (venv / "bin" / "python").exists() and args.venv:
            versions, notes = installed(venv), ["reused venv " + str(venv)]
        else:
            versions, notes = build(venv, args.torch, args.python)
        print(
            f"torch {versions.get('torch')}, torchvision {versions.get('torchvision')}, "
            f"numpy {versions.get('numpy')} in {venv}: ready in {time.perf_counter() - start:.0f} s",
            flush=True,
        )
        for note in notes:
            print("note:", note, flush=True)
        results: list[Result] = []
        for notebook in notebooks:
            result = run_chapter(venv, notebook, args.timeout)
            print(f"{result.chapter}: {'pass' if result.passed else 'FAIL ' + result.failure} ({result.seconds:.0f} s)", flush=True)
            results.append(result)
        print()
        print(table(versions.get("torch", args.torch), results))
    finally:
        if args.venv is None and not args.keep:
            shutil.rmtree(venv.parent, ignore_errors=True)
        elif args.venv is None:
            print(f"venv kept at {venv}")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
