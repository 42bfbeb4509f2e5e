"""Export signatures: input checks, reproducible `sample`, serving_default, __call__, the card.

Every family's endpoints are checked against their in-process functions by the harness
(tests/testing.py: run_family_test); here a noise -> image family (dcgan), an image -> image
family (pix2pix) and a multi-input family with an extra endpoint (the test family toy_triple)
are probed with bad inputs.
"""
import numpy as np
import pytest
import tensorflow as tf

from tests.testing import build, example_inputs, tiny_config
from tfgan_zoo.export import card_from_run, export_model, read_card

MAX_BATCH = 16
FAMILIES = ["dcgan", "pix2pix", "toy_triple"]
_BUILT = {}


@pytest.fixture(params=FAMILIES)
def exported(request, tmp_path_factory):
    family = request.param
    if family not in _BUILT:
        cfg = tiny_config(family)
        ds, info, model = build(cfg)
        root = tmp_path_factory.mktemp(f"sig_{family}")
        path = export_model(model, str(root / family), {"family": family}, max_batch=MAX_BATCH)
        _BUILT[family] = (cfg, ds, model, path, tf.saved_model.load(path))
    return _BUILT[family]


def _first(model):
    return model.export_endpoints()[0]


def _inputs(model, ds, n=3):
    """Valid inputs of the first endpoint (generate / translate): the first is the batch."""
    return {k: example_inputs(spec, n) for k, spec in _first(model).inputs.items()}


def _call(loaded, model, inputs):
    return loaded.signatures[_first(model).name](**inputs)


def test_roundtrip_matches_in_process_generator(exported):
    _, ds, model, path, loaded = exported
    inputs = _inputs(model, ds)
    expected = _first(model).fn(**inputs)["images"].numpy()
    out = _call(loaded, model, inputs)
    np.testing.assert_allclose(out["images"].numpy(), expected, atol=1e-5)
    assert out["images_uint8"].dtype == tf.uint8
    assert np.all(np.abs(out["images"].numpy()) <= 1.0)
    first = next(iter(inputs.values()))
    if len(inputs) == 1:  # __call__: the first input alone
        np.testing.assert_allclose(loaded(first).numpy(), expected, atol=1e-5)
    else:
        assert loaded(first).shape == expected.shape
    default = loaded.signatures["serving_default"](**inputs)
    np.testing.assert_allclose(default["images"].numpy(), expected, atol=1e-5)
    assert set(loaded.signatures) == set(read_card(path)["signatures"])


def test_sample_reproducible_across_loads(exported):
    _, _, model, path, loaded = exported
    if not model.samples:
        assert "sample" not in loaded.signatures
        return
    args = dict(num=tf.constant(4), seed=tf.constant(11, tf.int64))
    a = loaded.signatures["sample"](**args)["images"].numpy()
    b = tf.saved_model.load(path).signatures["sample"](**args)["images"].numpy()  # a second load
    c = loaded.signatures["sample"](num=tf.constant(4), seed=tf.constant(12, tf.int64))["images"]
    assert a.shape[0] == 4
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c.numpy())
    np.testing.assert_allclose(a, model.sample(4, 11), atol=1e-5)


def test_wrong_dtype_is_rejected_by_the_signature(exported):
    _, ds, model, _, loaded = exported
    inputs = _inputs(model, ds)
    name = next(iter(inputs))
    bad = dict(inputs, **{name: tf.cast(inputs[name], tf.float64)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a float tensor"):
        _call(loaded, model, bad)
    fn = getattr(loaded, _first(model).name)
    with pytest.raises(TypeError, match="Can not cast TensorSpec"):
        fn(*bad.values())


def test_wrong_rank_or_size_gives_a_clear_error(exported):
    _, ds, model, _, loaded = exported
    inputs = _inputs(model, ds)
    name = next(iter(inputs))
    x = inputs[name]
    with pytest.raises(tf.errors.InvalidArgumentError, match="is not compatible with expected shape"):
        _call(loaded, model, dict(inputs, **{name: x[..., None]}))
    wrong = tf.zeros([x.shape[0]] + [d + 1 for d in x.shape[1:]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="is not compatible with expected shape"):
        _call(loaded, model, dict(inputs, **{name: wrong}))


def test_batch_limits(exported):
    _, ds, model, _, loaded = exported
    one = _inputs(model, ds, 1)
    big = {k: tf.repeat(v, MAX_BATCH + 1, axis=0) for k, v in one.items()}
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"max_batch \\({MAX_BATCH}\\)"):
        _call(loaded, model, big)
    with pytest.raises(tf.errors.InvalidArgumentError, match="batch must be at least 1"):
        _call(loaded, model, {k: v[:0] for k, v in one.items()})
    if model.samples:
        for num in (0, -3):
            with pytest.raises(tf.errors.InvalidArgumentError, match="num must be at least 1"):
                loaded.signatures["sample"](num=tf.constant(num), seed=tf.constant(0, tf.int64))
        with pytest.raises(tf.errors.InvalidArgumentError, match="num larger than"):
            loaded.signatures["sample"](num=tf.constant(MAX_BATCH + 1),
                                        seed=tf.constant(0, tf.int64))


def test_multi_input_endpoints_check_rows_and_labels(exported):
    _, ds, model, _, loaded = exported
    inputs = _inputs(model, ds)
    if len(inputs) < 2:
        return
    names = list(inputs)
    short = dict(inputs, **{names[1]: inputs[names[1]][:1]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="must have as many rows"):
        _call(loaded, model, short)
    out_of_range = dict(inputs, labels=tf.constant([0, 1, 10], tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"labels must be < 10 \(the class count\)"):
        _call(loaded, model, out_of_range)
    classify = loaded.signatures["classify"](images=example_inputs(
        model.export_endpoints()[-1].inputs["images"]))
    assert classify["labels"].dtype == tf.int32 and classify["logits"].shape[-1] == 10


def test_card_from_run_has_every_field(tmp_path):
    cfg = tiny_config("dcgan")
    ds, info, model = build(cfg)
    (tmp_path / "DONE.json").write_text('{"step": 7}')
    metrics = {"fid": {"value": 1.5, "extractor": "digits", "num_fake": 10, "num_real": 20}}
    card = card_from_run(cfg, info, str(tmp_path), model, metrics)
    assert card["family"] == "dcgan" and card["config"]["model"]["latent_dim"] == 8
    assert card["data"]["name"] == "digits" and card["data"]["shape"] == [8, 8, 1]
    assert card["steps"] == 7 and card["resolution"] == 8 and card["latent_dim"] == 8
    assert card["metrics"]["fid"]["extractor"] == "digits"
    path = export_model(model, str(tmp_path / "exp"), card)
    saved = read_card(path)
    assert saved["output_shape"] == [8, 8, 1] and saved["metrics"] == metrics
    assert saved["export_kind"] == "generate" and saved["max_batch"] == 256


def test_multi_input_exports_reload_as_layers_and_metric_sources(exported):
    from tfgan_zoo.export import load_layer
    from tfgan_zoo.metrics.sources import ExportSource
    _, ds, model, path, _ = exported
    inputs = _inputs(model, ds)
    expected = _first(model).fn(**inputs)["images"].numpy()
    layer = load_layer(path)  # the first endpoint, with a dict of its inputs
    np.testing.assert_allclose(layer(inputs)["images"].numpy(), expected, atol=1e-5)
    np.testing.assert_allclose(layer(list(inputs.values()))["images"].numpy(), expected, atol=1e-5)
    if model.samples:
        images = np.concatenate(list(ExportSource.open(path, seed=2).batches(4, 6)))
        assert images.shape == (6,) + expected.shape[1:]
