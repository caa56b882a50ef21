"""pytest plugin: nbval kernels start in the reference CPU environment, as ``make execute``'s do.

nbval's kernels inherit this process's environment, so setting it here makes the comparison
like for like however pytest is started (``make test``, a plain ``pytest -c tests/pytest.ini
--rootdir . notebooks``, the standalone test, CI). ``--cpu-dispatch LEVEL`` checks the stored
outputs under another dispatch level instead (:data:`tools.reference_env.LEVELS`), which is how
``make dispatch`` finds cells that depend on the CPU. The GPU lane sets ``COURSE_GPU_LANE=1`` to
keep its GPU visible.
"""
from __future__ import annotations

import os

import pytest

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
