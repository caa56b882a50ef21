"""Find cells whose printed output depends on the CPU (`make dispatch`).

Runs nbval over the chapters once per CPU dispatch level this host can emulate
(:mod:`tools.reference_env`: the reference baseline, AVX2, AVX-512 where present, and native,
which caps nothing) and prints a table of the cells that fail at each level. The stored outputs
come from the reference level, so it must be clean, and only its row decides the exit status.
A cell that fails at another level prints something the kernels' choice changes: the reference
pins it for CI, but it is fragile wherever a library ignores the switches, so prefer to make
such a cell print a robust quantity.

Usage::

    python -m tools.dispatch [--levels reference avx2 native] [notebooks/NN_topic.ipynb ...]
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

from tools import reference_env
from tools.nbio import chapter_paths

_FAILED = re.compile(r"^(?:FAILED|ERROR) notebooks/(\d\d)_[^:]*\.ipynb::Cell (\d+)", re.MULTILINE)


def failing_cells(pytest_output: str) -> dict[str, list[int]]:
    """Chapter number → sorted failing code-cell numbers, from pytest's ``-rfE`` summary."""
    cells: dict[str, list[int]] = {}
    for chapter, cell in _FAILED.findall(pytest_output):
        cells.setdefault(chapter, []).append(int(cell))
    return {chapter: sorted(set(numbers)) for chapter, numbers in sorted(cells.items())}


def run_level(level: str, notebooks: list[Path], workers: int) -> tuple[dict[str, list[int]], float]:
    """nbval over ``notebooks`` with kernels at ``level``: the failing cells and the seconds.

    Raises ``RuntimeError`` when pytest fails without naming a cell (a collection error, say).
    """
    command = [
        sys.executable, "-m", "pytest", "-c", "tests/pytest.ini", "--rootdir", ".",
        "--cpu-dispatch", level, "-q", "-rfE", "-n", str(workers), "--dist", "loadscope",
        *map(str, notebooks),
    ]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    output = result.stdout + result.stderr
    cells = failing_cells(output)
    if result.returncode not in (0, 1) or (result.returncode == 1 and not cells):
        raise RuntimeError(f"pytest at level {level!r} failed without a failing cell:\n{output[-2000:]}")
    return cells, elapsed


def format_cells(cells: dict[str, list[int]]) -> str:
    """``06: 23, 24; 12: 14`` or ``none``."""
    return "; ".join(f"{ch}: {', '.join(map(str, nums))}" for ch, nums in cells.items()) or "none"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--levels", nargs="+", choices=sorted(reference_env.LEVELS))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    notebooks = args.notebooks or chapter_paths()
    levels = args.levels or reference_env.levels_available()
    try:
        for level in levels:
            reference_env.check_level(level)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"host: {reference_env.describe_cpu()}")
    print("| dispatch level | failing cells (chapter: code cells) | count | seconds |")
    print("| --- | --- | ---: | ---: |")
    status = 0
    for level in levels:
        cells, elapsed = run_level(level, notebooks, args.workers)
        count = sum(len(v) for v in cells.values())
        print(f"| {level} | {format_cells(cells)} | {count} | {elapsed:.0f} |", flush=True)
        if level == "reference" and count:
            status = 1  # the stored outputs do not hold in the environment that made them
    return status


if __name__ == "__main__":
    sys.exit(main())
