"""exports/triplegan_digits: Triple-GAN on the bundled digits with 50 labels (C vs supervised-only C)."""
ENTRY = {"config": "zoo_configs/triplegan/digits.yaml", "set": [], "digits": True}


def evaluate(cfg, model, run_dir):
    from tfgan_zoo.figures.families import triplegan_figures
    return triplegan_figures(cfg, model.data_info, model)
