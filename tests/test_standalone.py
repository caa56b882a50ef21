"""Each chapter runs alone, offline, and prints what is stored.

A notebook is copied alone into an empty temporary directory (as Colab opens it) and checked
with nbval inside a new network namespace whose only interface is loopback (the kernel needs
it). Its kernel starts in the reference CPU environment like every nbval kernel
(``tests/nbval_env.py``). It must leave no file behind, neither in its working directory nor in
its TMPDIR.

Where `unshare -n` is not permitted the test skips with a message, unless
``COURSE_REQUIRE_OFFLINE=1`` (set by CI), which turns the skip into a failure.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def offline_prefix() -> list[str]:
    """The command prefix that runs a command without network, or skip/fail if impossible."""
    unshare = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-r", "-n"]
    probe = subprocess.run([*unshare, "sh", "-c", "ip link set lo up"], capture_output=True, text=True)
    if probe.returncode != 0:
        message = f"cannot create a network namespace here (unshare -n): {probe.stderr.strip()[:200]}"
        if os.environ.get("COURSE_REQUIRE_OFFLINE") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return [*unshare, "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]


def test_namespace_really_has_no_network():
    """Inside the namespace a connection to a public address fails at once."""
    code = "import socket; socket.create_connection(('1.1.1.1', 53), timeout=3)"
    result = subprocess.run([*offline_prefix(), sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "unreachable" in result.stderr.lower(), result.stderr[-300:]


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_runs_alone_offline_and_leaves_nothing(path: Path, tmp_path: Path, request):
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / path.name).write_bytes(path.read_bytes())
    # A short TMPDIR of its own: Python's multiprocessing puts AF_UNIX sockets there (DataLoader
    # workers share tensors through them), and a socket path over 107 bytes fails, which under
    # pytest-xdist's deep tmp_path made worker processes hang.
    scratch = Path(tempfile.mkdtemp(prefix="nb-"))
    request.addfinalizer(lambda: shutil.rmtree(scratch, ignore_errors=True))
    env = {**os.environ, "TMPDIR": str(scratch), "PYTHONPATH": str(ROOT)}
    nbval = [
        sys.executable, "-m", "pytest", "-c", str(ROOT / "tests" / "pytest.ini"),
        "--rootdir", str(ROOT), "-p", "no:xdist", "-q", str(alone / path.name),
    ]
    result = subprocess.run([*offline_prefix(), *nbval], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
    assert sorted(p.name for p in alone.iterdir()) == [path.name]
    assert (alone / path.name).read_bytes() == path.read_bytes()
    # torch keeps its compiler cache in $TMPDIR/torchinductor_<user>: a library cache, not the
    # notebook's files, and Colab keeps it too.
    left = [p.name for p in scratch.iterdir() if not p.name.startswith("torchinductor_")]
    assert left == [], f"left behind in TMPDIR: {left}"
