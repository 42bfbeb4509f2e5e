"""zoo_configs/dcgan/stacked_mnist.yaml trains end to end, unpacked and with PacGAN's packs of 2."""
import pytest

from tfgan_zoo.config import load_config
from tfgan_zoo.train import train


@pytest.mark.parametrize("pack", [1, 2])
def test_stacked_mnist_config_trains_a_few_steps(tmp_path, pack):
    overrides = ["train.epochs=1", "train.steps_per_epoch=2", f"data.batch_size={8 * pack}",
                 "data.options.num_examples=64", "data.shuffle_buffer=64", "generator.base_filters=8"]
    if pack > 1:
        overrides.append(f"discriminator.pack={pack}")
    cfg = load_config("zoo_configs/dcgan/stacked_mnist.yaml", overrides=overrides)
    train(cfg, str(tmp_path / f"p{pack}"))
    assert any((tmp_path / f"p{pack}").iterdir())
