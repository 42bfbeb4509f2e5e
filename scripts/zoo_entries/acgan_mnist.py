"""exports/acgan_mnist: ACGAN on MNIST at 32x32, judged by the MNIST judge (per-class KID as its diversity guard)."""
ENTRY = {"config": "zoo_configs/acgan/mnist.yaml", "set": [], "digits": True, "judge": "mnist"}


def evaluate(cfg, model, run_dir):
    from tfgan_zoo.figures.families import class_conditional_figures
    return class_conditional_figures(cfg, model.data_info, model)
