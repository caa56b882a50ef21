"""Write student versions of the chapters: solutions replaced by stubs, outputs cleared.

Everything between a ``### BEGIN SOLUTION`` line and its ``### END SOLUTION`` line (nbgrader's
markers) is replaced by one line, indented like the markers::

    raise NotImplementedError("Exercise 2: write your solution here. Hint: ...")

The exercise number comes from the cell's first line (``# Exercise 2``) and the hint from a
``# HINT:`` comment in the cell. Outputs and execution counts are cleared, solution cells are
no longer collapsed. The header already links both versions (`make badges`).

The nbgrader cell metadata (:mod:`tools.nbgrader_cells`) is kept, and the cells are locked and
checksummed as ``nbgrader generate_assignment`` does (its LockCells and ComputeChecksums steps),
so nbgrader can validate and autograde a student version like its own release. The only
differences from nbgrader's release are the stub line (nbgrader's is a bare
``raise NotImplementedError()``), the badge, and the dropped ``hide-input`` tag;
tests/test_nbgrader.py checks this for every chapter.

Every notebook is converted in memory first; if any has unbalanced markers, the error names
the notebook and the cell and nothing is written.

Usage::

    python -m tools.student notebooks _build/student
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

import nbformat

from tools.contract import STUDENT_BRANCH  # noqa: F401  (re-exported for tests)
from tools.nbio import NotebookError, read_chapters, write_notebook

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"


class MarkerError(Exception):
    """Solution markers are unbalanced or nested."""


def stub_line(cell_source: str) -> str:
    """The ``raise NotImplementedError(...)`` line for an exercise cell (unindented)."""
    first = cell_source.lstrip().splitlines()[0] if cell_source.strip() else ""
    match = re.match(r"#\s*(Exercise\s+\d+)", first)
    name = match.group(1) if match else "This exercise"
    hint = re.search(r"^\s*#\s*HINT:\s*(.+)$", cell_source, re.M)
    message = f"{name}: write your solution here, replacing this line."
    if hint:
        message += f" Hint: {hint.group(1).strip()}"
    return f"raise NotImplementedError({message!r})"


def strip_solutions(source: str) -> str:
    """Replace each marked solution region of ``source`` with a stub line.

    Raises :class:`MarkerError` for an END without BEGIN, a nested BEGIN, or a missing END.
    """
    lines = source.splitlines()
    out: list[str] = []
    inside = False
    stub = stub_line(source)
    for number, line in enumerate(lines, start=1):
        if BEGIN in line:
            if inside:
                raise MarkerError(f"line {number}: BEGIN SOLUTION inside another solution")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + stub)
        elif END in line:
            if not inside:
                raise MarkerError(f"line {number}: END SOLUTION without BEGIN SOLUTION")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError("BEGIN SOLUTION without END SOLUTION")
    return "\n".join(out)


def _nbgrader(cell: nbformat.NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def nbgrader_checksum(cell: nbformat.NotebookNode) -> str:
    """nbgrader 0.9's ``utils.compute_checksum`` (md5 over source, type, flags, id, points)."""
    meta = _nbgrader(cell)
    grade, solution = bool(meta.get("grade", False)), bool(meta.get("solution", False))
    locked = False if solution else (True if grade else bool(meta.get("locked", False)))
    digest = hashlib.md5()
    for part in (cell.source, cell.cell_type, str(grade), str(solution), str(locked), meta["grade_id"]):
        digest.update(part.encode("utf-8"))
    if grade:
        digest.update(str(float(meta["points"])).encode("utf-8"))
    return digest.hexdigest()


def lock_and_checksum(cell: nbformat.NotebookNode) -> None:
    """What nbgrader's LockCells and ComputeChecksums do to a released cell."""
    meta = _nbgrader(cell)
    if not meta:
        return
    if meta.get("solution"):
        cell.metadata["deletable"] = False
    elif meta.get("grade") or meta.get("locked"):
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = False
    if meta.get("grade") or meta.get("solution") or meta.get("locked"):
        meta["checksum"] = nbgrader_checksum(cell)
        meta["cell_type"] = cell.cell_type  # nbgrader records it too


def student_version(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Return a student copy of ``nb``. ``name`` is used in error messages."""
    nb = nbformat.from_dict(nb)
    code_index = -1
    for cell in nb.cells:
        if cell.cell_type == "code":
            code_index += 1
            if BEGIN in cell.source or END in cell.source:
                try:
                    cell.source = strip_solutions(cell.source)
                except MarkerError as error:
                    raise MarkerError(f"{name}: code cell {code_index}: {error}") from None
                tags = cell.metadata.get("tags", [])
                cell.metadata["tags"] = [t for t in tags if t != "hide-input"]
            cell.outputs = []
            cell.execution_count = None
        lock_and_checksum(cell)
    nbformat.validate(nb)
    return nb


def convert(src_dir: Path, dst_dir: Path) -> list[Path]:
    """Convert every chapter in ``src_dir``; write them to ``dst_dir`` only if all succeed."""
    converted = [(path.name, student_version(nb, str(path))) for path, nb in read_chapters(src_dir)]
    written = []
    for name, nb in converted:
        write_notebook(nb, dst_dir / name)
        written.append(dst_dir / name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder of chapter notebooks")
    parser.add_argument("destination", type=Path, help="folder for the student versions")
    args = parser.parse_args(argv)
    try:
        written = convert(args.source, args.destination)
    except (NotebookError, MarkerError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} student notebooks to {args.destination}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
