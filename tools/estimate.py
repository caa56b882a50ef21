"""Each chapter's estimated time, measured from the notebook instead of guessed.

A learner reads the prose, reads and runs the code, and does the exercises, so::

    minutes = prose words / WORDS_PER_MINUTE                    (the Markdown, Interview corner included)
            + shown code lines * SECONDS_PER_CODE_LINE / 60     (cells not collapsed on the site)
            + code cells * SECONDS_PER_CELL / 60                (run it, read its output or figure)
            + exercises * MINUTES_PER_EXERCISE                  (prompt to passing self-check)

rounded to the nearest 5 minutes. Solution and self-check cells count only as part of their
exercise. book/authoring.md ("Estimated time") gives the reasons for each rate. The header line
``**Estimated time:** N minutes`` of every chapter must carry this value;
``tests/test_estimate.py`` fails when it does not, and ``--write`` rewrites it.

Usage::

    python -m tools.estimate                 # a table: each chapter's counts, stated and measured time
    python -m tools.estimate --write         # rewrite the header line of every chapter that differs
    python -m tools.estimate --write notebooks/01_tensors.ipynb
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from tools.contract import tags
from tools.nbio import NotebookError, chapter_paths, read_notebook, write_notebook

ROOT = Path(__file__).resolve().parent.parent
#: Words per minute for prose read to learn it: Carver's "learning" gear (about 200 wpm for
#: college readers, against 300 for ordinary reading). Brysbaert (2019) puts silent reading of
#: non-fiction at 238 wpm; technical prose with formulas is read more slowly.
WORDS_PER_MINUTE = 200
#: A line of code holds a sentence's worth of tokens and is read at least as slowly as a sentence.
SECONDS_PER_CODE_LINE = 5
#: Run a cell, then read its output (or look at its figure) and compare it with the prose.
SECONDS_PER_CELL = 30
#: Read the prompt, think or predict, write the answer, run the self-check, fix it once.
MINUTES_PER_EXERCISE = 10
ROUND_TO = 5

#: The header's estimate; what follows "minutes" (a full stop, a remark) is kept.
TIME_LINE = re.compile(r"\*\*Estimated time:\*\* *(\d+) minutes?")


@dataclass(frozen=True)
class Counts:
    """What the estimate is made of, for one chapter."""

    words: int
    code_lines: int
    code_cells: int
    exercises: int

    def minutes(self) -> float:
        return (
            self.words / WORDS_PER_MINUTE
            + self.code_lines * SECONDS_PER_CODE_LINE / 60
            + self.code_cells * SECONDS_PER_CELL / 60
            + self.exercises * MINUTES_PER_EXERCISE
        )

    def estimate(self) -> int:
        """Minutes, rounded to the nearest ``ROUND_TO`` (halves up), at least ``ROUND_TO``."""
        return max(ROUND_TO, ROUND_TO * math.floor(self.minutes() / ROUND_TO + 0.5))


def prose_words(markdown: str) -> int:
    """Words a reader reads: no HTML tags, link targets or URLs; a formula's symbols count."""
    text = re.sub(r"<[^>]+>", " ", markdown)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # [text](target): keep the text
    text = re.sub(r"https?://\S+", " ", text)
    return len(re.findall(r"[^\W_]+(?:['’.-][^\W_]+)*", text))


def count(nb: nbformat.NotebookNode) -> Counts:
    """Count the prose words, shown code lines, code cells and exercises of a chapter."""
    words = code_lines = code_cells = exercises = 0
    for cell in nb.cells:
        cell_tags = tags(cell)
        if cell.cell_type == "markdown":
            words += prose_words(cell.source)
        elif cell.cell_type != "code":
            continue
        elif "exercise" in cell_tags:
            exercises += 1
        elif "self-check" not in cell_tags:
            code_cells += 1
            if "hide-input" not in cell_tags:
                code_lines += sum(1 for line in cell.source.splitlines() if line.strip())
    return Counts(words, code_lines, code_cells, exercises)


def stated(nb: nbformat.NotebookNode) -> int | None:
    """The minutes the header states, or None if it has no ``**Estimated time:** N minutes``."""
    match = TIME_LINE.search(nb.cells[0].source) if nb.cells else None
    return int(match.group(1)) if match else None


def time_line(minutes: int) -> str:
    return f"**Estimated time:** {minutes} minutes"


def rewrite(nb: nbformat.NotebookNode) -> bool:
    """Put the measured estimate in the header; True if the text changed."""
    header = nb.cells[0]
    new, replaced = TIME_LINE.subn(time_line(count(nb).estimate()), header.source, count=1)
    if not replaced:
        raise NotebookError("the header has no '**Estimated time:** N minutes' line")
    changed = new != header.source
    header.source = new
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapter")
    parser.add_argument("--write", action="store_true", help="rewrite the header lines that differ")
    args = parser.parse_args(argv)
    paths = args.notebooks or chapter_paths(ROOT / "notebooks")
    print(f"{'chapter':28s} {'words':>6s} {'lines':>6s} {'cells':>6s} {'exerc.':>6s} {'stated':>7s} {'measured':>9s}")
    differ = 0
    for path in paths:
        try:
            nb = read_notebook(path)
            counts, before = count(nb), stated(nb)
            if args.write and rewrite(nb):
                write_notebook(nb, path)
        except NotebookError as error:
            print(f"error: {path}: {error}", file=sys.stderr)
            return 1
        after = counts.estimate()
        mark = "" if before == after else ("  rewritten" if args.write else "  differs")
        differ += before != after
        print(
            f"{path.stem:28s} {counts.words:6d} {counts.code_lines:6d} {counts.code_cells:6d} "
            f"{counts.exercises:6d} {before if before is not None else '-':>7} {after:9d}{mark}"
        )
    return 1 if differ and not args.write else 0


if __name__ == "__main__":
    sys.exit(main())
