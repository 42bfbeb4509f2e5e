"""exports/wgan_gp_mnist: the WGAN-GP zoo config on MNIST at 32x32, judged by the MNIST judge."""
ENTRY = {"config": "zoo_configs/wgan_gp/mnist.yaml", "set": [], "digits": True, "judge": "mnist"}
