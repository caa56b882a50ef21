"""Check the reference environment on CPUs this host does not have (`make emulate`).

QEMU's user-mode emulator (``qemu-x86_64 -cpu MODEL``, Debian package ``qemu-user``) runs this
venv's Python on an emulated CPU, Intel or AMD, with its own CPUID, so every library dispatches
as it would there. :mod:`tools.kernel_fingerprint` runs natively and on each model in the
reference environment; every line must match. QEMU computes the approximate instructions
``rsqrtps`` and ``rcpps`` exactly, unlike real CPUs, so a kernel that uses them shows up here as
a difference, which is the point. QEMU 7.2 emulates up to AVX2, not AVX-512 or AMX.

Usage::

    python -m tools.emulate [--cpus Skylake-Client Nehalem]
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys

from tools import reference_env

#: An Intel AVX2 CPU and an Intel CPU without AVX: other vendor, other vector units.
DEFAULT_CPUS = ("Skylake-Client", "Nehalem")


def run_fingerprint(cpu: str | None) -> dict[str, str]:
    """The fingerprint in the reference environment, natively (``None``) or under QEMU."""
    command = [sys.executable, "-m", "tools.kernel_fingerprint"]
    if cpu is not None:
        command = ["qemu-x86_64", "-cpu", cpu, *command]
    result = subprocess.run(command, capture_output=True, text=True, env=reference_env.environment())
    if result.returncode != 0:
        raise RuntimeError(f"fingerprint on {cpu or 'this CPU'} failed:\n{result.stderr[-2000:]}")
    return dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)


def compare(native: dict[str, str], emulated: dict[str, dict[str, str]]) -> list[str]:
    """Markdown rows: each kernel family and, per emulated CPU, 'same' or 'DIFFERS'."""
    rows = []
    for name, value in native.items():
        cells = ["same" if runs.get(name) == value else "DIFFERS" for runs in emulated.values()]
        rows.append(f"| {name} | {' | '.join(cells)} |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpus", nargs="+", default=list(DEFAULT_CPUS))
    args = parser.parse_args(argv)
    if shutil.which("qemu-x86_64") is None:
        print("error: qemu-x86_64 not found (apt-get install qemu-user)", file=sys.stderr)
        return 2
    native = run_fingerprint(None)
    emulated = {cpu: run_fingerprint(cpu) for cpu in args.cpus}
    print(f"host: {reference_env.describe_cpu()}; reference environment")
    print(f"| kernel family | {' | '.join(args.cpus)} |")
    print(f"| --- |{' --- |' * len(args.cpus)}")
    rows = compare(native, emulated)
    print("\n".join(rows))
    return int(any("DIFFERS" in row for row in rows))


if __name__ == "__main__":
    sys.exit(main())
