"""Reference environment only: torch's CPU ``sqrt`` computed with correct rounding.

Python imports this module at start-up because ``tools/reference_env.py`` puts this folder on
the kernel's ``PYTHONPATH`` (the kernel's, and the processes it starts, such as DataLoader and
torchrun workers). Learners never load it.

Why: for float tensors torch hands ``sqrt`` to MKL's vector maths, whose kernel on x86 starts
from the ``rsqrtps`` instruction. That instruction is an approximation that Intel and AMD CPUs
compute differently, and ``MKL_CBWR`` does not change the kernel, so the last bit of a square
root (and so of every Adam update) would depend on the CPU vendor. NumPy's ``sqrt`` uses the
IEEE ``sqrtps`` instruction, which every x86-64 CPU rounds the same way, so the CPU kernel of
``aten::sqrt`` is replaced by it once torch has been imported.
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import sys


def _exact_sqrt(torch, numpy, x):
    """``sqrt`` of a CPU tensor, correctly rounded, with torch's dtype and memory layout."""
    src = x.detach()
    if src.dtype.is_floating_point and src.dtype not in (torch.float32, torch.float64):
        return _exact_sqrt(torch, numpy, src.float()).to(src.dtype)
    with numpy.errstate(all="ignore"):  # torch returns nan for negative input, silently
        values = numpy.asarray(numpy.sqrt(src.numpy()))
    out_dtype = src.dtype if (src.dtype.is_floating_point or src.dtype.is_complex) else torch.get_default_dtype()
    out = torch.empty_like(src, dtype=out_dtype)
    return out.copy_(torch.from_numpy(values))


def _register(torch) -> None:
    import warnings

    import numpy

    library = torch.library.Library("aten", "IMPL")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "overriding a previously registered kernel" is the point
        library.impl("sqrt", lambda x: _exact_sqrt(torch, numpy, x), "CPU")
        library.impl("sqrt_", lambda x: x.copy_(_exact_sqrt(torch, numpy, x)), "CPU")
        library.impl("sqrt.out", lambda x, *, out: out.resize_(x.shape).copy_(_exact_sqrt(torch, numpy, x)), "CPU")
    torch._reference_env_sqrt = library  # keep the registration alive


class _AfterTorchImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself; wraps torch's loader so that :func:`_register` runs after it."""

    def find_spec(self, name, path, target=None):  # noqa: ARG002 (finder protocol)
        if name != "torch":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec("torch")
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            _register(module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _AfterTorchImport())
