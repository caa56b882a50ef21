"""Device branches that this CPU-only machine cannot execute, checked the way it can.

The chapters promise one code path for CPU, CUDA and Apple's MPS. CI has no GPU, so a branch
such as ``if torch.backends.mps.is_available()`` never runs here. These tests take the chapters'
own functions out of the notebooks and run them against stand-in device modules that record
what they are asked to do, and they run chapter 05 under the spawn start method (macOS and
Windows) for real.
"""
from __future__ import annotations

import ast
import random
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch

from tools import execute

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def chapter(stem: str) -> nbformat.NotebookNode:
    return nbformat.read(next(NOTEBOOKS.glob(f"{stem}_*.ipynb")), as_version=4)


def functions(nb: nbformat.NotebookNode, *names: str, **namespace) -> dict:
    """Define the named top-level functions of ``nb``'s code cells, and nothing else."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # IPython magics
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in names:
                found[node.name] = node
    assert set(found) == set(names), f"not found in the chapter: {set(names) - set(found)}"
    module = ast.Module(body=list(found.values()), type_ignores=[])
    scope = {"torch": torch, "np": np, "random": random, **namespace}
    exec(compile(module, "<chapter>", "exec"), scope)
    return scope


def setup_devices() -> list[str]:
    """The accelerators the setup cell can pick (the same cell opens every chapter)."""
    setup = next(c for c in chapter("01").cells if c.cell_type == "code").source
    devices = re.findall(r'torch\.device\("(\w+)"\)', setup)
    assert "cpu" in devices
    return [d for d in devices if d != "cpu"]


class Recorder:
    """Stands in for ``torch.cuda`` or ``torch.mps``: holds a generator state, records calls."""

    def __init__(self, states: list[torch.Tensor]):
        self.states = states
        self.calls: list[str] = []

    def is_available(self) -> bool:
        return True

    def get_rng_state(self) -> torch.Tensor:
        return self.states[0].clone()

    def get_rng_state_all(self) -> list[torch.Tensor]:
        return [s.clone() for s in self.states]

    def device_count(self) -> int:
        return len(self.states)

    def set_rng_state(self, state: torch.Tensor, device: int = 0) -> None:
        self.calls.append("set_rng_state")
        self.states[device] = state.clone()

    def set_rng_state_all(self, states: list[torch.Tensor]) -> None:
        self.calls.append("set_rng_state_all")
        self.states = [s.clone() for s in states]

    def synchronize(self) -> None:
        self.calls.append("synchronize")


@pytest.fixture
def gpus(monkeypatch) -> dict[str, Recorder]:
    """Every accelerator of the setup cell, present and recording (two CUDA devices)."""
    fakes = {}
    for name in setup_devices():
        count = 2 if name == "cuda" else 1
        fakes[name] = Recorder([torch.full((16,), i + 1, dtype=torch.uint8) for i in range(count)])
        monkeypatch.setattr(torch, name, fakes[name])
        if hasattr(getattr(torch.backends, name, None), "is_available"):  # torch.backends.mps
            monkeypatch.setattr(getattr(torch.backends, name), "is_available", lambda: True)
    return fakes


def test_setup_cell_offers_cuda_and_mps():
    assert setup_devices() == ["cuda", "mps"]


def test_checkpoint_captures_and_restores_every_gpu_generator(gpus):
    scope = functions(chapter("11"), "gpu_rng_states", "capture_rng", "restore_rng")
    loader = torch.Generator().manual_seed(0)
    saved = scope["capture_rng"](loader)
    assert set(saved["gpu"]) == set(gpus), "a GPU generator the chapter can train on is not saved"
    assert len(saved["gpu"]["cuda"]) == 2, "every CUDA device's generator, not only the current one"
    for fake in gpus.values():  # the run moves on; the restore must bring back the saved state
        fake.states = [torch.zeros(16, dtype=torch.uint8) for _ in fake.states]
    scope["restore_rng"](saved, loader)
    for name, fake in gpus.items():
        assert fake.calls, f"restore_rng never restored the {name} generator"
        assert [s.tolist() for s in fake.states] == [s.tolist() for s in saved["gpu"][name]]


def test_checkpoint_from_a_gpu_machine_restores_on_this_one(gpus, monkeypatch):
    """A checkpoint saved with two CUDA GPUs and an Apple GPU resumes on a machine without them."""
    scope = functions(chapter("11"), "gpu_rng_states", "capture_rng", "restore_rng")
    saved = scope["capture_rng"](torch.Generator())
    monkeypatch.undo()  # back to this machine's real torch.cuda and torch.mps
    scope["restore_rng"](saved, torch.Generator())


def test_checkpoint_rng_on_a_cpu_only_machine_has_no_gpu_entry():
    if torch.cuda.is_available() or torch.backends.mps.is_available():
        pytest.skip("this check is about a machine without a GPU")
    scope = functions(chapter("11"), "gpu_rng_states", "capture_rng", "restore_rng")
    saved = scope["capture_rng"](torch.Generator())
    assert saved["gpu"] == {}
    scope["restore_rng"](saved, torch.Generator())


@pytest.mark.parametrize(("saved_enabled", "loading_enabled"), [(False, True), (True, False), (True, True), (False, False)])
def test_scaler_state_loads_between_enabled_and_disabled_scalers(saved_enabled: bool, loading_enabled: bool):
    load = functions(chapter("11"), "load_scaler_state")["load_scaler_state"]
    saved = torch.amp.GradScaler("cpu", init_scale=1024.0, enabled=saved_enabled)
    target = torch.amp.GradScaler("cpu", enabled=loading_enabled)
    load(target, saved.state_dict())
    if saved_enabled and loading_enabled:
        assert target.get_scale() == 1024.0, "an enabled scaler's state must carry over"


def test_plain_load_state_dict_would_raise():
    """The reason the chapter needs load_scaler_state (so the test above can fail)."""
    with pytest.raises(RuntimeError, match="empty"):
        torch.amp.GradScaler("cpu").load_state_dict(torch.amp.GradScaler("cpu", enabled=False).state_dict())


@pytest.mark.parametrize("name", ["cuda", "mps"])
def test_timing_sync_waits_for_every_gpu(gpus, name: str):
    sync = functions(chapter("13"), "sync", device=torch.device(name))["sync"]
    sync()
    assert gpus[name].calls == ["synchronize"], f"sync() does not wait for {name} kernels"


def test_chapter_05_workers_run_under_spawn():
    """macOS and Windows start DataLoader workers with spawn: chapter 05 must run, with workers."""
    nb = chapter("05")
    nb.cells.insert(1, nbformat.v4.new_code_cell(
        "import multiprocessing\nmultiprocessing.set_start_method('spawn', force=True)"
    ))
    ran, _, _ = execute.run_in_empty_dir(nb, "05_spawn.ipynb", execute.CELL_TIMEOUT_S, learner=True)
    execute.check_outputs(ran, Path("05_spawn.ipynb"))
    printed = "".join(o.get("text", "") for c in ran.cells if c.cell_type == "code" for o in c.outputs)
    assert "2 worker processes (spawn start method): same batches as the single-process loader: True" in printed
    assert "naive stream:   20 items" in printed, "the stream demo must run two workers on Linux"
