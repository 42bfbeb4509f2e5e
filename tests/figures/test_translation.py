"""CycleGAN's and StarGAN's figures on the digit domains, checked with translators whose answers are known."""
import numpy as np
import pytest

from tests.metrics.test_translation import classifier, held_out  # noqa: F401  (the same fixtures)
from tfgan_zoo.data import digit_domains as dd
from tfgan_zoo.figures import translation as ft
from tfgan_zoo.metrics import translation as tm


def test_cyclegan_figures_of_the_true_translation(classifier, held_out):
    x, labels = held_out
    figures = ft.evaluate_cyclegan(*tm.restyle_translators("inverted"), domain_b="inverted",
                                   domain_classifier=classifier)
    assert figures["num_images"] == 450
    for name in ("ground_truth_l1_ab", "ground_truth_l1_ba", "cycle_l1_a", "cycle_l1_b"):
        assert figures[name] == pytest.approx(0.0, abs=1e-6), name
    for name in ("domain_accuracy_ab", "domain_accuracy_ba"):
        assert figures[name] == 1.0
    assert figures["content_preservation_ab"] == figures["content_preservation_true_b"] > 0.97

    thick = ft.evaluate_cyclegan(*tm.restyle_translators(), domain_classifier=classifier)
    assert thick["ground_truth_l1_ab"] == pytest.approx(0.0, abs=1e-6)
    a = x[0][..., :1]
    thickened = dd.dilate_cross((a[..., 0] + 1) / 2) * 2 - 1  # B -> A keeps the thick strokes
    assert thick["ground_truth_l1_ba"] == pytest.approx(np.abs(thickened - a[..., 0]).mean(), rel=1e-4)
    assert thick["cycle_l1_a"] == pytest.approx(thick["ground_truth_l1_ba"], rel=1e-4)
    assert 0.95 < thick["content_preservation_true_b"] < 1.0


def test_cyclegan_figures_of_doing_nothing(classifier, held_out):
    x, labels = held_out
    same = lambda images: images  # noqa: E731
    figures = ft.evaluate_cyclegan(same, same, domain_b="inverted", domain_classifier=classifier)
    b = dd.restyle(x[0], "inverted")
    assert figures["ground_truth_l1_ab"] == pytest.approx(np.abs(x[0] - b).mean(), rel=1e-5)
    assert figures["cycle_l1_a"] == figures["cycle_l1_b"] == 0.0
    assert figures["domain_accuracy_ab"] == figures["domain_accuracy_ba"] == 0.0
    # the untouched digits, read through the inverted domain's inverse map, are inverted digits
    assert figures["content_preservation_ab"] == pytest.approx(
        tm.digits_accuracy(-x[0][..., :1], labels), abs=1e-9)
    assert figures["content_preservation_ab"] < 0.5


def test_stargan_figures_of_doing_nothing(classifier, held_out):
    x, labels = held_out
    calls = []

    def same(images, targets):
        calls.append(len(images))
        return images

    figures = ft.evaluate_stargan(same, domain_classifier=classifier, batch_size=500)
    assert max(calls) <= 500 and figures["num_images"] == 12 * 450
    assert figures["identity_l1"] == figures["reconstruction_l1"] == 0.0
    assert figures["domain_accuracy"] == 0.0
    pairs = [(s, t) for t in range(4) for s in range(4) if s != t]
    assert figures["ground_truth_l1"] == pytest.approx(np.mean([np.abs(x[s] - x[t]).mean() for s, t in pairs]),
                                                       rel=1e-5)
    content = {t: np.mean([tm.digits_accuracy(dd.to_digits(x[s], t), labels) for s in range(4) if s != t])
               for t in range(4)}
    for t, name in enumerate(dd.DOMAIN_NAMES):
        assert figures["per_target"][name]["content_preservation"] == pytest.approx(content[t], abs=1e-9)
    assert figures["content_preservation"] == pytest.approx(np.mean(list(content.values())), abs=1e-9)
    assert 0.98 < figures["content_preservation_true"] < 1.0  # 100 % but for the thick domain's 98 %


def test_stargan_figures_of_a_translator_that_knows_the_restyles(classifier):
    def translate(images, targets):
        sources, out = classifier.predict(images), np.empty_like(images)
        for s in range(4):
            for t in range(4):
                mine = (sources == s) & (targets == t)
                out[mine] = dd.restyle(dd.to_digits(images[mine], s), t)
        return out

    figures = ft.evaluate_stargan(translate, domain_classifier=classifier)
    assert figures["domain_accuracy"] == 1.0
    assert figures["content_preservation"] > 0.95
    assert 0.0 < figures["reconstruction_l1"] < 0.3  # thickening cannot be undone


def test_pictures_lay_out_digits_by_column(held_out):
    x, labels = held_out
    grid = ft.cyclegan_grid(*tm.restyle_translators(), num=10)
    tile = 48 + 1  # 16 px enlarged 3x, 1 px of padding
    assert grid.shape == (4 * tile + 1, 10 * tile + 1, 3) and grid.dtype == np.uint8
    # row 2 (the translation) equals row 3 (the true restyle) for the true translator
    np.testing.assert_array_equal(grid[1 + tile:2 * tile], grid[1 + 2 * tile:3 * tile])
    seen = []
    star = ft.stargan_grid(lambda images, k: seen.append(k[0]) or images, num=10)
    assert star.shape == (5 * tile + 1, 10 * tile + 1, 3) and seen == [0, 1, 2, 3]
