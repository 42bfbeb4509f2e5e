"""exports/infogan_mnist: InfoGAN on MNIST at 32x32 (categories matched to classes on the held-out split)."""
ENTRY = {"config": "zoo_configs/infogan/mnist32.yaml", "set": [], "digits": True, "judge": "mnist"}


def evaluate(cfg, model, run_dir):
    from tfgan_zoo.figures.families import infogan_figures
    return infogan_figures(cfg, model.data_info, model)
