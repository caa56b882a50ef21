"""The reference CPU environment reaches every kernel that makes or checks a stored output.

A probe notebook asks its own kernel which kernels it dispatches to (ATen's capability, oneDNN's
ISA, NumPy's SIMD groups, OpenBLAS's core type, the thread count) and compares the answer with
what :mod:`tools.reference_env` promises. It runs the way each path runs it: under nbval started
like a plain ``pytest -c tests/pytest.ini --rootdir . notebooks`` (which ``make test``, the
standalone test and CI use), and under ``make execute``'s runner. Under ``--cpu-dispatch native``
the same probe must fail, so the probe can tell the difference.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import execute, reference_env

ROOT = Path(__file__).resolve().parent.parent

#: Runs inside the kernel; prints one line per library. Each line is compared by nbval.
PROBE = r'''
import ctypes, os, tempfile
import numpy as np
import threadpoolctl
import torch
from numpy._core._multiarray_umath import __cpu_features__

def onednn_isa():
    """oneDNN prints its ISA on fd 1 in verbose mode; catch it there."""
    libc = ctypes.CDLL(None)
    with tempfile.TemporaryFile(mode="w+") as sink:
        saved = os.dup(1)
        libc.fflush(None)
        os.dup2(sink.fileno(), 1)
        try:
            with torch.backends.mkldnn.verbose(torch.backends.mkldnn.VERBOSE_ON):
                torch.nn.functional.conv2d(torch.ones(8, 16, 32, 32), torch.ones(32, 16, 3, 3))
            libc.fflush(None)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        sink.seek(0)
        return next(l.split("isa:")[1].strip() for l in sink if "isa:" in l)

blas = {i["internal_api"]: i for i in threadpoolctl.threadpool_info()}
print("aten:", torch.backends.cpu.get_cpu_capability())
print("onednn:", onednn_isa())
print("numpy avx2/avx512 groups:", __cpu_features__["X86_V3"] or __cpu_features__["X86_V4"])
print("openblas:", blas["openblas"]["architecture"])
print("mkl:", os.environ.get("MKL_CBWR"), "| fbgemm:", os.environ.get("FBGEMM_ENABLE_INSTRUCTIONS"))
print("threads:", torch.get_num_threads(), "| cuda devices:", torch.cuda.device_count())
'''

EXPECTED = (
    "aten: DEFAULT\n"
    "onednn: Intel SSE4.1\n"
    "numpy avx2/avx512 groups: False\n"
    "openblas: Nehalem\n"
    "mkl: COMPATIBLE,STRICT | fbgemm: AVX2\n"
    "threads: 1 | cuda devices: 0\n"
)


def probe_notebook(path: Path) -> Path:
    """A one-cell notebook whose stored output is what the reference environment must print."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(PROBE, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=EXPECTED)]
    nb.cells = [cell]
    nbformat.write(nb, path)
    return path


def run_nbval(path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """nbval as the Makefile and CI start it, with this process's (unpinned) environment."""
    env = {k: v for k, v in os.environ.items() if k not in reference_env.kernel_env()}
    command = [
        sys.executable, "-m", "pytest", "-c", str(ROOT / "tests" / "pytest.ini"),
        "--rootdir", str(ROOT), "-p", "no:xdist", "-q", *options, str(path),
    ]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)


@pytest.mark.slow
def test_nbval_kernel_runs_in_the_reference_environment(tmp_path: Path):
    result = run_nbval(probe_notebook(tmp_path / "probe.ipynb"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]


@pytest.mark.slow
def test_probe_notices_a_kernel_outside_it(tmp_path: Path):
    result = run_nbval(probe_notebook(tmp_path / "probe.ipynb"), "--cpu-dispatch", "native")
    assert result.returncode == 1, result.stdout[-3000:]
    assert "aten: DEFAULT" in result.stdout and "1 failed" in result.stdout, result.stdout[-3000:]


@pytest.mark.slow
def test_make_execute_kernel_runs_in_the_reference_environment(tmp_path: Path):
    nb = nbformat.read(probe_notebook(tmp_path / "probe.ipynb"), as_version=4)
    nb, _, _ = execute.run_in_empty_dir(nb, "probe.ipynb")
    assert nb.cells[0].outputs[0]["text"] == EXPECTED


def test_every_level_names_every_switch():
    for level in reference_env.LEVELS:
        env = reference_env.kernel_env(level)
        assert set(reference_env.DISPATCH_VARIABLES) <= set(env), level
        assert env["OMP_NUM_THREADS"] == "1" and env["CUDA_VISIBLE_DEVICES"] == ""
    assert all(reference_env.kernel_env("native")[v] is None for v in reference_env.DISPATCH_VARIABLES)


def test_apply_removes_switches_left_in_the_shell():
    shell = {"ATEN_CPU_CAPABILITY": "avx512", "MKL_ENABLE_INSTRUCTIONS": "AVX512", "HOME": "/root"}
    env = reference_env.environment("reference", base=shell)
    assert env["ATEN_CPU_CAPABILITY"] == "default" and "MKL_ENABLE_INSTRUCTIONS" not in env
    assert env["HOME"] == "/root"
    assert "ATEN_CPU_CAPABILITY" not in reference_env.environment("native", base=shell)
    with pytest.raises(ValueError, match="unknown CPU dispatch level"):
        reference_env.kernel_env("avx1024")


def test_levels_follow_the_cpu_flags(tmp_path: Path):
    avx2_only = frozenset({"sse4_2", "popcnt", "avx2", "fma"})
    assert reference_env.levels_available(avx2_only) == ["reference", "avx2", "native"]
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("model name\t: Test CPU\nflags\t\t: fpu sse4_2 avx2 avx512f amx_tile\n")
    assert reference_env.describe_cpu(str(cpuinfo)) == "Test CPU; amx_tile avx2 avx512f"
