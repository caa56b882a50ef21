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
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import dispatch, emulate, execute, reference_env

ROOT = Path(__file__).resolve().parent.parent

#: Runs inside the kernel: helpers, then one cell per library, each compared by nbval.
PROBE_SETUP = r'''
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

def mkl_cbwr():
    """MKL's own answer: the branch it runs (3 = COMPATIBLE), not the variable's text."""
    lib = ctypes.CDLL(os.path.join(os.path.dirname(torch.__file__), "lib", "libtorch_cpu.so"))
    lib.mkl_serv_cbwr_get.restype, lib.mkl_serv_cbwr_get.argtypes = ctypes.c_int, [ctypes.c_int]
    return hex(lib.mkl_serv_cbwr_get(-1))

blas = {i["internal_api"]: i for i in threadpoolctl.threadpool_info()}
'''

#: (library, probe cell, what the reference environment must make it print)
PROBES = [
    ("aten", 'print("aten:", torch.backends.cpu.get_cpu_capability())', "aten: DEFAULT\n"),
    ("onednn", 'print("onednn:", onednn_isa(), "| bf16:", torch.ops.mkldnn._is_mkldnn_bf16_supported())',
     "onednn: Intel SSE4.1 | bf16: False\n"),
    ("mkl", 'print("mkl cbwr:", mkl_cbwr())', "mkl cbwr: 0x3\n"),
    ("numpy", 'print("numpy avx2/avx512 groups:", __cpu_features__["X86_V3"] or __cpu_features__["X86_V4"])',
     "numpy avx2/avx512 groups: False\n"),
    ("openblas", 'print("openblas:", blas["openblas"]["architecture"])', "openblas: Nehalem\n"),
    ("sqrt", 'x = torch.linspace(1e-4, 1, 10_000)\n'
             'exact = torch.from_numpy(np.sqrt(x.numpy().astype(np.float64)).astype(np.float32))\n'
             'print("torch.sqrt correctly rounded:", torch.equal(x.sqrt(), exact))',
     "torch.sqrt correctly rounded: True\n"),
    ("int_mm", 'g = torch.Generator().manual_seed(0)\n'
               'a, b = torch.randint(-128, 128, (2, 64, 256), dtype=torch.int8, generator=g)\n'
               'u = (a.int() + 128).to(torch.uint8)  # what torchao feeds it on VNNI CPUs without AMX\n'
               'print("torch._int_mm exact, int8 and uint8:", torch.equal(torch._int_mm(a, b.T.contiguous()).long(), a.long() @ b.long().T),\n'
               '      torch.equal(torch._int_mm(u, b.T.contiguous()).long(), u.long() @ b.long().T),\n'
               '      "| replaced:", hasattr(torch, "_reference_env_int_mm"))  # only VNNI hosts need it; every host has it',
     "torch._int_mm exact, int8 and uint8: True True | replaced: True\n"),
    ("inductor", 'from torch._inductor import config as inductor_config, cpu_vec_isa\n'
                 'print("inductor vector ISA:", cpu_vec_isa.pick_vec_isa(), "| vec_isa_ok:", inductor_config.cpp.vec_isa_ok)',
     "inductor vector ISA: INVALID_VEC_ISA | vec_isa_ok: False\n"),
    ("threads", 'print("threads:", torch.get_num_threads(), blas["openblas"]["num_threads"], "| cuda:", torch.cuda.device_count())',
     "threads: 1 1 | cuda: 0\n"),
]


def probe_notebook(path: Path) -> Path:
    """The probe as a notebook whose stored outputs are what the reference environment prints."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(PROBE_SETUP, execution_count=1)]
    for number, (_, source, expected) in enumerate(PROBES, start=2):
        cell = nbformat.v4.new_code_cell(source, execution_count=number)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=expected)]
        nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


def run_nbval(path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """nbval as the Makefile and CI start it, with this process's (unpinned) environment."""
    env = {k: v for k, v in os.environ.items() if k not in reference_env.kernel_env() and k != "PYTHONPATH"}
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
    """Under ``native`` every library but the thread count answers differently (any CI host has
    AVX2), so each of those probe cells must fail: none of them merely echoes a variable."""
    result = run_nbval(probe_notebook(tmp_path / "probe.ipynb"), "--cpu-dispatch", "native", "-rf")
    failed = {int(n) for n in re.findall(r"^FAILED \S*::Cell (\d+)", result.stdout, re.MULTILINE)}
    names = {PROBES[n - 1][0] for n in failed}
    # MKL's own sqrt may or may not round correctly on a given CPU, and _int_mm is exact natively
    # on the CPUs seen so far (its replacement matters under the oneDNN cap); the rest must differ
    assert {"aten", "onednn", "mkl", "numpy", "openblas", "inductor"} <= names <= {
        "aten", "onednn", "mkl", "numpy", "openblas", "inductor", "sqrt", "int_mm"}, result.stdout[-3000:]


@pytest.mark.slow
def test_make_execute_kernel_runs_in_the_reference_environment(tmp_path: Path, monkeypatch):
    # This process already runs pinned (the plugin); unpin it, so only execute can pin the kernel.
    for name in (*reference_env.DISPATCH_VARIABLES, *reference_env.THREAD_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "avx2")
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    nb = nbformat.read(probe_notebook(tmp_path / "probe.ipynb"), as_version=4)
    nb, _, _ = execute.run_in_empty_dir(nb, "probe.ipynb")
    printed = [cell.outputs[0]["text"] for cell in nb.cells[1:]]
    assert printed == [expected for _, _, expected in PROBES]


def test_every_level_names_every_switch():
    for level in reference_env.LEVELS:
        env = reference_env.kernel_env(level)
        assert set(reference_env.DISPATCH_VARIABLES) <= set(env), level
        assert env["OMP_NUM_THREADS"] == "1" and env["CUDA_VISIBLE_DEVICES"] == ""
    assert reference_env.kernel_env("native", threads=None)["OMP_NUM_THREADS"] is None
    assert all(reference_env.kernel_env("native")[v] is None for v in reference_env.DISPATCH_VARIABLES)


def test_reference_site_goes_first_on_pythonpath_and_keeps_the_rest():
    env = reference_env.environment("reference", base={"PYTHONPATH": "/elsewhere"})
    assert env["PYTHONPATH"].split(os.pathsep) == [reference_env.SITE_DIR, "/elsewhere"]
    again = reference_env.environment("reference", base=env)
    assert again["PYTHONPATH"] == env["PYTHONPATH"]
    assert reference_env.environment("native", base=env)["PYTHONPATH"] == "/elsewhere"
    assert "PYTHONPATH" not in reference_env.environment("native", base={})


def test_apply_removes_switches_left_in_the_shell():
    shell = {"ATEN_CPU_CAPABILITY": "avx512", "MKL_ENABLE_INSTRUCTIONS": "AVX512", "HOME": "/root"}
    env = reference_env.environment("reference", base=shell)
    assert env["ATEN_CPU_CAPABILITY"] == "default" and "MKL_ENABLE_INSTRUCTIONS" not in env
    assert env["HOME"] == "/root"
    assert "ATEN_CPU_CAPABILITY" not in reference_env.environment("native", base=shell)
    with pytest.raises(ValueError, match="unknown CPU dispatch level"):
        reference_env.kernel_env("avx1024")


def test_levels_follow_the_cpu_flags(tmp_path: Path):
    avx2 = reference_env.REQUIRES["avx2"]
    assert reference_env.levels_available(avx2) == ["reference", "avx2", "native"]
    assert reference_env.levels_available(frozenset({"avx2"})) == ["native"]
    with pytest.raises(ValueError, match="lacks"):
        reference_env.check_level("avx512", avx2)
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("model name\t: Test CPU\nflags\t\t: fpu sse4_2 avx2 avx512f amx_tile\n")
    assert reference_env.describe_cpu(str(cpuinfo)) == "Test CPU; amx_tile avx2 avx512f"


def test_dispatch_table_reads_failing_cells_from_pytest():
    output = (
        "FAILED notebooks/06_training_loop.ipynb::Cell 24 - Notebook cell execution failed\n"
        "FAILED notebooks/06_training_loop.ipynb::Cell 3 - Notebook cell execution failed\n"
        "FAILED notebooks/14_deployment.ipynb::Cell 19 - Notebook cell execution failed\n"
        "FAILED tests/test_tools.py::test_something - AssertionError\n"
    )
    cells = dispatch.failing_cells(output)
    assert cells == {"06": [3, 24], "14": [19]}
    assert dispatch.format_cells(cells) == "06: 3, 24; 14: 19"
    assert dispatch.format_cells({}) == "none"


@pytest.mark.slow
def test_learner_runs_use_the_machines_own_kernels(tmp_path: Path):
    """`--learner` (the scheduled jobs, `make bench --learner`) runs unpinned: native kernels."""
    nb = nbformat.read(probe_notebook(tmp_path / "probe.ipynb"), as_version=4)
    nb, _, _ = execute.run_in_empty_dir(nb, "probe.ipynb", learner=True)
    assert nb.cells[2].outputs[0]["text"] != PROBES[0][2], "a learner run should not be pinned"


def test_learner_runs_never_write_stored_outputs(tmp_path: Path):
    with pytest.raises(ValueError, match="reference environment"):
        execute.execute(tmp_path / "any.ipynb", learner=True)
    with pytest.raises(SystemExit):
        execute.main(["--learner", str(tmp_path / "any.ipynb")])


@pytest.mark.slow
def test_kernel_fingerprint_is_the_same_run_after_run():
    first = emulate.run_fingerprint(None)
    assert len(first) == 10 and all(first.values())
    assert emulate.run_fingerprint(None) == first


def test_emulation_table_marks_each_difference():
    native = {"matmul": "aa", "sqrt": "bb"}
    rows = emulate.compare(native, {"Skylake-Client": {"matmul": "aa", "sqrt": "cc"}, "Nehalem": native})
    assert rows == ["| matmul | same | same |", "| sqrt | DIFFERS | same |"]
