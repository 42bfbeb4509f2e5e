"""exports/cgan_digits: cGAN with one-hot concat conditioning on the bundled digits."""
ENTRY = {"config": "zoo_configs/cgan/digits.yaml", "set": [], "digits": True}


def evaluate(cfg, model, run_dir):
    from tfgan_zoo.figures.families import class_conditional_figures
    return class_conditional_figures(cfg, model.data_info, model)
