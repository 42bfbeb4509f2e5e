"""exports/acgan_digits: ACGAN on the bundled digits (per-class KID as its diversity guard)."""
ENTRY = {"config": "zoo_configs/acgan/digits.yaml", "set": [], "digits": True}


def evaluate(cfg, model, run_dir):
    from tfgan_zoo.figures.families import class_conditional_figures
    return class_conditional_figures(cfg, model.data_info, model)
