"""exports/lapgan_digits: LapGAN (8 -> 16 -> 32) on the bundled digits at 32 px.

Figures: KID of the full pyramid's samples, and of the coarse generator's 8 px samples upsampled
to 32 px by the same operator (the residual generators' contribution)."""
import numpy as np

from architecture_metrics import measure, value

ENTRY = {"config": "zoo_configs/lapgan/digits.yaml", "set": [], "digits": True}


def evaluate(cfg, model, run_dir):
    def sampler(levels):
        return lambda num, seed: np.asarray(model.generate_images(model.sample_inputs(num, seed), levels=levels))

    return {"kid_full_pyramid": value(measure(sampler(3), cfg)["kid"]),
            "kid_coarse_upsampled": value(measure(sampler(1), cfg)["kid"])}
