"""exports/cgan_mnist: cGAN with one-hot concat conditioning on MNIST at 32x32, judged by the MNIST judge."""
ENTRY = {"config": "zoo_configs/cgan/mnist.yaml", "set": [], "digits": True, "judge": "mnist"}


def evaluate(cfg, model, run_dir):
    from tfgan_zoo.figures.families import class_conditional_figures
    return class_conditional_figures(cfg, model.data_info, model)
