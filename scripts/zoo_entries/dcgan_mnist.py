"""exports/dcgan_mnist: the DCGAN zoo config on MNIST at 32x32, judged by the MNIST judge."""
ENTRY = {"config": "zoo_configs/dcgan/mnist.yaml", "set": [], "digits": True, "judge": "mnist"}
