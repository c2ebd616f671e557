"""Benchmark (not a test): milliseconds per lint() of the AWS managed policy.

Run: ``python benchmarks/lint.py``. Reports, for AmazonSageMakerModelRegistryFullAccess (v2):

* the first lint in a fresh interpreter (importing the package and reading the IAM reference data
  for the services the policy names), timed in a subprocess;
* a warm lint (the reference data read, parse caches cleared each time), median of batches;
* the IAM engine's own validation of the same document (``Policy.parse``, uncached), as the floor
  the lint builds on, and the ratio of the two.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import timeit
from itertools import count

from pytest_modelreg.iam import Policy
from pytest_modelreg.iam import policy as engine
from pytest_modelreg.linter import lint
from pytest_modelreg.policies import model_registry_full_access

COLD = """
import time
start = time.perf_counter()
from pytest_modelreg.linter import lint
from pytest_modelreg.policies import model_registry_full_access
imported = time.perf_counter()
lint(model_registry_full_access())
print((imported - start) * 1000, (time.perf_counter() - imported) * 1000)
"""


def median_ms(fn: object, number: int, repeat: int = 7) -> float:
    runs = timeit.repeat(fn, number=number, repeat=repeat)  # type: ignore[arg-type]
    return statistics.median(runs) / number * 1000


def main() -> None:
    document = model_registry_full_access()
    runs = [
        subprocess.run(
            [sys.executable, "-c", COLD], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(3)
    ]
    imports = statistics.median(float(r[0]) for r in runs)
    first = statistics.median(float(r[1]) for r in runs)
    print(f"{imports:8.1f} ms  importing pytest_modelreg (a fresh interpreter)")
    print(f"{first:8.1f} ms  first lint() there (reading the IAM reference data it needs)")

    def warm() -> None:
        engine._DICT_CACHE.clear()
        engine._parse_cached.cache_clear()
        lint(document)

    ids = count()

    def parse() -> None:
        Policy.parse(document, policy_id=str(next(ids)))  # a new id: no cache hit

    warm_ms = median_ms(warm, 200)
    parse_ms = median_ms(parse, 200)
    print(f"{warm_ms:8.3f} ms  lint(), warm ({len(document['Statement'])} statements)")
    print(f"{parse_ms:8.3f} ms  Policy.parse(), uncached (the engine's validation)")
    print(f"{warm_ms / parse_ms:8.1f} x   lint / parse")


if __name__ == "__main__":
    main()
