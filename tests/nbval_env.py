"""pytest plugin: nbval kernels start in the reference CPU environment, as ``make execute``'s do.

nbval's kernels inherit this process's environment, so setting it here makes the comparison
like for like however pytest is started (``make test``, a plain ``pytest -c tests/pytest.ini
--rootdir . notebooks``, the standalone test, CI). ``--cpu-dispatch LEVEL`` checks the stored
outputs under another dispatch level instead (:data:`tools.reference_env.LEVELS`), which is how
``make dispatch`` finds cells that depend on the CPU. The GPU lane sets ``COURSE_GPU_LANE=1`` to
keep its GPU visible.

It also fails a ``raises-exception`` cell that raised nothing: nbval lets such a cell pass (it
only tolerates the error), so a torch release that stopped raising would go unnoticed while the
prose still describes the error. It also fails one that raised another exception than the
stored one, even where the cell's output is not compared (``nbval-ignore-output``).
"""
from __future__ import annotations

import os
from collections.abc import Generator

import pytest
from nbval.plugin import IPyNbCell

from tools import reference_env


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--cpu-dispatch``."""
    parser.addoption(
        "--cpu-dispatch",
        default="reference",
        choices=sorted(reference_env.LEVELS),
        help="CPU dispatch level for notebook kernels (default: reference, the one outputs are stored in)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Put the chosen level into this process's environment, which every kernel inherits."""
    level = config.getoption("--cpu-dispatch")
    try:
        reference_env.check_level(level)  # another level than the reference must suit this CPU
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    reference_env.apply(os.environ, level)
    if os.environ.get("COURSE_GPU_LANE") == "1":
        os.environ.pop("CUDA_VISIBLE_DEVICES", None)


def pytest_report_header(config: pytest.Config) -> str:
    """Say which dispatch level the kernels use, and on which CPU."""
    return f"notebook kernels: CPU dispatch {config.getoption('--cpu-dispatch')!r} ({reference_env.describe_cpu()})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """After nbval ran a cell: one that expects an exception must have raised one."""
    result = yield
    if isinstance(item, IPyNbCell) and item.options.get("check_exception"):
        outputs = getattr(item, "test_outputs", None) or []
        raised = [output for output in outputs if output.get("output_type") == "error"]
        if not raised:
            item.raise_cell_error("Cell is tagged raises-exception but raised nothing")
        stored = [output for output in item.cell.outputs if output.get("output_type") == "error"]
        if stored and raised[0].get("ename") != stored[0].get("ename"):  # even with its output ignored
            item.raise_cell_error(
                f"Cell raised {raised[0].get('ename')}, but the stored output (and the prose) shows {stored[0].get('ename')}"
            )
    return result
