"""Run every benchmark in bench/ in turn (make bench); each prints its figures and its ratio
to a baseline measured in the same run. A benchmark that fails is reported, the rest go on."""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Hours and tens of gigabytes at full size: run on its own (make bench-national), or by name.
ALONE = {"bench_national"}


def main() -> int:
    chosen = sys.argv[1:]
    scripts = sorted(p for p in HERE.glob("bench_*.py")
                     if p.stem in chosen or (not chosen and p.stem not in ALONE))
    failed = []
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        started = time.perf_counter()
        completed = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        print(f"--- {script.stem}: {time.perf_counter() - started:.0f} s", flush=True)
        if completed.returncode != 0:
            failed.append(script.stem)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
