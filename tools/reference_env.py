"""The reference CPU environment: how every stored output is made and checked, defined once.

The math libraries under PyTorch pick their kernels by what the CPU offers (AVX2, AVX-512,
AMX, ...), and different kernels round differently, so an unpinned run prints other last digits
on another CI host. The reference environment pins each library's kernel choice to the x86-64
baseline (SSE4.2), pins the thread count to 1, and hides any GPU. ``make execute``
(:mod:`tools.execute`), nbval under ``make test`` (``tests/nbval_env.py``), the standalone
test, ``make bench`` and CI all start their kernels in it.

It belongs to contributors and CI only: the chapters themselves set nothing, so a learner's
run uses every core and the fastest kernels of their machine (``book/running.md``).

Other dispatch levels exist to find fragile cells: ``pytest ... --cpu-dispatch avx2`` (or
``make dispatch``) runs nbval with the same stored outputs under another level. A cell whose
output changes between levels depends on the kernels chosen, which the reference pins.

What it cannot pin (printed only as robust quantities, see ``book/authoring.md``):

- ONNX Runtime's MLAS picks its kernels by CPUID and sizes its own thread pool; it has no switch.
- MKL's vector maths starts some kernels from the approximate instructions ``rsqrtps`` and
  ``rcpps``, whose results are implementation-specific, and ``MKL_CBWR`` cannot remove them from
  the branch it selects. ``sqrt`` (Adam's update) is therefore replaced by a correctly rounded
  one (``tools/reference_site``; ``x ** 0.5`` on a tensor still reaches MKL). ``asin``, ``acos``,
  ``atan``, ``tan``, ``log2``, ``log10`` (float32 and float64) and float64 ``log`` stay MKL's;
  no stored output shows their last bits (17 prints ``tan`` to 4 decimals).
- The C library itself: outputs assume the pinned image's glibc (Debian 12, glibc 2.36).
"""
from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path

#: Everything but dispatch: CPU only (GPU numbers are never stored), deprecations as errors (a
#: FutureWarning must never reach a stored output), the inline plot backend, quiet progress bars.
BASE_ENV: dict[str, str] = {
    "CUDA_VISIBLE_DEVICES": "",
    "PYTHONWARNINGS": "error::FutureWarning,error::DeprecationWarning:__main__",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "TQDM_MININTERVAL": "1000",
}

#: One thread for torch (OpenMP, and MKL inside it) and for the OpenBLAS in NumPy and SciPy: the
#: thread count decides how sums are split, so it changes bits.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")

#: The switches, one per library that picks kernels by CPU. Each must be set before the library
#: loads, so they go into the kernel's environment, never into a cell.
#:
#: - ``ATEN_CPU_CAPABILITY``: torch's own vectorised kernels (``default``: no SIMD beyond the
#:   baseline); ``torch.backends.cpu.get_cpu_capability()`` reports it.
#: - ``MKL_CBWR``: MKL's conditional numerical reproducibility (torch's matmul, FFT and vector
#:   maths on x86). ``COMPATIBLE`` is the SSE2 branch that Intel and AMD CPUs run alike.
#: - ``ONEDNN_MAX_CPU_ISA``: oneDNN (convolutions, and the bf16/AMX paths: capped at SSE4.1,
#:   it offers no bf16, so bf16 matmuls take the same route on every host).
#: - ``NPY_ENABLE_CPU_FEATURES``: NumPy's SIMD loops; ``X86_V2`` is NumPy 2.4's baseline, so no
#:   AVX2 or AVX-512 group is dispatched.
#: - ``OPENBLAS_CORETYPE``: the OpenBLAS inside NumPy and SciPy (scikit-learn uses SciPy's).
#: - ``GLIBC_TUNABLES``: glibc's maths library picks FMA variants of ``exp``, ``log``, ``pow``,
#:   ``sin`` ... on CPUs with FMA; torch's baseline kernels and NumPy call them.
#: - ``FBGEMM_ENABLE_INSTRUCTIONS``: torch's int8 kernels (AVX2 is FBGEMM's floor). No stored
#:   output uses them today; the pin keeps a future one honest.
#: - ``TORCHINDUCTOR_VEC_ISA_OK``: the vector ISA of the C++ that Inductor (``torch.compile``,
#:   AOTInductor) generates for the CPU. With ``ATEN_CPU_CAPABILITY=default`` Inductor already picks
#:   none (scalar code), but first builds and load-tests a program for every ISA the CPU has (up
#:   to 4; 3 on the AVX-512 VNNI host measured, about 10 s) and then discards the answers; ``0``
#:   says "none" at once, and the generated code is the same. Only CI and ``make bench`` save the
#:   time: learners' kernels (and ``--learner`` runs) still pay it, on every run of chapter 14,
#:   which compiles with an empty cache.
#: - ``PYTHONPATH`` (prepended, never replaced): ``tools/reference_site``, whose
#:   ``sitecustomize`` gives torch a correctly rounded CPU ``sqrt`` instead of MKL's, and an exact
#:   ``_int_mm`` instead of oneDNN's, which saturates under the SSE4.1 cap on AVX-512 VNNI hosts.
DISPATCH_VARIABLES = (
    "ATEN_CPU_CAPABILITY",
    "MKL_CBWR",
    "MKL_ENABLE_INSTRUCTIONS",
    "ONEDNN_MAX_CPU_ISA",
    "DNNL_MAX_CPU_ISA",
    "NPY_ENABLE_CPU_FEATURES",
    "NPY_DISABLE_CPU_FEATURES",
    "OPENBLAS_CORETYPE",
    "GLIBC_TUNABLES",
    "FBGEMM_ENABLE_INSTRUCTIONS",
    "TORCHINDUCTOR_VEC_ISA_OK",
)

#: Put first on the kernel's ``PYTHONPATH`` at the reference level (see the module docstring).
SITE_DIR = str(Path(__file__).resolve().parent / "reference_site")

#: Dispatch levels by name. ``reference`` is the one stored outputs come from; the others let a
#: host emulate a CPU at or below its own level (:func:`levels_available`). ``native`` sets no
#: switch: this host's fastest kernels, as a learner gets them (threads stay pinned unless
#: :func:`environment` is asked otherwise, so that dispatch is the only variable).
LEVELS: dict[str, dict[str, str]] = {
    "reference": {
        "ATEN_CPU_CAPABILITY": "default",
        "MKL_CBWR": "COMPATIBLE",
        "ONEDNN_MAX_CPU_ISA": "SSE41",
        "NPY_ENABLE_CPU_FEATURES": "X86_V2",
        "OPENBLAS_CORETYPE": "Nehalem",
        "GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA,-FMA4",
        "FBGEMM_ENABLE_INSTRUCTIONS": "AVX2",
        "TORCHINDUCTOR_VEC_ISA_OK": "0",
    },
    "avx2": {
        "ATEN_CPU_CAPABILITY": "avx2",
        "MKL_CBWR": "AVX2",  # MKL's AVX2 branch is Intel-only: on AMD it falls back to AUTO
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

_V2 = {"sse4_1", "sse4_2", "ssse3", "popcnt", "cx16"}
_V3 = _V2 | {"avx", "avx2", "fma", "f16c", "bmi1", "bmi2", "abm", "movbe"}
#: What each level needs from the CPU (flags as /proc/cpuinfo spells them; ``abm`` is lzcnt).
#: The reference's FBGEMM floor is AVX2, but only int8 ops need it and no stored output has one.
REQUIRES: dict[str, frozenset[str]] = {
    "reference": frozenset(_V2),
    "avx2": frozenset(_V3),
    "avx512": frozenset(_V3 | {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}),
    "native": frozenset(),
}


def kernel_env(level: str = "reference", threads: int | None = 1) -> dict[str, str | None]:
    """The variables a kernel at ``level`` needs; ``None`` means "must be unset".

    Every dispatch variable is named, so a value left in the caller's shell cannot leak in.
    ``threads=None`` leaves the thread count to the libraries (all cores), as a learner has it.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown CPU dispatch level {level!r}; choose from {sorted(LEVELS)}")
    env: dict[str, str | None] = dict.fromkeys(DISPATCH_VARIABLES)
    env.update(BASE_ENV)
    env.update(dict.fromkeys(THREAD_VARIABLES, None if threads is None else str(threads)))
    env.update(LEVELS[level])
    return env


def apply(
    environ: MutableMapping[str, str], level: str = "reference", threads: int | None = 1
) -> MutableMapping[str, str]:
    """Set (or unset) the variables of ``level`` in ``environ`` in place and return it.

    ``PYTHONPATH`` keeps its entries; the reference level puts :data:`SITE_DIR` first.
    """
    for name, value in kernel_env(level, threads).items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    paths = [p for p in environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != SITE_DIR]
    if level == "reference":
        paths.insert(0, SITE_DIR)
    if paths:
        environ["PYTHONPATH"] = os.pathsep.join(paths)
    else:
        environ.pop("PYTHONPATH", None)
    return environ


def environment(
    level: str = "reference", base: Mapping[str, str] | None = None, threads: int | None = 1
) -> dict[str, str]:
    """A copy of ``base`` (default: this process's environment) with ``level`` applied."""
    return dict(apply(dict(os.environ if base is None else base), level, threads))


def read_cpuinfo(cpuinfo: str = "/proc/cpuinfo") -> tuple[str, frozenset[str]]:
    """The first CPU's model name and feature flags; ``("unknown", {})`` where there is no
    /proc/cpuinfo (macOS, Windows)."""
    model, flags = "unknown", frozenset[str]()
    try:
        with open(cpuinfo, encoding="utf-8") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and model == "unknown":
                    model = value.strip()
                elif key.strip() == "flags":
                    flags = frozenset(value.split())
                    break
    except OSError:
        pass
    return model, flags


def levels_available(flags: frozenset[str] | None = None) -> list[str]:
    """The levels this host can run, in the order of :data:`LEVELS`."""
    have = read_cpuinfo()[1] if flags is None else flags
    return [name for name, needs in REQUIRES.items() if needs <= have]


def check_level(level: str, flags: frozenset[str] | None = None) -> None:
    """Raise ``ValueError`` unless this host can run ``level`` (a level above the host's own
    would fail at import, and every cell would look CPU-dependent)."""
    if level == "reference":  # the baseline: the switches are simply ignored on other CPUs
        return
    available = levels_available(flags)
    if level not in available:
        raise ValueError(
            f"CPU dispatch level {level!r} needs CPU features this host lacks "
            f"({describe_cpu()}); available here: {', '.join(available) or 'none'}"
        )


def describe_cpu(cpuinfo: str = "/proc/cpuinfo") -> str:
    """``model name`` and the AVX/AMX flags: what a note records about the host."""
    model, flags = read_cpuinfo(cpuinfo)
    vector = sorted(f for f in flags if f.startswith(("avx", "amx")))
    return f"{model}; {' '.join(vector) or 'no AVX'}"
