"""Chapter 17's errata table: every row has a severity that readers can sort and filter by."""
from __future__ import annotations

import re
from pathlib import Path

from tools.nbio import read_notebook

ROOT = Path(__file__).resolve().parent.parent
ERRATA = ROOT / "notebooks" / "17_errata.ipynb"
#: The order the site sorts by (book/_static/course.js holds the same list).
SEVERITIES = ["wrong result", "crash", "deprecated", "imprecise", "style"]


def errata_rows() -> list[list[str]]:
    """The cells of every numbered row of the table under "The errata at a glance"."""
    nb = read_notebook(ERRATA)
    (table,) = [c.source for c in nb.cells if c.source.startswith("## The errata at a glance")]
    return [
        [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in table.splitlines()
        if re.match(r"\| \d+ \|", line)
    ]


def test_every_erratum_has_a_known_severity():
    rows = errata_rows()
    assert [int(row[0]) for row in rows] == list(range(1, len(rows) + 1)), "rows numbered 1, 2, 3, ..."
    bad = {row[0]: row[1] for row in rows if row[1] not in SEVERITIES}
    assert not bad, f"unknown severities (use one of {SEVERITIES}): {bad}"
    assert all(len(row) == 6 for row in rows), "every row: # | Severity | Topic | Guide | Claim | What is true"


def test_site_script_sorts_by_the_same_severity_order():
    script = (ROOT / "book" / "_static" / "course.js").read_text(encoding="utf-8")
    assert "const ORDER = " + str(SEVERITIES).replace("'", '"').replace('", "', '", "') + ";" in script
    assert 'textContent.trim() === "Severity"' in script


def test_every_erratum_section_exists():
    covered: set[int] = set()
    for cell in read_notebook(ERRATA).cells:
        for first, kind, last in re.findall(r"^### Errat(?:um|a) (\d+)(?: (to|and) (\d+))?", cell.source, re.M):
            covered |= set(range(int(first), int(last) + 1)) if kind == "to" else {int(first), int(last or first)}
    assert covered == set(range(1, len(errata_rows()) + 1)), "every row of the table has a section below it"
