"""exports/stylegan_digits: StyleGAN at 16 px on the bundled digits.

Figures on the card and in the README (besides the digits figures every digits card has):
  truncation  precision and recall (digits-classifier features, k = 3) of 1,797 samples at
              psi 1.0, 0.7, 0.5, 0.25 against the digits; a table, and a PNG plot
              (docs/images/stylegan_truncation.png, needs matplotlib: pip install .[plots]);
  mixing      the style-mixing grid (docs/images/stylegan_mixing.png: row i takes the coarse
              styles, the 4 and 8 px layers, of latent A_i; column j the fine ones, 16 px, of
              latent B_j; the first row and column are B_j and A_i alone), and the share of
              500 mixes the digits classifier labels like their coarse source A (the digit
              identity should come from the coarse layers);
  kid_dcgan   KID of the shipped dcgan_digits export, with its steps and batch beside it (its budget,
              not this run's).
"""
import os

import numpy as np

ENTRY = {"config": "zoo_configs/stylegan/digits.yaml", "set": [], "digits": True}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMAGES = os.path.join(ROOT, "docs", "images")
PSIS = (1.0, 0.7, 0.5, 0.25)


def _real(cfg):
    from tfgan_zoo.metrics import DatasetSource
    from tfgan_zoo.train import build_data
    return DatasetSource(build_data(cfg)[0], name="digits")


def truncation_table(cfg, model, num_samples=1797):
    from tfgan_zoo.metrics import SampleSource, evaluate

    def sampler(psi):
        def sample(num, seed):
            inputs = model.sample_inputs(num, seed)
            inputs["truncation"] = psi
            return np.asarray(model.generate_images(inputs))
        return sample

    rows = {}
    for psi in PSIS:
        pr = evaluate(SampleSource(sampler(psi), name=f"psi {psi}"), _real(cfg), metrics=("precision_recall",),
                      num_samples=num_samples, extractor="digits")["precision_recall"]
        rows[str(psi)] = {"precision": round(pr["precision"], 4), "recall": round(pr["recall"], 4)}
    return rows


def plot_truncation(rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("stylegan_digits: matplotlib is not installed (pip install .[plots]); no plot written")
        return None
    psis = [float(p) for p in rows]
    fig, ax = plt.subplots(figsize=(4.5, 3.2), dpi=120)
    ax.plot(psis, [rows[p]["precision"] for p in rows], "o-", label="precision")
    ax.plot(psis, [rows[p]["recall"] for p in rows], "s-", label="recall")
    ax.set_xlabel("truncation psi")
    ax.set_ylim(0, 1.02)
    ax.set_title("StyleGAN digits: the truncation trade-off")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def mixed(model, z_coarse, z_fine, crossover):
    """Images with layers < crossover from z_coarse and the rest from z_fine (the noise of
    `sample(n, 0)`)."""
    from tfgan_zoo.networks.stylegan import generator_inputs
    gen = model.export_generator()
    noise = model.sample_inputs(len(z_coarse), 0)["noise"]
    images = gen(generator_inputs(z_coarse, noise, z_mix=z_fine, crossover=crossover), training=False)
    return np.clip(np.asarray(images), -1.0, 1.0)


def coarse_crossover(model):
    """The number of layers up to 8 px (two per level: 4, 8)."""
    return min(4, model.num_ws - 1)


def mixing_grid(model, path, n=6, seed=3):
    from tfgan_zoo.imaging import image_grid, write_png
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, model.latent_dim)).astype("float32")
    b = rng.standard_normal((n, model.latent_dim)).astype("float32")
    cut = coarse_crossover(model)
    top = mixed(model, b, b, model.num_ws)
    side = mixed(model, a, a, model.num_ws)
    blank = np.ones_like(top[:1])
    rows = [np.concatenate([blank, top])]
    for i in range(n):
        rows.append(np.concatenate([side[i:i + 1], mixed(model, np.repeat(a[i:i + 1], n, 0), b, cut)]))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_png(path, image_grid(np.concatenate(rows), columns=n + 1, min_tile=48))
    return path


def mixing_agreement(model, n=500, seed=7):
    from tfgan_zoo.metrics.features import DigitsExtractor
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, model.latent_dim)).astype("float32")
    b = rng.standard_normal((n, model.latent_dim)).astype("float32")
    classify = DigitsExtractor()
    label = lambda images: classify(images)["logits"].argmax(-1)  # noqa: E731
    source = label(mixed(model, a, a, model.num_ws))
    mix = label(mixed(model, a, b, coarse_crossover(model)))
    fine = label(mixed(model, b, b, model.num_ws))
    return {"value": float(np.mean(mix == source)), "same_as_fine_source": float(np.mean(mix == fine)),
            "extractor": "digits", "num_fake": n, "crossover": coarse_crossover(model)}


def evaluate(cfg, model, run_dir):
    from zoo_entries.progan_digits import dcgan_kid
    rows = truncation_table(cfg, model)
    plot_truncation(rows, os.path.join(IMAGES, "stylegan_truncation.png"))
    mixing_grid(model, os.path.join(IMAGES, "stylegan_mixing.png"))
    return {"truncation_pr": {"value": rows["0.7"]["precision"], "extractor": "digits", "num_fake": 1797,
                              "num_real": 1797, "rows": rows},
            "mixing_agreement": mixing_agreement(model), "kid_dcgan": dcgan_kid(cfg)}
