"""exports/biggan_digits: BigGAN on the bundled digits at 32 px, class-conditional.

Figures: conditional accuracy (bundled digits classifier), KID, precision and recall at each
truncation psi (none, 1.0, 0.7, 0.5, 0.25; the EMA generator), the raw generator's KID beside
the EMA one (and its conditional accuracy at psi 1 and 0.5), and exports/biggan_digits/truncation.png (a row per psi, the same latents, labels
0-9 twice).
"""
import os

import numpy as np
import tensorflow as tf

from architecture_metrics import accuracy, labelled_sampler, latents, measure, save_grid, value

ENTRY = {"config": "zoo_configs/biggan/digits.yaml", "set": [], "digits": True,
         "notes": ["Conditional accuracy 0.984 at psi 1 meets the family's 0.90; at psi 0.5 it is 0.957, "
                   "2.7 points lower (the target asks not lower). The first recipe (1,500 steps, EMA 0.999 "
                   "from step 500) reached 0.366 at psi 1."]}
PSIS = (0.0, 1.0, 0.7, 0.5, 0.25)      # 0: no truncation
FIGURE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      "exports", "biggan_digits", "truncation.png")


def _key(psi):
    return "none" if psi <= 0 else f"{psi:g}"


def evaluate(cfg, model, run_dir):
    model.prepare_for_sampling()
    dim = model.latent_dim

    def generate(psi, generator=None):
        from tfgan_zoo.latents import truncate_rows
        cut = (lambda z: truncate_rows(z, psi)) if psi > 0 else (lambda z: z)  # the trick: in the draw
        return lambda z, y: model.generate_images({"latents": cut(tf.convert_to_tensor(z, tf.float32)),
                                                   "labels": y}, generator)

    out, rows = {}, []
    for psi in PSIS:
        key = _key(psi)
        out[f"cond_acc_psi_{key}"] = accuracy(generate(psi), model, dim)
        res = measure(labelled_sampler(model, dim, generate(psi)), cfg, metrics=("kid", "precision_recall"))
        out[f"kid_psi_{key}"] = value(res["kid"])
        out[f"precision_psi_{key}"] = value(res["precision_recall"], "precision")
        out[f"recall_psi_{key}"] = value(res["precision_recall"], "recall")
        labels = tf.constant(np.tile(np.arange(model.num_classes), 2), tf.int32)
        rows.append(generate(psi)(latents(len(labels), dim, 7), labels))
    raw = measure(labelled_sampler(model, dim, generate(0.0, model.generator)), cfg)
    out["kid_raw_generator"] = value(raw["kid"])
    for psi in (1.0, 0.5):
        out[f"cond_acc_raw_generator_psi_{_key(psi)}"] = accuracy(generate(psi, model.generator), model, dim)
    save_grid(FIGURE, rows)
    return out
