"""exports/stackgan_digits: StackGAN on the bundled digits, stage I at 16 px, stage II at 32 px.

Figures: KID of stage II's samples and of stage I's upsampled (same latents and labels), the
share of samples whose classified digit is the same in both stages, and the conditional accuracy
of each stage (bundled digits classifier)."""
import numpy as np
import tensorflow as tf

from architecture_metrics import measure, predicted_labels, value
from tfgan_zoo.metrics.conditional import balanced_labels, conditional_accuracy

ENTRY = {"config": "zoo_configs/stackgan/digits.yaml", "set": [], "digits": True}


def evaluate(cfg, model, run_dir):
    def sampler(stage):
        return lambda num, seed: np.asarray(model.generate_images(model.sample_inputs(num, seed), stage=stage))

    out = {"kid_stage2": value(measure(sampler(1), cfg)["kid"]),
           "kid_stage1_upsampled": value(measure(sampler(0), cfg)["kid"])}
    inputs = model.sample_inputs(1000, 321)
    labels = balanced_labels(1000, model.num_classes)
    stage1, stage2 = (np.asarray(model.generate_images(inputs, stage=s)) for s in (0, 1))
    agree = float(np.mean(predicted_labels(stage1) == predicted_labels(stage2)))
    out["label_agreement"] = {"value": agree, "extractor": "digits", "num_fake": 1000}
    for name, images in (("cond_acc_stage2", stage2), ("cond_acc_stage1", stage1)):
        out[name] = {"value": conditional_accuracy(images, labels)["accuracy"], "extractor": "digits",
                     "num_fake": 1000}
    return out
