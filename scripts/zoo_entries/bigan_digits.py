"""exports/bigan_digits: BiGAN on the bundled digits (G(E(x)) class preservation, linear probe on E(x))."""
ENTRY = {"config": "zoo_configs/bigan/digits.yaml", "set": [], "digits": True}


def evaluate(cfg, model, run_dir):
    from tfgan_zoo.figures.families import bigan_figures
    return bigan_figures(cfg, model.data_info, model)
