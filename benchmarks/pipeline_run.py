"""Wall time of the whole pipeline on the shipped data: a cold build and a rerun, as medians.

    .venv/bin/python benchmarks/pipeline_run.py [--repeat 3]

A cold build starts from an empty output folder (new warehouse, new Dagster instance); a rerun reuses
it (nothing new to ingest, everything downstream recomputed). The machines are shared and noisy, so
the script prints the median and the spread of each, and the ratio rerun / cold.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MVK = Path(sys.executable).with_name("mvk")


def timed_run(out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([str(MVK), "run", "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cold, rerun = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out"
            cold.append(timed_run(out))
            rerun.append(timed_run(out))
    for name, values in (("cold build", cold), ("rerun", rerun)):
        print(f"{name:>10}: median {statistics.median(values):6.1f} s  (min {min(values):.1f}, "
              f"max {max(values):.1f}, n={len(values)})")
    print(f"     ratio: rerun / cold = {statistics.median(rerun) / statistics.median(cold):.2f}")


if __name__ == "__main__":
    main()
