"""Every registered family (and the all-capabilities test family, tests/toy_family.py) passes
the one harness (tests/testing.py), one test item per check and family: trains and export ==
in process (fast); resume == uninterrupted, two replicas == one device, mixed precision (large).

The items of a family share its reference run: `reference` is a module-scoped fixture
parametrized by family, so pytest groups a family's items, trains the reference once for them and
drops it before the next family (`pytest -k "resume and stylegan"` trains it once, too). Under
pytest-xdist, `--dist loadgroup` keeps a family's items on one worker (the xdist_group mark)."""
import pytest

from tests import testing
from tfgan_zoo.registry import FAMILIES


@pytest.fixture(scope="module", params=[pytest.param(f, marks=pytest.mark.xdist_group(f"family-{f}"))
                                        for f in FAMILIES.names()])
def reference(request, tmp_path_factory):
    return testing.reference_run(request.param, tmp_path_factory.mktemp(request.param))


def test_trains_and_exports(reference, tmp_path):
    testing.check_training(reference)
    testing.check_export(reference.model, str(tmp_path / "export"))


@pytest.mark.large
def test_resume(reference, tmp_path):
    testing.check_resume(reference, tmp_path)


@pytest.mark.large
def test_replicas(reference, tmp_path):
    testing.check_replicas(reference, tmp_path)


@pytest.mark.large
def test_precision(reference, tmp_path):
    testing.check_precision(reference, tmp_path)
