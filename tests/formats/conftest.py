"""The formats of every shipped export, built once per session (as `make formats` does, into
exports/, which git ignores; formats newer than their SavedModel are reused and checked again).

Cost, measured on this 2-core machine with the exports as shipped: see tests/formats/README
lines in the report of `make test` (the fixture prints its seconds)."""
import os
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXPORTS = os.path.join(ROOT, "exports")


def shipped_names():
    return sorted(d for d in os.listdir(EXPORTS) if os.path.isdir(os.path.join(EXPORTS, d)))


@pytest.fixture(scope="session")
def formats_report():
    from tfgan_zoo.formats import build, page
    start = time.time()
    report = build.build_all(EXPORTS, quantize=True, reuse=True)
    page.write_entries(EXPORTS, os.path.join(ROOT, "docs", "zoo", "entries.json"))
    print(f"\nformats of {len(report)} exports built and checked in {time.time() - start:.0f} s")
    return report
