"""Reference environment only: torch's CPU ``sqrt`` correctly rounded, and ``_int_mm`` exact.

Python imports this module at start-up because ``tools/reference_env.py`` puts this folder first
on the kernel's ``PYTHONPATH`` (the kernel's, and the processes it starts, such as DataLoader
and torchrun workers). Learners never load it. It shadows any other ``sitecustomize`` on the
path; the course's environments have none.

Why: for float tensors torch hands ``sqrt`` to MKL's vector maths, whose x86 kernel starts from
the approximate instruction ``rsqrtps``. Its result is implementation-specific (Intel and AMD
document only its maximum error; on the AMD host that made the outputs it differs from the exact
value QEMU computes), ``MKL_CBWR`` does not remove it from the branch it selects, and MKL's
result is not correctly rounded. So the last bit of a square root, and of every Adam update, may
depend on the CPU. NumPy's ``sqrt`` uses the IEEE ``sqrtps``/``sqrtpd`` instructions, which
every x86-64 CPU rounds the same way, so it replaces the CPU kernel of ``aten::sqrt`` once torch
is imported. ``x ** 0.5`` and ``x.pow(0.5)`` on a tensor reach MKL's kernel directly and are not
covered.

``torch._int_mm`` (int8 x int8 -> int32, the matmul of torchao's int8 dynamic quantisation) runs
in oneDNN on CPUs that have AVX-512 VNNI, and in a plain loop elsewhere. The reference caps
oneDNN at SSE4.1, and there its int8 kernel saturates intermediate sums: on an AVX-512 host,
random int8 matrices came out wrong by tens of thousands, while the plain loop (AVX2 hosts) and
uncapped oneDNN are exact. (torchao feeds it uint8 activations, shifted by 128, on VNNI CPUs
without AMX, and int8 elsewhere; exact sums make both give the same result.) So ``_int_mm`` is
replaced by an exact int64 product, which is what every one of those paths means to compute.
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import sys

#: ScalarType names torch uses in its "can't be cast" message.
_NAMES = {
    "float16": "Half", "bfloat16": "BFloat16", "float32": "Float", "float64": "Double",
    "complex64": "ComplexFloat", "complex128": "ComplexDouble", "uint8": "Byte", "int8": "Char",
    "int16": "Short", "int32": "Int", "int64": "Long", "bool": "Bool",
}


def _exact_sqrt(torch, numpy, x):
    """``sqrt`` of a CPU tensor, correctly rounded, with torch's result dtype and memory layout."""
    src = x.detach()
    if not (src.dtype.is_floating_point or src.dtype.is_complex):
        src = src.to(torch.get_default_dtype())  # torch's promotion, not NumPy's
    if src.dtype in (torch.float16, torch.bfloat16):
        return _exact_sqrt(torch, numpy, src.float()).to(src.dtype)
    with numpy.errstate(all="ignore"):  # torch returns nan for negative input, silently
        values = numpy.asarray(numpy.sqrt(src.numpy()))
    return torch.empty_like(src).copy_(torch.from_numpy(values))


def _exact_int_mm(torch, a, b):
    """``a @ b`` of 2-D CPU tensors (``a`` int8 or uint8, ``b`` int8) as int32, summed exactly in int64."""
    if a.dim() != 2 or b.dim() != 2:
        raise RuntimeError(f"Expected 2D tensors, got {a.dim()}D and {b.dim()}D")
    if a.dtype not in (torch.int8, torch.uint8) or b.dtype != torch.int8:
        raise RuntimeError(f"Expected int8 tensors, got {a.dtype} and {b.dtype}")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and {b.shape[0]}x{b.shape[1]})")
    return (a.to(torch.int64) @ b.to(torch.int64)).to(torch.int32)


def _check_cast(torch, result, target) -> None:
    if not torch.can_cast(result.dtype, target.dtype):
        name = lambda dtype: _NAMES.get(str(dtype).removeprefix("torch."), str(dtype))  # noqa: E731
        raise RuntimeError(
            f"result type {name(result.dtype)} can't be cast to the desired output type {name(target.dtype)}"
        )


def _register_int_mm(torch) -> None:
    """Replace the CPU kernels of ``aten::_int_mm`` and its ``out=`` form by exact ones."""
    import warnings

    def int_mm(a, b):
        return _exact_int_mm(torch, a, b)

    def int_mm_out(a, b, *, out):
        result = _exact_int_mm(torch, a, b)
        # the checks torch 2.14's int_mm_out_cpu makes of out= (its messages name dtypes in C++ terms)
        if out.dtype != torch.int32:
            raise RuntimeError(f"int_mm_out_cpu: Expected result dtype to be of type kInt but got {out.dtype}")
        for dim in (0, 1):
            if out.dim() != 2 or out.shape[dim] != result.shape[dim]:
                got = out.shape[dim] if out.dim() > dim else 0
                raise RuntimeError(f"int_mm_out_cpu: Expected result.size({dim}) to be {result.shape[dim]} but got {got}")
        if not out.is_contiguous():
            raise RuntimeError("int_mm_out_cpu: Expected result to be contiguous.")
        return out.copy_(result)

    library = torch.library.Library("aten", "IMPL")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "overriding a previously registered kernel" is the point
        library.impl("_int_mm", int_mm, "CPU")
        library.impl("_int_mm.out", int_mm_out, "CPU")
    torch._reference_env_int_mm = library  # keep the registration alive


def _register(torch) -> None:
    _register_int_mm(torch)
    try:
        import numpy
    except ImportError:  # without NumPy, torch keeps its own sqrt
        return
    import warnings

    def sqrt(x):
        return _exact_sqrt(torch, numpy, x)

    def sqrt_(x):
        result = _exact_sqrt(torch, numpy, x)
        _check_cast(torch, result, x)
        return x.copy_(result)

    def sqrt_out(x, *, out):
        result = _exact_sqrt(torch, numpy, x)
        _check_cast(torch, result, out)
        if out.numel() != 0 and out.shape != x.shape:  # torch's own warning for a resized out=
            warnings.warn(
                f"An output with one or more elements was resized since it had shape {list(out.shape)}, "
                f"which does not match the required output shape {list(x.shape)}. This behavior is "
                "deprecated, and in a future PyTorch release outputs will not be resized unless they "
                "have zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, "
                "to zero elements with t.resize_(0).",
                UserWarning,
                stacklevel=2,
            )
        return out.resize_(x.shape).copy_(result)

    library = torch.library.Library("aten", "IMPL")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "overriding a previously registered kernel" is the point
        library.impl("sqrt", sqrt, "CPU")
        library.impl("sqrt_", sqrt_, "CPU")
        library.impl("sqrt.out", sqrt_out, "CPU")
    torch._reference_env_sqrt = library  # keep the registration alive


class _AfterTorchImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: patches every spec found for ``torch`` so that :func:`_register`
    runs after the module executes, then leaves ``sys.meta_path``. A ``find_spec("torch")``
    that never imports (a check whether torch is installed) leaves it in place."""

    def __init__(self) -> None:
        self._busy = False

    def find_spec(self, name, path, target=None):  # noqa: ARG002 (finder protocol)
        if name != "torch" or self._busy:
            return None
        self._busy = True
        try:
            spec = importlib.util.find_spec("torch")
        finally:
            self._busy = False
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            if self in sys.meta_path:
                sys.meta_path.remove(self)
            _register(module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _AfterTorchImport())
