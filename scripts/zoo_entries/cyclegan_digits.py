"""exports/cyclegan_digits: CycleGAN on the bundled unpaired digits (A: as they are, B: thick amber on navy)."""
ENTRY = {"config": "zoo_configs/cyclegan/digits.yaml", "set": []}


def evaluate(cfg, model, run_dir):
    """The translation figures on the 450 held-out digits (tfgan_zoo/figures/translation.py)."""
    from tfgan_zoo.data.digit_domains import DEFAULT_DOMAIN_B
    from tfgan_zoo.figures.translation import evaluate_cyclegan
    from tfgan_zoo.metrics.translation import figure_records

    figures = evaluate_cyclegan(model.translate_ab, model.translate_ba, cfg.data.image_size,
                                cfg.data.options.get("domain_b", DEFAULT_DOMAIN_B))
    return figure_records(figures)


def grid(export_path, cfg):
    """Held-out digits 0-9 in columns; rows: a, translate_ab(a), the true restyle of a,
    translate_ba(translate_ab(a)) — drawn through the export's signatures."""
    import tensorflow as tf

    from tfgan_zoo.data.digit_domains import DEFAULT_DOMAIN_B
    from tfgan_zoo.figures.translation import cyclegan_grid

    loaded = tf.saved_model.load(export_path)
    ab, ba = loaded.signatures["translate_ab"], loaded.signatures["translate_ba"]
    return cyclegan_grid(lambda x: ab(images=tf.constant(x))["images"].numpy(),
                         lambda x: ba(images=tf.constant(x))["images"].numpy(), image_size=cfg.data.image_size,
                         domain_b=cfg.data.options.get("domain_b", DEFAULT_DOMAIN_B))
