"""Execute a chapter notebook from a fresh kernel and write it back normalised.

This is the only way stored outputs are produced (``make execute``). The notebook is
copied alone into an empty temporary directory and run there, exactly as Colab opens it,
so a chapter that secretly reads a repository file fails here first. The kernel starts in
the reference CPU environment (:mod:`tools.reference_env`): one thread, no GPU, and every math
library's kernel choice pinned to the x86-64 baseline, so the outputs hold on any CI host.

Numbers the prose quotes (glue spans, :mod:`tools.prose_numbers`) are rewritten from the
values this run glued, so the Markdown always shows this run's numbers.

The stored notebook is replaced only when every cell ran cleanly: no exception outside a
``raises-exception`` cell, every ``raises-exception`` cell raised, and nothing written to
stderr (a warning is a failure). On failure the file on disk is left byte-for-byte untouched.

``--no-write`` only checks, and there every ``raises-exception`` cell must raise the exception
its stored output shows (the prose explains that one); ``--learner`` checks as a learner's machine runs it (native kernels,
all cores); ``--compat`` is the learner's run on another torch (``make compat``,
:mod:`tools.compat`): warnings are shown, not raised, and stderr is listed as a note instead of
failing, while errors and ``raises-exception`` cells that do not raise still fail.

Usage::

    python -m tools.execute notebooks/01_tensors.ipynb [more.ipynb ...]
"""
from __future__ import annotations

import argparse
import copy
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tools import prose_numbers, reference_env
from tools.contract import check_clean_outputs, check_executed_in_order, check_same_exceptions
from tools.nbio import NotebookError, read_notebook, write_notebook

KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 600

class ExecutionFailed(Exception):
    """A cell raised, or wrote to stderr, where it was not allowed to."""


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip volatile fields so that re-running an unchanged notebook gives the same bytes.

    Keeps only the stable parts of the notebook metadata, gives cells sequential ids, and
    drops per-cell execution timestamps and transient output fields.
    """
    nb.metadata = nbformat.from_dict(
        {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        }
    )
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index:03d}"
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        for output in cell.get("outputs", []):
            output.pop("transient", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
            for output in cell.outputs:
                if output.get("output_type") == "error":
                    output["traceback"] = [_LIB_PATH.sub(r".../\1/", line) for line in output["traceback"]]
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


#: An installation path in a traceback (the venv's or Python's own); it depends on the machine.
_LIB_PATH = re.compile(r"/[^\s'\"\x1b]*?/(site-packages|lib/python3\.\d+)/")


def merge_streams(outputs: list) -> list:
    """Join consecutive stream outputs of the same name into one.

    How a kernel splits one cell's printing into messages depends on timing, so unmerged
    notebooks could change bytes between identical runs (nbval merges them too).
    """
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def check_outputs(nb: nbformat.NotebookNode, path: Path) -> None:
    """Raise :class:`ExecutionFailed` for an unexpected error, stderr, or out-of-order counts.

    The same contract checks that the tests apply to stored notebooks (:mod:`tools.contract`).
    """
    problems = check_clean_outputs(nb, path) + check_executed_in_order(nb, path)
    if problems:
        raise ExecutionFailed(problems[0])


def run_in_empty_dir(
    nb: nbformat.NotebookNode,
    name: str,
    timeout: int = CELL_TIMEOUT_S,
    allow_errors: bool = False,
    learner: bool = False,
    warnings_as_errors: bool = True,
) -> tuple[nbformat.NotebookNode, float, list[str]]:
    """Execute ``nb`` from a fresh kernel in an empty temporary directory, as Colab would.

    The kernel starts in the reference environment, or with ``learner`` as a learner's does:
    this machine's fastest kernels and all its cores (still no GPU, warnings still errors).
    Returns the executed notebook, the wall time in seconds, and the names of files the
    notebook left behind in its working directory. With ``allow_errors`` false a failing
    cell raises :class:`ExecutionFailed` naming the cell. With ``warnings_as_errors`` false
    the kernel keeps Python's default warning filters, as in Colab or a learner's Jupyter.
    """
    env = reference_env.environment("native", threads=None) if learner else reference_env.environment()
    if not warnings_as_errors:
        env.pop("PYTHONWARNINGS", None)
    workdir = Path(tempfile.mkdtemp(prefix="execute-"))
    try:
        nbformat.write(nb, workdir / name)
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name=KERNEL_NAME,
            resources={"metadata": {"path": str(workdir)}},
            record_timing=False,
            allow_errors=allow_errors,
        )
        start = time.perf_counter()
        try:
            client.execute(env=env)  # forwarded to the kernel manager's start_kernel
        except CellExecutionError as error:
            first = str(error).strip().splitlines()
            number = _failing_cell(nb)
            raise ExecutionFailed(
                f"code cell {number}: {_error_line(nb, number) or (first[-1] if first else 'error')}"
            ) from None
        elapsed = time.perf_counter() - start
        leftovers = sorted(p.name for p in workdir.iterdir() if p.name != name)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return nb, elapsed, leftovers


def execute(
    path: Path,
    timeout: int = CELL_TIMEOUT_S,
    write: bool = True,
    learner: bool = False,
    notes: list[str] | None = None,
) -> float:
    """Execute ``path`` in an empty temporary directory; write it back normalised.

    With ``write`` false the notebook is only checked (the scheduled jobs use this), and with
    ``learner`` it runs as on a learner's machine; stored outputs only ever come from the
    reference environment, so ``learner`` requires ``write`` false.

    Given a ``notes`` list, the run is the compat check (``--compat``, which implies
    ``learner``): warnings keep Python's default filters, and each cell that writes to stderr
    is appended to ``notes`` instead of failing the notebook.

    Returns the wall time in seconds. Raises :class:`NotebookError` for unreadable input
    and :class:`ExecutionFailed` when a cell fails; in both cases ``path`` is untouched.
    """
    compat = notes is not None
    learner = learner or compat
    if learner and write:
        raise ValueError("stored outputs come only from the reference environment: learner runs cannot write")
    stored = read_notebook(path)
    nb, elapsed, leftovers = run_in_empty_dir(
        copy.deepcopy(stored), path.name, timeout, learner=learner, warnings_as_errors=not compat
    )
    if not write:  # a check against the stored run: the same errors must come back
        changed = check_same_exceptions(stored, nb)
        if changed:
            raise ExecutionFailed(changed[0])
    if notes is None:
        check_outputs(nb, path)
    else:
        problems = check_clean_outputs(nb, path) + check_executed_in_order(nb, path)
        notes.extend(p for p in problems if _STDERR in p)
        failures = [p for p in problems if _STDERR not in p]
        if failures:
            raise ExecutionFailed(failures[0])
    if leftovers:
        raise ExecutionFailed(f"left files behind in its working directory: {leftovers}")
    if write:  # checks (--no-write) run where myst-nb may be missing: Colab's image, make compat
        try:
            prose_numbers.refresh(nb)
        except prose_numbers.GlueError as error:
            raise ExecutionFailed(f"the prose quotes a number the run did not glue: {error}") from None
        write_notebook(normalise(nb), path)
    return elapsed


#: How :func:`tools.contract.check_clean_outputs` words a cell that wrote to stderr.
_STDERR = "writes to stderr"


def _failing_cell(nb: nbformat.NotebookNode) -> int:
    """Index (among code cells) of the first error outside a ``raises-exception`` cell."""
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for number, cell in enumerate(code_cells):
        if "raises-exception" in cell.metadata.get("tags", []):
            continue
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return number
    return -1


def _error_line(nb: nbformat.NotebookNode, number: int) -> str:
    """``Name: first line of the message`` of code cell ``number``'s error output, or ``""``."""
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    if not 0 <= number < len(code_cells):
        return ""
    for output in code_cells[number].get("outputs", []):
        if output.get("output_type") == "error":
            message = (output.get("evalue") or "").strip().splitlines()
            return f"{output.get('ename')}: {message[0] if message else ''}"[:300]
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT_S)
    parser.add_argument(
        "--no-write", action="store_true", help="only check that it runs cleanly; store nothing"
    )
    parser.add_argument(
        "--learner", action="store_true",
        help="with --no-write: run as a learner's machine does (native kernels, all cores)",
    )
    parser.add_argument(
        "--compat", action="store_true",
        help="with --no-write: a learner's run on another torch (warnings shown, stderr listed "
        "as notes, not failed); used by make compat",
    )
    args = parser.parse_args(argv)
    if (args.learner or args.compat) and not args.no_write:
        parser.error("--learner and --compat need --no-write: stored outputs come only from the reference environment")
    status = 0
    for path in args.notebooks:
        notes: list[str] | None = [] if args.compat else None
        try:
            elapsed = execute(
                path, timeout=args.timeout, write=not args.no_write, learner=args.learner, notes=notes
            )
        except (NotebookError, ExecutionFailed) as error:
            print(f"error: {path}: {error}", file=sys.stderr)
            status = 1
            continue
        for note in notes or []:
            print(f"note: {path}: {note}")
        print(f"{'checked' if args.no_write else 'executed'} {path} in {elapsed:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
