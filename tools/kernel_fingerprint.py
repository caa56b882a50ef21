"""Print a hash of what the kernels the chapters lean on compute: one line per kernel family.

Run by :mod:`tools.emulate` on this CPU and on emulated ones; equal lines mean equal bits.

Usage::

    python -m tools.kernel_fingerprint
"""
from __future__ import annotations

import hashlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def digest(*arrays: torch.Tensor | np.ndarray) -> str:
    """The first 10 hex digits of a SHA-256 over the arrays' bytes, one digest per array."""
    out = []
    for value in arrays:
        if isinstance(value, torch.Tensor):
            value = value.detach().float().numpy() if value.dtype == torch.bfloat16 else value.detach().numpy()
        out.append(hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest()[:10])
    return " ".join(out)


def fingerprint() -> dict[str, str]:
    """Kernel family → digests of its results on seeded inputs."""
    torch.manual_seed(0)
    rows = {}
    x, w = torch.randn(64, 128), torch.randn(96, 128, requires_grad=True)
    y = F.linear(x, w)
    y.square().mean().backward()
    rows["linear forward and backward (MKL sgemm)"] = digest(y, w.grad)
    conv = nn.Conv2d(3, 16, 3, padding=1)
    out = conv(torch.randn(8, 3, 32, 32))
    out.sum().backward()
    rows["conv2d forward and backward (oneDNN)"] = digest(out, conv.weight.grad)
    z = torch.randn(512, 10)
    rows["softmax, cross-entropy"] = digest(z.softmax(1), F.cross_entropy(z, torch.arange(512) % 10))
    v = torch.randn(100_000)
    rows["exp, tanh, sigmoid, gelu, sqrt"] = digest(v.exp(), v.tanh(), v.sigmoid(), F.gelu(v), v.abs().sqrt())
    rows["sum, variance"] = digest(v.sum(), v.var())
    rows["layer norm, batch norm"] = digest(nn.LayerNorm(128)(x), nn.BatchNorm1d(128)(x))
    rows["LSTM"] = digest(nn.LSTM(16, 32, batch_first=True)(torch.randn(4, 20, 16))[0])
    with torch.autocast("cpu", dtype=torch.bfloat16):
        rows["bfloat16 autocast matmul"] = digest(x @ w.detach().T)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    data, labels = torch.randn(256, 64), torch.randint(0, 10, (256,))
    for _ in range(30):
        optimizer.zero_grad()
        F.cross_entropy(model(data), labels).backward()
        optimizer.step()
    rows["30 Adam steps"] = digest(model[0].weight)
    a = np.random.default_rng(0).standard_normal((200, 200))
    rows["NumPy matmul, exp (OpenBLAS, SIMD, libm)"] = digest(a @ a, np.exp(a.astype(np.float32)), np.exp(a))
    return rows


def main() -> int:
    for name, value in fingerprint().items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
