"""exports/stargan_digits: StarGAN on the bundled four-domain digits."""
ENTRY = {"config": "zoo_configs/stargan/digits.yaml", "set": []}


def evaluate(cfg, model, run_dir):
    """The translation figures on the 450 held-out digits in every domain (tfgan_zoo/metrics/translation.py)."""
    from tfgan_zoo.metrics.translation import evaluate_stargan, figure_records

    return figure_records(evaluate_stargan(model.translate, cfg.data.image_size))
