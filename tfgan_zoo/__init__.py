"""tfgan_zoo: the GAN model zoo for TensorFlow 2 and Keras 3."""
import os as _os

_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__version__ = "0.1.0"
