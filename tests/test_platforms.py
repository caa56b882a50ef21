"""requirements.txt installs on every learner's platform, and is what `make lock` writes.

The resolution tests ask PyPI (through uv, pinned in requirements.txt) whether every pin has a
wheel for Linux x86-64 and aarch64, macOS 14 on arm64 and Windows x64, under Python 3.11.5, 3.12
and 3.13. They need the network, as `make test` does to set up .venv; without it they fail with
uv's message rather than skip, because a skipped check would let a pin without a wheel through.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tools.environment import lock

LOCK = lock.ROOT / lock.LOCK
DIRECT = lock.ROOT / lock.DIRECT


@pytest.fixture(scope="module")
def drift() -> str:
    """What `make lock` would change; its resolution also refreshes uv's cache from PyPI."""
    return lock.lock_drift(LOCK)


@pytest.fixture(scope="module")
def resolutions(drift: str) -> dict[tuple[str, str], lock.Resolution]:
    """Every platform x Python, from the cache that `drift` has just refreshed."""
    return lock.resolve_all(LOCK)


@pytest.mark.parametrize("python", lock.PYTHONS)
@pytest.mark.parametrize("platform", list(lock.PLATFORMS))
def test_requirements_install_everywhere(platform: str, python: str, resolutions):
    result = resolutions[platform, python]
    assert result.ok, result.describe()


def test_requirements_are_what_make_lock_writes(drift: str):
    assert not drift, f"requirements.txt differs from `make lock` over requirements.in:\n{drift}"


def test_every_direct_dependency_is_pinned():
    pinned = lock.pins(LOCK)
    for line in DIRECT.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        name = lock.canonical(requirement.name)
        assert name in pinned, f"{name} is in requirements.in but not pinned: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{name}=={pinned[name]} does not satisfy requirements.in's {requirement}: run `make lock`"
        )


def test_header_says_how_it_was_made():
    assert LOCK.read_text(encoding="utf-8").startswith(lock.HEADER)


def test_uv_is_the_pinned_one():
    """The uv that resolves is the one requirements.txt pins, so results do not vary by host."""
    version = lock._run_uv(["--version"]).stdout.split()[1]
    assert version == lock.pins(LOCK)["uv"], (
        f"uv {version} runs, requirements.txt pins {lock.pins(LOCK)['uv']}: run `make venv`"
    )


def test_a_pin_without_a_wheel_is_named(tmp_path: Path, drift: str):
    """The check can fail: pins from the Linux-only lock (no markers) are named, with uv's reason."""
    linux_only = tmp_path / "requirements.txt"
    linux_only.write_text(
        "numpy==2.4.6\ncuda-bindings==13.5.0\nnvidia-cufile==1.15.1.6\ntriton==3.8.0\nsoupsieve==4.1.2\n"
    )
    mac, windows, linux, old_python = lock.resolve_all(linux_only, [
        ("macOS arm64", "3.12"), ("Windows x64", "3.13"), ("Linux x86-64", "3.11.5"),
        ("Linux x86-64", "3.11.4"),
    ]).values()
    assert set(mac.unavailable) == {"cuda-bindings==13.5.0", "nvidia-cufile==1.15.1.6", "triton==3.8.0"}
    assert "no wheels with a matching platform tag (e.g., `macosx_14_0_arm64`)" in mac.describe()
    assert set(windows.unavailable) == {"nvidia-cufile==1.15.1.6", "triton==3.8.0"}
    assert linux.ok, linux.describe()
    assert list(old_python.unavailable) == ["soupsieve==4.1.2"], old_python.describe()
    assert "depends on Python>=3.11.5" in old_python.describe()


def test_uv_missing_is_an_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "uv", None)  # `import uv` raises ImportError
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(lock.LockError, match="pinned in requirements.txt"):
        lock.uv_binary()
