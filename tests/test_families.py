"""Every registered family (and the all-capabilities test family, tests/toy_family.py) passes
the one harness: trains, two replicas == one device, resume == uninterrupted, mixed precision,
export == in process (tests/testing.py: run_family_test)."""
import pytest

from tests.testing import run_family_test
from tfgan_zoo.registry import FAMILIES


@pytest.mark.parametrize("family", FAMILIES.names())
def test_family_passes_the_harness(family, tmp_path):
    run_family_test(family, tmp_path)
