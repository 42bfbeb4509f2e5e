"""Signatures of every registered family: round trip, reproducible `sample`, clear input errors.

Each family is exported from its tiny config (tests/testing.py: the pix2pix one for
translate families); a family whose tiny config does not build is skipped with the reason.
"""
import numpy as np
import pytest
import tensorflow as tf

from tests.testing import TINY_PIX2PIX, build, from_dict, merge, tiny_config
from tfgan_zoo.export import ExportInputs, card_from_run, export_model, read_card
from tfgan_zoo.registry import FAMILIES

MAX_BATCH = 16
_BUILT = {}


def _tiny(family):
    if FAMILIES.get(family).export_kind == "translate":
        return from_dict(merge(TINY_PIX2PIX, {"family": family}), source=f"<tiny {family}>")
    return tiny_config(family)


@pytest.fixture(params=FAMILIES.names())
def exported(request, tmp_path_factory):
    family = request.param
    if family not in _BUILT:
        try:
            cfg = _tiny(family)
            ds, info, model = build(cfg)
        except Exception as e:  # noqa: BLE001 - a family still being written
            _BUILT[family] = f"tiny config of {family} does not build: {type(e).__name__}: {e}"
        else:
            root = tmp_path_factory.mktemp(f"sig_{family}")
            path = export_model(model, str(root / family), {"family": family}, max_batch=MAX_BATCH)
            _BUILT[family] = (cfg, ds, model, path, tf.saved_model.load(path))
    if isinstance(_BUILT[family], str):
        pytest.skip(_BUILT[family])
    return _BUILT[family]


def _inputs(model, ds, n=3):
    """Fixed inputs: seeded latents, or the first source images."""
    if model.export_kind == "translate":
        return next(iter(ds.batch(n)))["source"]
    return tf.constant(np.random.default_rng(5).standard_normal((n, model.latent_dim)), tf.float32)


def _call(loaded, model, x):
    if model.export_kind == "translate":
        return loaded.signatures["translate"](images=x)
    return loaded.signatures["generate"](latents=x)


def test_roundtrip_matches_in_process_generator(exported):
    _, ds, model, path, loaded = exported
    x = _inputs(model, ds)
    expected = model.export_generator()(x, training=False).numpy()
    out = _call(loaded, model, x)
    np.testing.assert_allclose(out["images"].numpy(), expected, atol=1e-5)
    assert out["images_uint8"].dtype == tf.uint8
    assert np.all(np.abs(out["images"].numpy()) <= 1.0)
    np.testing.assert_allclose(loaded(x).numpy(), expected, atol=1e-5)  # __call__
    default = loaded.signatures["serving_default"](**{
        "images" if model.export_kind == "translate" else "latents": x})
    np.testing.assert_allclose(default["images"].numpy(), expected, atol=1e-5)
    assert set(loaded.signatures) == set(read_card(path)["signatures"])


def test_sample_reproducible_across_loads(exported):
    _, _, model, path, loaded = exported
    if model.export_kind == "translate":
        assert "sample" not in loaded.signatures
        return
    args = dict(num=tf.constant(4), seed=tf.constant(11, tf.int64))
    a = loaded.signatures["sample"](**args)["images"].numpy()
    b = tf.saved_model.load(path).signatures["sample"](**args)["images"].numpy()  # a second load
    c = loaded.signatures["sample"](num=tf.constant(4), seed=tf.constant(12, tf.int64))["images"]
    assert a.shape[0] == 4
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c.numpy())


def test_wrong_dtype_is_rejected_by_the_signature(exported):
    _, ds, model, _, loaded = exported
    x = tf.cast(_inputs(model, ds), tf.float64)
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a float tensor"):
        _call(loaded, model, x)
    fn = loaded.translate if model.export_kind == "translate" else loaded.generate
    with pytest.raises(TypeError, match="Can not cast TensorSpec"):
        fn(x)


def test_wrong_rank_or_size_gives_a_clear_error(exported):
    _, ds, model, _, loaded = exported
    x = _inputs(model, ds)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="is not compatible with expected shape"):
        _call(loaded, model, x[..., None])
    if model.export_kind == "translate":
        h, w, c = x.shape[1:]
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=f"translate expects images of {h}x{w}x{c}"):
            _call(loaded, model, tf.zeros((2, h // 2, w // 2, c)))
    else:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=rf"expected shape \[\?,{model.latent_dim}\]"):
            _call(loaded, model, tf.zeros((2, model.latent_dim + 1)))


def test_batch_limits(exported):
    _, ds, model, _, loaded = exported
    x = _inputs(model, ds, 1)
    big = tf.repeat(x, MAX_BATCH + 1, axis=0)
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"max_batch \\({MAX_BATCH}\\)"):
        _call(loaded, model, big)
    with pytest.raises(tf.errors.InvalidArgumentError, match="batch must be at least 1"):
        _call(loaded, model, x[:0])
    if model.export_kind == "generate":
        for num in (0, -3):
            with pytest.raises(tf.errors.InvalidArgumentError, match="num must be at least 1"):
                loaded.signatures["sample"](num=tf.constant(num), seed=tf.constant(0, tf.int64))
        with pytest.raises(tf.errors.InvalidArgumentError, match="num larger than"):
            loaded.signatures["sample"](num=tf.constant(MAX_BATCH + 1),
                                        seed=tf.constant(0, tf.int64))


def test_export_inputs_hook_adds_a_generate_input(tmp_path):
    """A family hook contributes an extra named input (here a truncation scale)."""
    ds, info, model = build(tiny_config("dcgan"))
    gen = model.export_generator()
    model.export_inputs = lambda: ExportInputs(
        specs=(tf.TensorSpec([], tf.float32, name="truncation"),),
        call=lambda g, z, t: g(z * t, training=False),
        sample_extras=lambda num, seed: (tf.constant(1.0),))
    loaded = tf.saved_model.load(export_model(model, str(tmp_path / "hook"), {}))
    z = np.random.default_rng(0).standard_normal((2, 8)).astype("float32")
    out = loaded.signatures["generate"](latents=tf.constant(z), truncation=tf.constant(0.5))
    np.testing.assert_allclose(out["images"].numpy(), gen(z * 0.5).numpy(), atol=1e-5)
    np.testing.assert_allclose(loaded(z).numpy(), gen(z).numpy(), atol=1e-5)
    s = loaded.signatures["sample"](num=tf.constant(2), seed=tf.constant(0, tf.int64))
    assert s["images"].shape == (2, 8, 8, 1)


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
