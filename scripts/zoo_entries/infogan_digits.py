"""exports/infogan_digits: InfoGAN on the bundled digits (categories matched to classes vs k-means)."""
ENTRY = {"config": "zoo_configs/infogan/digits.yaml", "set": [], "digits": True}


def evaluate(cfg, model, run_dir):
    from tfgan_zoo.figures.families import infogan_figures
    return infogan_figures(cfg, model.data_info, model)
