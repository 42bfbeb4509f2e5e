"""digits_unpaired and digits_domains: restyles, their inverses, the splits."""
import numpy as np
import pytest
from scipy import ndimage

from tfgan_zoo.data import build_dataset
from tfgan_zoo.data import digit_domains as dd
from tfgan_zoo.data.digits import load_digit_images
from tfgan_zoo.errors import DataError, UserError
from tfgan_zoo.metrics.digits_classifier import sklearn_digits_split, sklearn_digits_split_indices


def everything(ds):
    return next(ds.batch(100_000).as_numpy_iterator())


@pytest.fixture(scope="module")
def digits():
    return load_digit_images(16)


def test_classifier_split_indices_partition_the_digits_and_give_the_classifier_split():
    train, test = sklearn_digits_split_indices()
    assert (len(train), len(test)) == (1347, 450)
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(1797))
    images, labels = load_digit_images(8)
    x_train, y_train, x_test, y_test = sklearn_digits_split()
    np.testing.assert_allclose(x_test, images[test], atol=1e-6)
    np.testing.assert_array_equal(y_train, labels[train])


def test_dilation_is_scipys_grey_dilation_with_a_cross():
    ink = np.random.default_rng(0).uniform(0, 1, (3, 7, 9)).astype(np.float32)
    cross = ndimage.generate_binary_structure(2, 1)
    expected = np.stack([ndimage.grey_dilation(i, footprint=cross, mode="constant", cval=0.0) for i in ink])
    np.testing.assert_array_equal(dd.dilate_cross(ink), expected)


def test_restyle_draws_ink_and_background_in_the_domain_colours():
    digits = np.array([-1.0, 1.0, 0.0, -1.0, -1.0, -1.0], np.float32).reshape(1, 2, 3, 1)  # ink 0, 1, .5
    for domain in (1, "red_on_green"):
        d = dd.get_domain(domain)
        out = (dd.restyle(digits, domain) + 1) / 2
        assert out.shape == (1, 2, 3, 3) and out.dtype == np.float32
        np.testing.assert_allclose(out[0, 0, 0], d.background, atol=1e-6)
        np.testing.assert_allclose(out[0, 0, 1], d.ink, atol=1e-6)
        np.testing.assert_allclose(out[0, 0, 2], (np.array(d.ink) + d.background) / 2, atol=1e-6)
    thick = (dd.restyle(digits, "thick_amber_on_navy") + 1) / 2  # (0,0) and (1,1) touch the ink at (0,1)
    np.testing.assert_allclose(thick[0, 0, 0], (1.0, 0.75, 0.1), atol=1e-6)
    np.testing.assert_allclose(thick[0, 1, 0], (0.1, 0.15, 0.45), atol=1e-6)  # diagonal: not in the cross
    rgb = np.repeat(digits, 3, axis=-1)
    np.testing.assert_array_equal(dd.restyle(rgb, 0), rgb)  # domain 0 is the digits as they are


def test_to_digits_inverts_the_colour_map(digits):
    x = digits[0][:20]
    for domain in dd.DOMAINS:
        back = dd.to_digits(dd.restyle(x, domain), domain)
        expected = dd.dilate_cross((x[..., 0] + 1) / 2) * 2 - 1 if domain.thick else x[..., 0]
        np.testing.assert_allclose(back[..., 0], expected, atol=1e-5)
    # a pixel off the navy -> amber line is read by its projection, and clipped to the range
    d = dd.get_domain("thick_amber_on_navy")
    pixels = np.array([[1.0, 0.75, 0.3], [0.0, 0.0, 0.0]])  # amber + 0.2 blue; black, beyond navy
    ink = np.array(d.ink) - d.background
    expected = np.clip((pixels - d.background) @ ink / (ink @ ink), 0, 1)
    off = (pixels * 2 - 1).reshape(1, 1, 2, 3).astype(np.float32)
    np.testing.assert_allclose(dd.to_digits(off, d)[0, 0, :, 0], expected * 2 - 1, atol=1e-5)


def test_deal_gives_disjoint_balanced_parts_of_every_class(digits):
    labels = digits[1]
    train, _ = sklearn_digits_split_indices()
    for parts in (2, 4):
        dealt = dd.deal(train, labels, parts)
        np.testing.assert_array_equal(np.sort(np.concatenate(dealt)), np.sort(train))
        sizes = [len(p) for p in dealt]
        assert max(sizes) - min(sizes) <= 1
        counts = np.array([np.bincount(labels[p], minlength=10) for p in dealt])
        assert (counts.max(0) - counts.min(0) <= 1).all()
    np.testing.assert_array_equal(dd.deal(train, labels, 2)[0], dd.deal(train, labels, 2)[0])  # fixed


def test_digits_unpaired_train_streams_are_disjoint_halves(digits):
    images, labels = digits
    streams, info = build_dataset("digits_unpaired")
    assert set(streams) == {"a", "b"} and info.streams == ("a", "b")
    assert (info.kind, info.shape, info.num_classes) == ("images", (16, 16, 3), 10)
    a, b = everything(streams["a"]), everything(streams["b"])
    assert (len(a["real"]), len(b["real"])) == (info.num_examples, info.extra["stream_examples"]["b"]) == (674, 673)
    assert info.extra["domains"] == ["original", "thick_amber_on_navy"] and info.extra["paired"] is False
    part_a, part_b = dd.deal(sklearn_digits_split_indices()[0], labels, 2)
    np.testing.assert_allclose(a["real"], np.repeat(images[part_a], 3, axis=-1), atol=1e-6)
    np.testing.assert_allclose(b["real"], dd.restyle(images[part_b], "thick_amber_on_navy"), atol=1e-6)
    np.testing.assert_array_equal(b["label"], labels[part_b])
    assert not set(part_a) & set(part_b)


def test_digits_unpaired_test_split_pairs_the_held_out_digits_with_their_restyles():
    streams, info = build_dataset("digits_unpaired", split="test", domain_b="inverted", image_size=8)
    a, b = everything(streams["a"]), everything(streams["b"])
    assert info.shape == (8, 8, 3) and len(a["real"]) == 450 and info.extra["paired"] is True
    np.testing.assert_allclose(b["real"], dd.restyle(a["real"], "inverted"), atol=1e-6)
    np.testing.assert_array_equal(a["label"], b["label"])


def test_digits_domains_train_deals_one_part_per_domain(digits):
    images, labels = digits
    ds, info = build_dataset("digits_domains")
    assert info.extra == {"domains": list(dd.DOMAIN_NAMES), "num_domains": 4}
    x = everything(ds)
    assert set(x) == {"real", "label", "domain"} and x["domain"].dtype == np.int32
    assert len(x["real"]) == info.num_examples == 1347
    parts = dd.deal(sklearn_digits_split_indices()[0], labels, 4)
    for k, part in enumerate(parts):
        mine = x["domain"] == k
        np.testing.assert_allclose(x["real"][mine], dd.restyle(images[part], k), atol=1e-6)
        np.testing.assert_array_equal(x["label"][mine], labels[part])


def test_digits_domains_test_holds_every_held_out_digit_in_every_domain(digits):
    images, labels = digits
    x = everything(build_dataset("digits_domains", split="test")[0])
    test = sklearn_digits_split_indices()[1]
    assert len(x["real"]) == 4 * 450
    np.testing.assert_array_equal(x["domain"], np.repeat(np.arange(4), 450))
    for k in range(4):
        np.testing.assert_allclose(x["real"][x["domain"] == k], dd.restyle(images[test], k), atol=1e-6)
        np.testing.assert_array_equal(x["label"][x["domain"] == k], labels[test])


@pytest.mark.parametrize("spec, kwargs, match", [
    ("digits_unpaired", dict(channels=1), "channels must be one of \\[3\\]"),
    ("digits_domains", dict(split="val"), "unknown split 'val'"),
    ("digits_unpaired", dict(domain_b="inverse"), "domain_b: unknown domain 'inverse' .*did you mean 'inverted'"),
    ("digits_unpaired", dict(domain_b=7), "domain_b: unknown domain 7"),
    ("digits_domains:x", {}, "takes no ':argument'"),
    ("digits_domains", dict(image_size=0), "image_size"),
])
def test_errors(spec, kwargs, match):
    with pytest.raises(UserError, match=match) as err:
        build_dataset(spec, **kwargs)
    assert "\n" not in str(err.value)


def test_restyle_rejects_bad_shapes():
    with pytest.raises(DataError, match="expected digits"):
        dd.restyle(np.zeros((2, 4, 4, 2)), 0)
    with pytest.raises(DataError, match="expected RGB"):
        dd.to_digits(np.zeros((2, 4, 4, 1)), 0)
