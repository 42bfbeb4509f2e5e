"""Swappable feature extractors: images in [-1, 1] -> {"pool": [N, D], "logits": [N, C] | None}.

Extractors are registered by name in EXTRACTORS ("inception", "digits", "mnist"); `get_extractor`
builds one from a name (or passes an instance through). Outputs are float32 NumPy arrays;
the metrics do their maths in float64.
"""
import abc
import hashlib
import os
from pathlib import Path

import numpy as np

from tfgan_zoo.errors import UserError
from tfgan_zoo.metrics import digits_classifier, mnist_classifier
from tfgan_zoo.registry import closest_hint

INCEPTION_WEIGHTS_FILE = "inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
INCEPTION_WEIGHTS_URL = ("https://storage.googleapis.com/tensorflow/keras-applications/"
                         "inception_v3/" + INCEPTION_WEIGHTS_FILE)
INCEPTION_WEIGHTS_MD5 = "9a0d58056eeedaa3f26cb7ebd46da564"
_RANGE_SLACK = 0.05


class FeatureExtractor(abc.ABC):
    """Base class. Subclasses set the attributes below and implement `_forward`.

    name: registry name; feature_dim: D of "pool"; input_size: (H, W, C) the network sees;
    num_classes: C of "logits" (or None); logits_kind: what the logits index; precision: the
    dtype the network computes in (recorded with every metric); progress_from: a call on this
    many images or more shows a progress bar (None: never).
    """

    name = None
    feature_dim = None
    input_size = None
    num_classes = None
    logits_kind = None
    precision = "float32"
    progress_from = None

    def __init__(self, batch_size=64):
        self.batch_size = int(batch_size)

    @abc.abstractmethod
    def _forward(self, images):
        """float32 tf.Tensor [n, H, W, input channels] in [-1, 1] -> (pool, logits) tensors."""

    @property
    def cache_tag(self):
        """Name used in real-statistics cache keys; None disables caching (e.g. random weights)."""
        return self.name

    def describe(self):
        return {"extractor": self.name, "feature_dim": self.feature_dim,
                "input_size": list(self.input_size), "logits_kind": self.logits_kind,
                "extractor_precision": self.precision}

    def prepare(self, images):
        """Validate range, add/tile/average channels to match the network input."""
        images = np.asarray(images, np.float32)
        if images.ndim == 3:
            images = images[..., None]
        if images.ndim != 4:
            raise UserError(f"expected NHWC images, got shape {images.shape}")
        if images.size and (images.min() < -1 - _RANGE_SLACK or images.max() > 1 + _RANGE_SLACK):
            raise UserError(f"images must be float32 in [-1, 1], got values in "
                            f"[{images.min():.3g}, {images.max():.3g}]")
        images = np.clip(images, -1.0, 1.0)
        want, have = self.input_size[2], images.shape[-1]
        if have == want:
            return images
        if want == 3 and have == 1:
            return np.repeat(images, 3, axis=-1)
        if want == 1 and have in (3, 4):
            return images[..., :3].mean(axis=-1, keepdims=True)
        raise UserError(f"{self.name} extractor takes 1 or 3 channels, got {have}")

    def __call__(self, images, batch_size=None, progress=None):
        """{"pool", "logits"} of images [N, H, W, C] in [-1, 1]. progress: show a progress bar
        (None: when N >= progress_from)."""
        images = self.prepare(images)
        batch_size = int(batch_size or self.batch_size)
        if progress is None:
            progress = self.progress_from is not None and len(images) >= self.progress_from
        bar = None
        if progress:
            import keras
            bar = keras.utils.Progbar(len(images), unit_name="image")
        pools, logits = [], []
        for start in range(0, len(images), batch_size):
            pool, logit = self._forward(images[start:start + batch_size])
            pools.append(np.asarray(pool, np.float32))
            if logit is not None:
                logits.append(np.asarray(logit, np.float32))
            if bar is not None:
                bar.add(len(pools[-1]))
        pool = (np.concatenate(pools) if pools
                else np.zeros((0, self.feature_dim), np.float32))
        out_logits = None
        if self.num_classes is not None:
            out_logits = (np.concatenate(logits) if logits
                          else np.zeros((0, self.num_classes), np.float32))
        return {"pool": pool, "logits": out_logits}


class JudgeExtractor(FeatureExtractor):
    """A bundled judge (tfgan_zoo.metrics.judge): a calibrated ensemble of small CNNs.

    features = the members' penultimate layers concatenated; logits = the calibrated logits
    (their softmax is the judge's probability). Subclasses set `module`: the classifier module
    (INPUT_SIZE, FEATURE_DIM, NUM_CLASSES, WEIGHTS_PATH, CACHE_VERSION, build_classifier,
    to_input_size) and `trainer`: the script that writes its weights.
    """

    module = None
    trainer = None

    def __init__(self, weights_path=None, batch_size=256):
        super().__init__(batch_size)
        import tensorflow as tf

        path = Path(weights_path or self.module.WEIGHTS_PATH)
        self.weights_path = path
        if not path.is_file():
            raise UserError(f"{self.name} judge weights not found at {path}; "
                            f"run {self.trainer} to create them")
        self.model = self.module.build_classifier()
        try:
            self.model.load_weights(str(path))
        except Exception as exc:  # another architecture's file (e.g. the classifier before the judge)
            raise UserError(f"cannot load the {self.name} judge weights from {path} "
                            f"({type(exc).__name__}); run {self.trainer} to recreate them") from None
        spec = tf.TensorSpec([None, None, None, 1], tf.float32)
        self._graph = tf.function(self._graph_forward, input_signature=[spec])

    @property
    def cache_tag(self):
        """"<name>-<version>-<md5 prefix of the weights file>": retrained weights get a new cache."""
        digest = hashlib.md5(self.weights_path.read_bytes()).hexdigest()[:8]
        return f"{self.name}-{self.module.CACHE_VERSION}-{digest}"

    def _graph_forward(self, images):
        features, logits = self.model(self.module.to_input_size(images), training=False)
        return features, logits

    def _forward(self, images):
        features, logits = self._graph(images)
        return features.numpy(), logits.numpy()


class DigitsExtractor(JudgeExtractor):
    """The digits judge (sklearn digits, 16x16 input); features 3 x 64-d, 10 calibrated logits."""

    name = "digits"
    module = digits_classifier
    trainer = "scripts/train_digits_classifier.py"
    feature_dim = digits_classifier.FEATURE_DIM
    input_size = digits_classifier.INPUT_SIZE
    num_classes = digits_classifier.NUM_CLASSES
    logits_kind = "digits-10 (calibrated judge)"


class MnistExtractor(JudgeExtractor):
    """The MNIST judge (32x32 input: 28x28 padded, other sizes resized); 3 x 64-d, 10 logits."""

    name = "mnist"
    module = mnist_classifier
    trainer = "scripts/train_mnist_classifier.py"
    feature_dim = mnist_classifier.FEATURE_DIM
    input_size = mnist_classifier.INPUT_SIZE
    num_classes = mnist_classifier.NUM_CLASSES
    logits_kind = "mnist-10 (calibrated judge)"


def _keras_cached_weights():
    cache_dir = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return Path(cache_dir) / "models" / INCEPTION_WEIGHTS_FILE


def resolve_inception_weights(weights="imagenet", weights_path=None):
    """-> a weights file path, or None (random init). Raises UserError with a fix on failure."""
    how = (f"pass --inception-weights PATH (the Keras file {INCEPTION_WEIGHTS_FILE}), or run "
           f"once with network access so Keras caches it at {_keras_cached_weights()}")
    if weights_path is not None:
        if not Path(weights_path).is_file():
            raise UserError(f"Inception weights file {weights_path} does not exist; {how}")
        return str(weights_path)
    if weights is None:
        return None
    if weights != "imagenet":
        raise UserError(f"Inception weights must be 'imagenet', a file path or None, got {weights!r}")
    import keras

    try:
        return keras.utils.get_file(INCEPTION_WEIGHTS_FILE, INCEPTION_WEIGHTS_URL,
                                    cache_subdir="models", file_hash=INCEPTION_WEIGHTS_MD5)
    except Exception as exc:  # offline: keras raises a bare Exception wrapping the URL error
        # keras: "URL fetch failure on <url>: <errno> -- <reason>"; keep the reason, one line
        reason = (str(exc).split(" -- ")[-1].strip().splitlines() or [type(exc).__name__])[0][:160]
        raise UserError(f"cannot get the Inception ImageNet weights ({reason}); {how}") from None


class InceptionExtractor(FeatureExtractor):
    """Keras InceptionV3 (include_top): pool3 = 2048-d avg_pool output, logits = 1000 classes.

    Note Keras' ImageNet weights have 1000 classes and differ slightly from the 1008-class
    graph of TF-GAN / TTUR, so FIDs are comparable with each other, not with published
    numbers. Images are resized to 299x299 (bilinear) and already in the [-1, 1] range
    keras.applications.inception_v3.preprocess_input produces; grayscale is tiled to RGB.
    `weights=None` gives a random network - for tests and timing only.

    The network runs as one compiled function per batch (resize, forward, float32 outputs) on
    an inference copy with every batch norm folded into its convolution (metrics/folding.py).
    precision: "float32" (the default: FIDs comparable with other float32 FIDs), "bfloat16"
    (weights and activations in bf16, pooling and logits in float32; ~2-3x faster on CPUs
    with bf16 instructions, README "Speed" gives the FID difference measured here) or "auto"
    (bfloat16 where tfgan_zoo.precision recommends mixed_bfloat16). Real-set caches are kept
    apart per precision.
    """

    name = "inception"
    feature_dim = 2048
    input_size = (299, 299, 3)
    num_classes = 1000
    logits_kind = "imagenet-1000 (keras InceptionV3 top)"
    progress_from = 500
    PRECISIONS = ("float32", "bfloat16", "auto")

    def __init__(self, weights="imagenet", weights_path=None, batch_size=32, precision="float32"):
        super().__init__(batch_size)
        import keras
        import tensorflow as tf

        from tfgan_zoo.metrics.folding import fold_batch_norm
        if precision not in self.PRECISIONS:
            raise UserError(f"Inception precision must be one of {list(self.PRECISIONS)}, "
                            f"got {precision!r}")
        if precision == "auto":
            from tfgan_zoo.precision import recommend
            precision = "bfloat16" if recommend() == "mixed_bfloat16" else "float32"
        self.precision = precision
        path = resolve_inception_weights(weights, weights_path)
        net = keras.applications.InceptionV3(include_top=True, weights=None,
                                             classifier_activation=None)
        if path is not None:
            try:
                net.load_weights(path)
            except Exception as exc:
                raise UserError(f"cannot load Inception weights from {path}: {exc}; it must be "
                                f"the Keras file {INCEPTION_WEIGHTS_FILE} (with top)") from None
        self.weights_source = "random (tests only)" if path is None else str(path)
        self._random = path is None
        keras_model = keras.Model(net.inputs, [net.get_layer("avg_pool").output,
                                               net.get_layer("predictions").output])
        self.model = fold_batch_norm(keras_model, precision,
                                     float32_layers=("avg_pool", "predictions"))
        spec = tf.TensorSpec([None, None, None, 3], tf.float32)
        self._graph = tf.function(self._graph_forward, input_signature=[spec])

    def _graph_forward(self, images):
        import tensorflow as tf

        resized = tf.image.resize(images, self.input_size[:2], method="bilinear")
        pool, logits = self.model(resized, training=False)
        return tf.cast(pool, tf.float32), tf.cast(logits, tf.float32)

    def _forward(self, images):
        pool, logits = self._graph(images)
        return pool.numpy(), logits.numpy()

    @property
    def cache_tag(self):
        if self._random:
            return None
        return self.name if self.precision == "float32" else f"{self.name}-{self.precision}"

    def describe(self):
        return {**super().describe(), "weights": self.weights_source}


EXTRACTORS = {"digits": DigitsExtractor, "mnist": MnistExtractor, "inception": InceptionExtractor}


def get_extractor(name_or_extractor="digits", **kwargs):
    """Extractor instance from a registered name (kwargs go to its constructor) or instance."""
    if isinstance(name_or_extractor, FeatureExtractor):
        return name_or_extractor
    if name_or_extractor not in EXTRACTORS:
        raise UserError(f"unknown feature extractor {name_or_extractor!r}"
                        f"{closest_hint(name_or_extractor, EXTRACTORS)}")
    return EXTRACTORS[name_or_extractor](**kwargs)
