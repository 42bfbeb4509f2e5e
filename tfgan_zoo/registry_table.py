"""Which module registers which name, for every part of the package (kind -> module -> names).

A lookup imports only the module named here (`registry.py`); nothing is imported to list or
check names, so the config checks a family name before TensorFlow is imported. A new part adds
its line here next to its `@FAMILIES.register("name")` decorator; tests/test_registry.py
fails naming the module if the two disagree. Other packages declare their names with entry
points instead (see registry.py).
"""

TABLE = {
    "family": {
        "tfgan_zoo.models.began": ("began",),
        "tfgan_zoo.models.bigan": ("bigan",),
        "tfgan_zoo.models.biggan": ("biggan",),
        "tfgan_zoo.models.conditional": ("acgan", "cgan"),
        "tfgan_zoo.models.cyclegan": ("cyclegan",),
        "tfgan_zoo.models.dcgan": ("dcgan",),
        "tfgan_zoo.models.divergence": ("dragan", "fgan", "gan", "lsgan", "nsgan", "ragan",
                                        "rsgan", "sngan", "wgan", "wgan_gp"),
        "tfgan_zoo.models.ebgan": ("ebgan",),
        "tfgan_zoo.models.infogan": ("infogan",),
        "tfgan_zoo.models.lapgan": ("lapgan",),
        "tfgan_zoo.models.pix2pix": ("pix2pix",),
        "tfgan_zoo.models.progan": ("progan",),
        "tfgan_zoo.models.sagan": ("sagan",),
        "tfgan_zoo.models.stackgan": ("stackgan",),
        "tfgan_zoo.models.stargan": ("stargan",),
        "tfgan_zoo.models.stylegan": ("stylegan",),
        "tfgan_zoo.models.triplegan": ("triplegan",),
    },
    "network": {
        "tfgan_zoo.networks.autoencoder": ("autoencoder", "mlp_autoencoder"),
        "tfgan_zoo.networks.bigan": ("conv_encoder", "joint_discriminator", "mlp_encoder",
                                     "mlp_joint_discriminator"),
        "tfgan_zoo.networks.biggan": ("biggan_discriminator", "biggan_generator"),
        "tfgan_zoo.networks.conditional": ("acgan_discriminator", "conditional_discriminator",
                                           "conditional_generator", "conv_classifier",
                                           "infogan_discriminator"),
        "tfgan_zoo.networks.dcgan": ("dcgan_discriminator", "dcgan_generator"),
        "tfgan_zoo.networks.goodfellow": ("goodfellow_discriminator", "goodfellow_generator"),
        "tfgan_zoo.networks.infogan": ("infogan_mnist_discriminator", "infogan_mnist_generator"),
        "tfgan_zoo.networks.lapgan": ("lapgan_coarse_generator", "lapgan_discriminator",
                                      "lapgan_residual_generator"),
        "tfgan_zoo.networks.minibatch": ("dcgan_discriminator_mbd", "mlp_discriminator_mbd"),
        "tfgan_zoo.networks.mlp": ("mlp_discriminator", "mlp_generator"),
        "tfgan_zoo.networks.pacgan": ("pacgan_discriminator", "pacgan_encoder", "pacgan_generator",
                                      "pacgan_joint_discriminator"),
        "tfgan_zoo.networks.pix2pix": ("patchgan", "unet"),
        "tfgan_zoo.networks.progan": ("progan_discriminator", "progan_generator"),
        "tfgan_zoo.networks.resnet": ("resnet_generator",),
        "tfgan_zoo.networks.sagan": ("sagan_discriminator", "sagan_generator"),
        "tfgan_zoo.networks.sngan": ("sngan_cnn_discriminator", "sngan_cnn_generator"),
        "tfgan_zoo.networks.stackgan": ("stackgan_discriminator", "stackgan_stage1_generator",
                                        "stackgan_stage2_generator"),
        "tfgan_zoo.networks.stargan": ("stargan_discriminator",),
        "tfgan_zoo.networks.stylegan": ("stylegan_generator", "stylegan_mapping",
                                        "stylegan_synthesis"),
        "tfgan_zoo.networks.unrolled": ("unrolled_discriminator", "unrolled_generator"),
    },
    "loss": {
        # the adversarial losses are registered together in losses/__init__.py
        "tfgan_zoo.losses": ("ebgan", "fgan", "hinge", "least_squares", "minimax",
                             "nonsaturating", "ragan", "rahinge", "ralsgan", "rsgan", "rshinge",
                             "rslsgan", "wasserstein"),
        "tfgan_zoo.models.began": ("began",),
    },
    "regularizer": {
        "tfgan_zoo.losses": ("consistency", "dragan", "feature_matching", "gradient_penalty",
                             "historical_averaging", "lipschitz_penalty", "orthogonal", "r1",
                             "r2", "weight_clipping"),
        "tfgan_zoo.losses.drift": ("drift",),
        "tfgan_zoo.losses.lecam": ("lecam",),
    },
    "dataset": {
        "tfgan_zoo.data.digit_domains": ("digits_domains", "digits_unpaired"),
        "tfgan_zoo.data.digits": ("digits",),
        "tfgan_zoo.data.mnist": ("mnist",),
        "tfgan_zoo.data.stacked": ("stacked_digits", "stacked_mnist"),
        "tfgan_zoo.data.edges": ("edges2photos",),
        "tfgan_zoo.data.folder": ("folder", "pairs"),
        "tfgan_zoo.data.points": ("grid", "ring"),
        "tfgan_zoo.data.tfds_source": ("tfds",),
        "tfgan_zoo.data.unpaired": ("unpaired",),
    },
}
