"""The GPU lane: run every chapter on CUDA with nbval in lax mode and record the result.

In lax mode every cell must run without error; only cells marked ``nbval-check-output`` are
compared, because GPU numbers legitimately differ from the CPU reference. The record
(device, torch version, date, per-notebook status and time) is written as JSON where the
site's freshness stamp reads it (``book/gpu_record.json``).

Usage::

    COURSE_GPU_LANE=1 python -m tools.gpu_lane notebooks book/gpu_record.json
"""
from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path


def run_one(path: Path) -> dict[str, object]:
    """nbval --nbval-lax on one notebook; returns its status and wall time."""
    env = {**os.environ, "COURSE_GPU_LANE": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", "tests/pytest.ini", "--rootdir", ".",
         "--nbval-lax", "-q", str(path)],
        capture_output=True, text=True, env=env,
    )
    elapsed = round(time.perf_counter() - start, 1)
    tail = result.stdout.strip().splitlines()[-1:] if result.stdout.strip() else []
    return {"status": "pass" if result.returncode == 0 else "fail", "seconds": elapsed, "summary": tail}


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    folder, record_path = Path(args[0]), Path(args[1])
    import torch

    if not torch.cuda.is_available():
        print("error: no CUDA device visible; the GPU lane needs one", file=sys.stderr)
        return 1
    record = {
        "device": torch.cuda.get_device_name(0),
        "torch": torch.__version__,
        "date": datetime.date.today().isoformat(),
        "notebooks": {p.name: run_one(p) for p in sorted(folder.glob("[0-9][0-9]_*.ipynb"))},
    }
    record_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    failed = [name for name, r in record["notebooks"].items() if r["status"] != "pass"]
    print(f"{len(record['notebooks']) - len(failed)}/{len(record['notebooks'])} notebooks pass on {record['device']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
