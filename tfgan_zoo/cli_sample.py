"""`tfgan-zoo sample RUN_OR_EXPORT --num N --seed S --out grid.png`: a picture of samples.

Samples are drawn in batches of the export's max_batch (the run's export.max_batch): batch 0
is exactly `sample(n, seed)` (what the export's `sample` signature and `model.sample` give),
batch i > 0 uses seed + i * 2**32 (imaging.batch_seed), so a run and its export give the same
picture (export_catalog.export_grid draws the export's). The output path is checked, and the
picture's memory estimated, before anything is drawn.
"""
import os

from tfgan_zoo.errors import UserError, check_output_file


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


def _from_run(target, num, seed):
    """The picture of `num` samples of a run: its model drawn in batches, as the export's."""
    from tfgan_zoo import limits
    from tfgan_zoo.imaging import batch_seed, draw_in_batches, preview_to_image, rows_picture
    from tfgan_zoo.train import build_data, load_run, reference_examples
    cfg, _, model = load_run(target)
    limits.check_picture(num, model.export_generator().outputs[0].shape[1:])
    max_batch = cfg.export.max_batch
    if not model.samples:
        reference = reference_examples(build_data(cfg)[0], num)
        part = lambda s, n: {k: v[s:s + n] for k, v in reference.items()}  # noqa: E731
        return rows_picture(draw_in_batches(len(reference["source"]), max_batch, lambda s, n, i:
                                            model.preview(model.preview_inputs(n, seed, part(s, n)))))
    return preview_to_image(draw_in_batches(num, max_batch, lambda s, n, i: model.preview(
        model.preview_inputs(n, batch_seed(seed, i), None))))


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
    if is_run:
        image = _from_run(target, args.num, args.seed)
    else:
        from tfgan_zoo.export_catalog import export_grid
        image = export_grid(target, args.num, args.seed)
    from tfgan_zoo.imaging import write_image
    write_image(out, image)
    print(f"wrote {args.num} samples -> {out}")
    return 0
