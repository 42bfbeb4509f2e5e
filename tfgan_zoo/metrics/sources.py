"""Image sources for evaluation: each streams float32 NHWC batches in [-1, 1].

`batches(batch_size, num_samples)` yields arrays whose lengths add up to num_samples (or to
the whole finite source when num_samples is None or larger than it); nothing keeps all the
images. Generator sources draw standard-normal latents from a fresh seeded generator on each
call, so two passes give the same images.
"""
import abc
import json
from pathlib import Path

import numpy as np

from tfgan_zoo.errors import UserError

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


class ImageSource(abc.ABC):
    """Base class. `name` describes the source; `image_shape` is (H, W, C)."""

    name = "images"
    finite = True

    @abc.abstractmethod
    def batches(self, batch_size, num_samples=None):
        """Yield float32 [n, H, W, C] arrays in [-1, 1], num_samples in all (None: all)."""

    @property
    def image_shape(self):
        first = next(iter(self.batches(1, 1)))
        return tuple(int(s) for s in first.shape[1:])


def _as_images(output, what):
    if isinstance(output, dict):
        if "images" not in output:
            raise UserError(f"{what} returned a dict without 'images' (keys: {sorted(output)})")
        output = output["images"]
    images = np.asarray(output, np.float32)
    if images.ndim != 4:
        raise UserError(f"{what} must return [N, H, W, C] images, got shape {images.shape}")
    return images


class CallableSource(ImageSource):
    """Any python callable latents [N, latent_dim] float32 -> images (array, tensor or dict)."""

    finite = False

    def __init__(self, fn, latent_dim, seed=0, name="callable"):
        self.fn, self.latent_dim, self.seed, self.name = fn, int(latent_dim), int(seed), name

    def _generate(self, latents):
        return _as_images(self.fn(latents), f"generator {self.name}")

    def batches(self, batch_size, num_samples=None):
        if num_samples is None:
            raise UserError("a generator source needs num_samples")
        rng = np.random.default_rng(self.seed)
        done = 0
        while done < num_samples:
            n = min(int(batch_size), num_samples - done)
            latents = rng.standard_normal((n, self.latent_dim)).astype(np.float32)
            yield self._generate(latents)
            done += n


class SampleSource(ImageSource):
    """Any `sample(num, seed) -> images` function, e.g. `GANModel.sample` (a family's own
    generator inputs: labels, codes, truncation) or an export's `sample` signature. Batch i of a
    pass is sample(n, seed * 1_000_003 + i), so two passes give the same images."""

    finite = False

    def __init__(self, sample_fn, seed=0, name="sample", max_batch=None):
        self.sample_fn, self.seed, self.name = sample_fn, int(seed), name
        self.max_batch = max_batch

    def batches(self, batch_size, num_samples=None):
        if num_samples is None:
            raise UserError("a generator source needs num_samples")
        step = int(min(batch_size, self.max_batch or batch_size))
        done = i = 0
        while done < num_samples:
            n = min(step, num_samples - done)
            yield _as_images(self.sample_fn(n, self.seed * 1_000_003 + i), f"generator {self.name}")
            done, i = done + n, i + 1


def find_saved_model_dir(path):
    """`path` if it holds saved_model.pb, else its highest numeric version subdirectory that does."""
    path = Path(path)
    if (path / "saved_model.pb").is_file():
        return path
    versions = [p for p in path.iterdir() if p.is_dir() and p.name.isdigit()
                and (p / "saved_model.pb").is_file()] if path.is_dir() else []
    if not versions:
        raise UserError(f"{path} is not a SavedModel export (no saved_model.pb in it or in a "
                        "numbered version subdirectory)")
    return max(versions, key=lambda p: int(p.name))


def read_card(export_dir, given_dir=None):
    for d in (Path(export_dir), Path(given_dir or export_dir)):
        card = d / "assets" / "card.json"
        if card.is_file():
            with open(card) as f:
                return json.load(f)
    return {}


def export_sample_source(path, seed=0, module=None):
    """A SampleSource over an export's `sample(num, seed)` signature, batched by its card's
    max_batch; `module` is the export already loaded, if it is."""
    import tensorflow as tf

    export_dir = find_saved_model_dir(path)
    module = module if module is not None else tf.saved_model.load(str(export_dir))
    fn = module.signatures["sample"]

    def sample(num, seed):
        return fn(num=tf.constant(num, tf.int32), seed=tf.constant(seed, tf.int64))

    source = SampleSource(sample, seed, name=str(export_dir),
                          max_batch=read_card(export_dir, path).get("max_batch"))
    source._module = module  # keep the loaded object alive
    return source


class ExportSource(CallableSource):
    """A SavedModel whose `generate` signature maps latents [N, latent_dim] to {"images"}.

    latent_dim comes from <export>/assets/card.json ("latent_dim") or the signature's input
    spec. Batches are split to respect the card's "max_batch". A class-conditional export
    whose signature also takes "labels" gets uniformly drawn labels ("num_classes" in the card).
    An export whose `generate` takes other inputs (codes, truncation, ...) is sampled through
    its `sample(num, seed)` signature instead (`ExportSource.open` picks the right class).
    """

    @staticmethod
    def open(path, seed=0):
        """An ImageSource for any generate-kind export: ExportSource, or a SampleSource over
        its `sample` signature when `generate` needs more than latents (and labels)."""
        import tensorflow as tf

        export_dir = find_saved_model_dir(path)
        module = tf.saved_model.load(str(export_dir))
        generate = module.signatures.get("generate")
        inputs = set(generate.structured_input_signature[1]) if generate is not None else set()
        if inputs - {"latents", "labels"} and "sample" in module.signatures:
            return export_sample_source(path, seed, module)
        return ExportSource(path, seed)

    def __init__(self, path, seed=0):
        import tensorflow as tf

        self.export_dir = find_saved_model_dir(path)
        self.card = read_card(self.export_dir, path)
        self._module = tf.saved_model.load(str(self.export_dir))
        if "generate" not in self._module.signatures:
            raise UserError(f"export {self.export_dir} has no 'generate' signature "
                            f"(has: {sorted(self._module.signatures)})")
        self._fn = self._module.signatures["generate"]
        inputs = self._fn.structured_input_signature[1]
        if "latents" not in inputs:
            raise UserError(f"'generate' in {self.export_dir} takes {sorted(inputs)}, not 'latents'")
        latent_dim = self.card.get("latent_dim") or inputs["latents"].shape[-1]
        if latent_dim is None:
            raise UserError(f"cannot tell the latent size of {self.export_dir}: add 'latent_dim' "
                            "to assets/card.json")
        self._extra = {k: v for k, v in inputs.items() if k != "latents"}
        if set(self._extra) - {"labels"} or (self._extra and not self.card.get("num_classes")):
            raise UserError(f"'generate' in {self.export_dir} needs inputs {sorted(self._extra)}; "
                            "only 'labels' with num_classes in the card is supported")
        super().__init__(self._call, latent_dim, seed, name=str(self.export_dir))

    def batches(self, batch_size, num_samples=None):
        self._label_rng = np.random.default_rng([self.seed, 1])
        yield from super().batches(batch_size, num_samples)

    def _call(self, latents):
        """Generate in chunks of at most the card's max_batch (exports refuse larger ones)."""
        import tensorflow as tf

        step = int(self.card.get("max_batch") or len(latents))
        chunks = []
        for start in range(0, len(latents), step):
            kwargs = {"latents": tf.constant(latents[start:start + step], tf.float32)}
            if "labels" in self._extra:
                labels = self._label_rng.integers(0, int(self.card["num_classes"]),
                                                  len(kwargs["latents"]))
                kwargs["labels"] = tf.constant(labels, self._extra["labels"].dtype)
            chunks.append(_as_images(self._fn(**kwargs), f"export {self.export_dir}"))
        return np.concatenate(chunks)


class FolderSource(ImageSource):
    """Image files in a folder (sorted by name). Grayscale files give 1 channel, others RGB.

    Every image must have the same size unless `image_size` (H, W) is given to resize to.
    """

    def __init__(self, path, image_size=None, channels=None):
        self.path = Path(path)
        if not self.path.is_dir():
            raise UserError(f"image folder {self.path} does not exist")
        self.files = sorted(p for p in self.path.iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS)
        if not self.files:
            raise UserError(f"no image files ({', '.join(IMAGE_EXTENSIONS)}) in {self.path}")
        self.image_size = tuple(image_size) if image_size else None
        self.channels = channels
        self.name = str(self.path)

    def _load(self, file):
        from PIL import Image

        with Image.open(file) as img:
            channels = self.channels or (1 if img.mode in ("1", "L", "I", "I;16") else 3)
            img = img.convert("L" if channels == 1 else "RGB")
            if self.image_size and img.size != (self.image_size[1], self.image_size[0]):
                img = img.resize((self.image_size[1], self.image_size[0]), Image.BILINEAR)
            array = np.asarray(img, np.float32)
        array = array[..., None] if array.ndim == 2 else array
        return array / 127.5 - 1.0

    def batches(self, batch_size, num_samples=None):
        files = self.files[:num_samples] if num_samples is not None else self.files
        shape = None
        for start in range(0, len(files), int(batch_size)):
            batch = [self._load(f) for f in files[start:start + int(batch_size)]]
            for f, image in zip(files[start:], batch):
                shape = shape or image.shape
                if image.shape != shape:
                    raise UserError(f"{f} is {image.shape}, earlier images are {shape}; "
                                    "pass image_size to resize")
            yield np.stack(batch)


class DatasetSource(ImageSource):
    """A tf.data.Dataset of dicts with images under `key` ("real"), batched or not."""

    def __init__(self, ds, key="real", name="dataset"):
        self.ds, self.key, self.name = ds, key, name
        spec = ds.element_spec
        spec = spec[key] if isinstance(spec, dict) else spec
        if spec.shape.rank not in (3, 4):
            raise UserError(f"dataset images must be HWC or NHWC, got shape {spec.shape}")
        self._batched = spec.shape.rank == 4
        self._spec = spec

    @property
    def image_shape(self):
        shape = self._spec.shape[-3:]
        if shape.is_fully_defined():
            return tuple(int(s) for s in shape)
        return super().image_shape

    def batches(self, batch_size, num_samples=None):
        ds = self.ds
        if isinstance(ds.element_spec, dict):
            ds = ds.map(lambda d: d[self.key])
        ds = ds.unbatch() if self._batched else ds
        if num_samples is not None:
            ds = ds.take(num_samples)
        for batch in ds.batch(int(batch_size)).prefetch(2):
            yield np.asarray(batch, np.float32)
