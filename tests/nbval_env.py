"""pytest plugin: nbval kernels get the same environment as ``make execute``.

The reference outputs are produced by :mod:`tools.execute` with ``KERNEL_ENV`` (CPU only,
deprecations as errors). nbval's kernels inherit this process's environment, so setting it
here makes the comparison like for like. The GPU lane sets ``COURSE_GPU_LANE=1`` to keep its
GPU visible.
"""
from __future__ import annotations

import os

from tools.execute import KERNEL_ENV


def pytest_configure(config) -> None:  # noqa: ARG001 (pytest hook signature)
    env = dict(KERNEL_ENV)
    if os.environ.get("COURSE_GPU_LANE") == "1":
        env.pop("CUDA_VISIBLE_DEVICES")
    os.environ.update(env)
