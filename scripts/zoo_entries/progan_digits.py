"""exports/progan_digits: ProGAN grown 4 -> 32 px on the bundled digits.

Figures on the card (besides the digits figures every digits card has):
  ms_swd     multi-scale SWD x 1e3 (tfgan_zoo/metrics/ms_swd.py) per pyramid level (32, 16 px)
             of 898 samples against one half of the digits, at the end of each level's stable
             stage (checkpoints of the run), next to the same figure for the other half of the
             digits (real vs real: the floor of the metric at this sample size);
  kid_dcgan  KID of the shipped dcgan_digits export under the same extractor, with that export's
             steps and batch beside it (not this run's budget: read them before comparing); the digits classifier
             resizes every image to 16 x 16 (antialiased), so DCGAN's 16 px output and ProGAN's
             32 px compare in one feature space.
"""
import os

ENTRY = {"config": "zoo_configs/progan/digits.yaml", "set": [], "digits": True}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NHOODS = 64


def _reals(cfg):
    import numpy as np

    from tfgan_zoo.train import build_data
    images = np.concatenate([b["real"] for b in build_data(cfg)[0].batch(512).as_numpy_iterator()])
    perm = np.random.default_rng(0).permutation(len(images))
    half = len(images) // 2
    return images[perm[:half]], images[perm[half:2 * half]]


def stage_ends(model):
    """(stage name, step) at the end of every stable stage."""
    plan, total = model.stage_plan, model.params
    ends = []
    for i, stage in enumerate(plan):
        end = plan[i + 1].start if i + 1 < len(plan) else stage.start + total.stage_steps
        if not stage.options.get("fade"):
            ends.append((stage.name, end))
    return ends


def swd_table(cfg, model, run_dir):
    from tfgan_zoo.checkpoint import RunCheckpoint, step_of
    from tfgan_zoo.metrics.ms_swd import multiscale_swd
    real_a, real_b = _reals(cfg)
    ckpt = RunCheckpoint(os.path.join(run_dir, "checkpoints"), model)
    by_step = {step_of(p): p for p in ckpt.paths()}
    table = {"real_split": multiscale_swd(real_a, real_b, nhoods_per_image=NHOODS)}
    try:
        for name, step in stage_ends(model):
            if step not in by_step:
                print(f"progan_digits: no checkpoint at step {step} ({name}); skipped")
                continue
            ckpt.restore_one(by_step[step])
            fake = model.sample(len(real_b), seed=0)
            table[name] = multiscale_swd(fake, real_b, nhoods_per_image=NHOODS)
    finally:
        ckpt.restore()
    return table, len(real_b)


def dcgan_kid(cfg, num_samples=2000):
    from tfgan_zoo.metrics import DatasetSource, ExportSource, evaluate
    from tfgan_zoo.train import build_data
    path = os.path.join(ROOT, "exports", "dcgan_digits")
    result = evaluate(ExportSource.open(path), DatasetSource(build_data(cfg)[0], name="digits"),
                      metrics=("kid",), num_samples=num_samples, extractor="digits")["kid"]
    from tfgan_zoo.export import read_card
    dcgan = read_card(path)  # its budget beside the figure: not this run's budget
    return {**result, "value": result["mean"], "export": "dcgan_digits/1", "export_steps": dcgan.get("steps"),
            "export_batch": (dcgan.get("config") or {}).get("data", {}).get("batch_size")}


def evaluate(cfg, model, run_dir):
    if not os.path.isdir(os.path.join(run_dir, "checkpoints")):  # --rejudge without the run: the
        return {"kid_dcgan": dcgan_kid(cfg)}                    # card's SWD (pixels) is kept
    table, n = swd_table(cfg, model, run_dir)
    final = [k for k in table if k != "real_split"][-1]
    ms_swd = {"value": table[final]["avg"], "extractor": "pixels", "num_fake": n, "num_real": n,
              "levels": {str(k): v for k, v in table[final].items() if k != "avg"},
              "per_stage": {stage: {str(k): round(v, 2) for k, v in row.items()} for stage, row in table.items()},
              "nhoods_per_image": NHOODS}
    return {"ms_swd": ms_swd, "kid_dcgan": dcgan_kid(cfg)}
