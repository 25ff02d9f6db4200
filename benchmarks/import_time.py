"""How much ``import reelgate`` costs, against the interpreter alone and against ``import httpx``.

Usage: ``python benchmarks/import_time.py [--runs N]``. Each figure is the median wall time of N fresh
interpreters (``-X importtime`` is not used for the totals because it adds its own overhead; it is
printed once at the end for the top imports).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def median_ms(code: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs

    baseline = median_ms("pass", runs)
    results = {
        "import reelgate": median_ms("import reelgate", runs),
        "import httpx": median_ms("import httpx", runs),
        "first call path (reelgate.Client)": median_ms("import reelgate; reelgate.Client", runs),
    }
    print(f"interpreter start (baseline): {baseline:7.1f} ms")
    for label, value in results.items():
        print(f"{label:<36} {value:7.1f} ms   +{value - baseline:6.1f} ms over baseline")
    added = results["import reelgate"] - baseline
    httpx_added = results["import httpx"] - baseline
    print(f"\nimport reelgate adds {added:.1f} ms; import httpx alone adds {httpx_added:.1f} ms")

    report = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import reelgate"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr.splitlines()
    print("\n-X importtime, last line (cumulative µs for reelgate):")
    print(report[-1])


if __name__ == "__main__":
    main()
