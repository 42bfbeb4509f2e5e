"""`tfgan-zoo sample RUN_OR_EXPORT --num N --seed S --out grid.png`: a picture of samples.

Samples are drawn in batches of the export's max_batch (the run's export.max_batch): batch 0
is exactly `sample(n, seed)` (what the export's `sample` signature and `model.sample` give),
batch i > 0 uses seed + i * 2**32, so a run and its export give the same picture. The output
path is checked, and the picture's memory estimated, before anything is drawn.
"""
import math
import os

from tfgan_zoo.errors import UserError, check_output_file

#: the `sample` signature's `num` is an int32
MAX_NUM = 2**31 - 1


def add_sample_parser(sub, count):
    s = sub.add_parser("sample", help="write a picture (PNG or JPEG) of samples from a run or an "
                                      "export")
    s.add_argument("target", metavar="RUN_OR_EXPORT",
                   help="a run directory, an export directory, or an export's parent of versions")
    s.add_argument("--num", type=count, default=64,
                   help="how many samples (default 64); drawn in batches of the export's max_batch")
    s.add_argument("--seed", type=int, default=0,
                   help="seed of the latents (and labels): the same seed gives the same samples")
    s.add_argument("--out", metavar="PATH.png",
                   help="picture to write, .png or .jpg (default: RUN/samples/sample_seedS.png, or "
                        "samples_seedS.png here for an export)")
    s.set_defaults(func=run_sample)
    return s


def check_output(path, flag="--out"):
    """A file path with a picture extension whose directory can exist; one-line errors."""
    from tfgan_zoo.imaging import FORMATS
    check_output_file(path, flag, "samples.png")
    if os.path.splitext(path)[1].lower() not in FORMATS:
        raise UserError(f"{flag} {path}: the picture is written as PNG or JPEG; end the name "
                        "with .png, .jpg or .jpeg")


def batch_seed(seed, index):
    """The seed of batch `index` (see module docstring), wrapped into int64."""
    value = int(seed) + index * 2**32
    return (value + 2**63) % 2**64 - 2**63


def _chunks(num, size):
    done = 0
    while done < num:
        yield done, min(size, num - done)
        done += size


def _draw(num, max_batch, draw_one):
    """Concatenate draw_one(start, n, index) over batches, with a progress bar when long."""
    import keras
    import numpy as np
    parts = []
    bar = keras.utils.Progbar(num, unit_name="sample") if num > max_batch else None
    for index, (start, n) in enumerate(_chunks(num, max_batch)):
        parts.append(np.asarray(draw_one(start, n, index)))
        if bar is not None:
            bar.add(n)
    return np.concatenate(parts)


def _check_size(num, shape):
    from tfgan_zoo import limits
    from tfgan_zoo.imaging import grid_bytes
    size = math.prod(int(d) for d in shape)
    limits.check_memory(num * size * 5 + 2 * grid_bytes(num, shape),
                        f"a picture of {num} samples", "lower --num")


def _from_run(target, num, seed):
    from tfgan_zoo.train import build_data, load_run, reference_examples
    cfg, _, model = load_run(target)
    _check_size(num, model.export_generator().outputs[0].shape[1:])
    max_batch = cfg.export.max_batch
    if model.export_kind == "translate":
        reference = reference_examples(build_data(cfg)[0], num)
        part = lambda s, n: {k: v[s:s + n] for k, v in reference.items()}  # noqa: E731
        return _draw(len(reference["source"]), max_batch, lambda s, n, i: model.preview(
            model.preview_inputs(n, seed, part(s, n))))
    return _draw(num, max_batch, lambda s, n, i: model.preview(
        model.preview_inputs(n, batch_seed(seed, i), None)))


def _from_export(target, num, seed):
    import numpy as np
    import tensorflow as tf

    from tfgan_zoo.export import read_card, resolve_export
    path = resolve_export(target)
    card = read_card(path)
    if card.get("output_shape"):
        _check_size(num, card["output_shape"])
    loaded = tf.saved_model.load(path)
    max_batch = int(card.get("max_batch") or 256)
    if card.get("export_kind") != "translate":
        return _draw(num, max_batch, lambda s, n, i: loaded.signatures["sample"](
            num=tf.constant(n, tf.int32), seed=tf.constant(batch_seed(seed, i), tf.int64))["images"])
    from tfgan_zoo.config import from_dict
    from tfgan_zoo.train import build_data, reference_examples
    ref = reference_examples(build_data(from_dict(card["config"]))[0], num)
    endpoint = (card.get("signatures") or ["translate"])[0]

    def rows(s, n, i):
        source, real = ref["source"][s:s + n], ref["real"][s:s + n]
        fake = loaded.signatures[endpoint](images=tf.constant(source))["images"].numpy()
        shown = source[..., :fake.shape[-1]] if source.shape[-1] >= fake.shape[-1] else \
            np.repeat(source, fake.shape[-1], -1)
        return np.concatenate([shown, fake, real], axis=2)

    return _draw(len(ref["source"]), max_batch, rows)


def run_sample(args):
    target = args.target
    if not os.path.exists(target):
        raise UserError(f"{target} does not exist")
    is_run = os.path.isfile(os.path.join(target, "config.yaml"))
    out = args.out or (os.path.join(target, "samples", f"sample_seed{args.seed}.png") if is_run
                       else f"samples_seed{args.seed}.png")
    check_output(out)
    if not is_run:
        from tfgan_zoo.metrics.sources import find_saved_model_dir
        try:  # a one-line error before TensorFlow is imported
            find_saved_model_dir(target)
        except UserError:
            raise UserError(f"{target} is neither a run directory (no config.yaml) nor an export "
                            "(no saved_model.pb in it or in a numbered version directory)") from None
    batch = (_from_run if is_run else _from_export)(target, args.num, args.seed)
    from tfgan_zoo.imaging import preview_to_image, write_image
    write_image(out, preview_to_image(batch))
    print(f"wrote {len(batch)} samples -> {out}")
    return 0
