"""Lighthouse scores for the built site (`make bench-site`): a benchmark, not a test.

Serves ``_build/html`` on 127.0.0.1, runs Lighthouse (mobile, offline, Debian Chromium) on the
landing page and every chapter page, and prints a table of the performance, accessibility,
best-practices and SEO scores against the targets. Exit status 1 when a target is missed.

Lighthouse's performance score varies from run to run (its simulated phone replays what the
real browser did, and on a busy two-core machine the first paint sometimes lands late), so
each page runs ``--runs`` times (default 3) and the table shows the median of each score, as
Lighthouse's own documentation advises.

Usage::

    python -m tools.lighthouse _build/html [--runs N]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from tools.serve import serve

HERE = Path(__file__).resolve().parent / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
TARGETS = {"performance": 0.90, "accessibility": 1.00, "best-practices": 0.95, "seo": 0.95}


def scores(url: str) -> dict[str, float]:
    """Run Lighthouse on one URL; return the four category scores."""
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    result = subprocess.run(
        [str(binary), url, "--quiet", f"--chrome-flags={FLAGS}", "--output=json",
         "--output-path=stdout", "--form-factor=mobile",
         f"--only-categories={','.join(TARGETS)}"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True,
    )
    report = json.loads(result.stdout)
    return {name: report["categories"][name]["score"] or 0.0 for name in TARGETS}


def median_scores(url: str, runs: int) -> dict[str, float]:
    """The median of each category score over ``runs`` Lighthouse runs."""
    found = [scores(url) for _ in range(runs)]
    return {name: statistics.median(run[name] for run in found) for name in TARGETS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="_build/html", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    args = parser.parse_args(argv)
    if not (HERE / "node_modules").exists():
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    pages = ["book/intro.html"] + [f"notebooks/{p.stem}.html" for p in sorted((args.site / "notebooks").glob("*.html"))]
    with serve(args.site) as base:
        return _report(base, pages, args.runs)


def _report(base: str, pages: list[str], runs: int = 1) -> int:
    print("| page | " + " | ".join(TARGETS) + " |")
    print("| --- |" + " ---: |" * len(TARGETS))
    missed = 0
    for page in pages:
        found = median_scores(f"{base}/{page}", runs)
        cells = []
        for name, target in TARGETS.items():
            ok = found[name] >= target
            missed += not ok
            cells.append(f"{found[name]:.2f}{'' if ok else ' ✗'}")
        print(f"| {page} | " + " | ".join(cells) + " |")
    print(f"median of {runs} runs per page; targets: " + ", ".join(f"{k} >= {v:.2f}" for k, v in TARGETS.items()))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
