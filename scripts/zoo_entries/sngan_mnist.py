"""exports/sngan_mnist: SNGAN (standard CNN at half width, paper-form spectral norm) on MNIST at 32x32, judged by the MNIST judge."""
ENTRY = {"config": "zoo_configs/sngan/mnist.yaml", "set": [], "digits": True, "judge": "mnist"}
