"""The reference CPU environment: how every stored output is made and checked, defined once.

The math libraries under PyTorch pick their kernels by what the CPU offers (AVX2, AVX-512,
AMX, ...), and different kernels round differently, so an unpinned run prints other last digits
on another CI host. The reference environment pins each library's dispatch to the x86-64
baseline that every Intel and AMD host runs the same way, pins the thread count, and hides any
GPU. ``make execute`` (:mod:`tools.execute`), nbval under ``make test`` (``tests/nbval_env.py``),
the standalone test, ``make bench`` and CI all start their kernels in it.

It belongs to contributors and CI only: the chapters themselves set nothing, so a learner's
run uses every core and the fastest kernels of their machine (``book/running.md``).

Other dispatch levels exist to find fragile cells: ``pytest ... --cpu-dispatch avx2`` (or
``make dispatch``) runs nbval with the same stored outputs under another level. A cell whose
output changes between levels depends on the kernels chosen, which the reference pins.
"""
from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping

#: Everything but dispatch: CPU only (GPU numbers are never stored), one thread (thread count
#: changes how sums are split, so it changes bits), deprecations as errors (a FutureWarning
#: must never reach a stored output), the inline plot backend, quiet progress bars.
BASE_ENV: dict[str, str] = {
    "CUDA_VISIBLE_DEVICES": "",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "PYTHONWARNINGS": "error::FutureWarning,error::DeprecationWarning:__main__",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "TQDM_MININTERVAL": "1000",
}

#: The switches, one per library that picks kernels by CPU. Each must be set before the
#: library loads, so they go into the kernel's environment, never into a cell.
#:
#: - ``ATEN_CPU_CAPABILITY``: torch's own vectorised kernels (``default`` is no SIMD beyond the
#:   baseline); ``torch.backends.cpu.get_cpu_capability()`` reports it.
#: - ``MKL_CBWR``: MKL's conditional numerical reproducibility; ``COMPATIBLE`` is the mode that
#:   gives the same bits on Intel and AMD CPUs (torch's BLAS and FFT on x86).
#: - ``ONEDNN_MAX_CPU_ISA``: oneDNN (convolutions, bf16 and AMX paths).
#: - ``NPY_ENABLE_CPU_FEATURES``: NumPy's SIMD loops; ``X86_V2`` is NumPy 2.4's baseline, so no
#:   AVX2 or AVX-512 group is dispatched.
#: - ``OPENBLAS_CORETYPE``: the OpenBLAS inside NumPy and SciPy (scikit-learn uses SciPy's).
#: - ``FBGEMM_ENABLE_INSTRUCTIONS``: torch's int8 kernels; AVX2 is FBGEMM's floor.
#:
#: ONNX Runtime's MLAS has no switch: chapters print only robust quantities from it.
DISPATCH_VARIABLES = (
    "ATEN_CPU_CAPABILITY",
    "MKL_CBWR",
    "MKL_ENABLE_INSTRUCTIONS",
    "ONEDNN_MAX_CPU_ISA",
    "DNNL_MAX_CPU_ISA",
    "NPY_ENABLE_CPU_FEATURES",
    "NPY_DISABLE_CPU_FEATURES",
    "OPENBLAS_CORETYPE",
    "FBGEMM_ENABLE_INSTRUCTIONS",
)

#: Dispatch levels by name. ``reference`` is the one stored outputs come from; the others let
#: any host emulate a CPU at or below its own level. ``native`` sets nothing: the fastest
#: kernels of this host, as a learner's run gets them.
LEVELS: dict[str, dict[str, str]] = {
    "reference": {
        "ATEN_CPU_CAPABILITY": "default",
        "MKL_CBWR": "COMPATIBLE,STRICT",
        "ONEDNN_MAX_CPU_ISA": "SSE41",
        "NPY_ENABLE_CPU_FEATURES": "X86_V2",
        "OPENBLAS_CORETYPE": "Nehalem",
        "FBGEMM_ENABLE_INSTRUCTIONS": "AVX2",
    },
    "avx2": {
        "ATEN_CPU_CAPABILITY": "avx2",
        "MKL_CBWR": "AVX2",
        "ONEDNN_MAX_CPU_ISA": "AVX2",
        "NPY_ENABLE_CPU_FEATURES": "X86_V2 X86_V3",
        "OPENBLAS_CORETYPE": "Haswell",
        "FBGEMM_ENABLE_INSTRUCTIONS": "AVX2",
    },
    "avx512": {
        "ATEN_CPU_CAPABILITY": "avx512",
        "MKL_CBWR": "AVX512",
        "ONEDNN_MAX_CPU_ISA": "AVX512_CORE",
        "NPY_ENABLE_CPU_FEATURES": "X86_V2 X86_V3 X86_V4",
        "OPENBLAS_CORETYPE": "SkylakeX",
        "FBGEMM_ENABLE_INSTRUCTIONS": "AVX512",
    },
    "native": {},
}

#: What each level needs from the CPU (flags as /proc/cpuinfo spells them).
REQUIRES: dict[str, frozenset[str]] = {
    "reference": frozenset({"sse4_2", "popcnt"}),
    "avx2": frozenset({"avx2", "fma"}),
    "avx512": frozenset({"avx512f", "avx512bw", "avx512vl", "avx512dq"}),
    "native": frozenset(),
}


def kernel_env(level: str = "reference") -> dict[str, str | None]:
    """The variables a kernel at ``level`` needs; ``None`` means "must be unset".

    Every dispatch variable is named, so a value left in the caller's shell cannot leak in.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown CPU dispatch level {level!r}; choose from {sorted(LEVELS)}")
    env: dict[str, str | None] = dict.fromkeys(DISPATCH_VARIABLES)
    env.update(BASE_ENV)
    env.update(LEVELS[level])
    return env


def apply(environ: MutableMapping[str, str], level: str = "reference") -> MutableMapping[str, str]:
    """Set (or unset) the variables of ``level`` in ``environ`` in place and return it."""
    for name, value in kernel_env(level).items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    return environ


def environment(level: str = "reference", base: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``base`` (default: this process's environment) with ``level`` applied."""
    return dict(apply(dict(os.environ if base is None else base), level))


def cpu_flags(cpuinfo: str = "/proc/cpuinfo") -> frozenset[str]:
    """The CPU's feature flags, or an empty set where /proc/cpuinfo is missing (not Linux)."""
    try:
        with open(cpuinfo, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def levels_available(flags: frozenset[str] | None = None) -> list[str]:
    """The levels this host can run, in the order of :data:`LEVELS`."""
    have = cpu_flags() if flags is None else flags
    return [name for name, needs in REQUIRES.items() if needs <= have]


def describe_cpu(cpuinfo: str = "/proc/cpuinfo") -> str:
    """``model name`` and the AVX/AMX flags: what a note records about the host."""
    model = "unknown"
    try:
        with open(cpuinfo, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    vector = sorted(f for f in cpu_flags(cpuinfo) if f.startswith(("avx", "amx")))
    return f"{model}; {' '.join(vector) or 'no AVX'}"
