"""The reference DCGAN of ``keras_io_dcgan`` in PyTorch, eager mode, on the CPU.

Used only by the speed benchmark (no test runs it).  torch is an optional extra
(``pip install torch==2.13.0`` or ``pip install -e .[torch]``); it is imported
lazily, and a clear message is printed when it is missing.

Same network as ``benchmarks/reference/keras_io_dcgan.py`` (see its docstring;
defaults image_size=32, channels=1, latent_dim=64, base_filters=64, n=3)::

    G: Linear(64 -> 4*4*256, bias=False) -> view(256, 4, 4) -> BatchNorm2d -> ReLU
       -> ConvTranspose2d(256->128, 4, stride 2, padding 1, bias=False) -> BN -> ReLU  # 8x8
       -> ConvTranspose2d(128->64,  4, stride 2, padding 1, bias=False) -> BN -> ReLU  # 16x16
       -> ConvTranspose2d(64->channels, 4, stride 2, padding 1) -> tanh               # 32x32
    D: Conv2d(channels->64, 4, 2, 1) -> LeakyReLU(0.2)                                # 16x16
       -> Conv2d(64->128, 4, 2, 1, bias=False) -> BN -> LeakyReLU(0.2)                # 8x8
       -> Conv2d(128->256, 4, 2, 1, bias=False) -> BN -> LeakyReLU(0.2)               # 4x4
       -> Flatten -> Linear(4096 -> 1)  (logits)

(k=4, s=2, padding=1 gives exactly Keras' "same" sizes.)  Layout NCHW; the same
parameter counts as the Keras version (G 919,425 trainable, D 661,313).
BatchNorm momentum=0.01 / eps=1e-3 to match Keras' 0.99 / 1e-3.  PyTorch default
initialisers (they do not change the speed).  Training step as in the Keras
reference: D on cat(fake, real) with labels fake=1/real=0 plus 0.05*uniform
noise, BCE-with-logits, Adam(lr=1e-4); then G with a fresh latent and labels 0.
The generator runs in train mode under ``torch.no_grad()`` for the D step (the
Keras version computes the fakes outside the tape).

``train_steps(n, batch_size)`` times ``n`` steps on one constant synthetic
batch in [-1, 1] after a short warm-up and returns images/s = n * batch_size / s.

CLI: ``python -m benchmarks.reference.torch_dcgan --steps 20 --batch-size 64``
"""
from __future__ import annotations

import argparse
import math
import sys
import time

_MISSING = ("torch is not installed: the PyTorch reference DCGAN needs the optional extra "
            "(pip install torch==2.13.0, or pip install -e '.[torch]')")


def _torch():
    try:
        import torch
    except ImportError as e:
        raise ImportError(_MISSING) from e
    return torch


def _num_blocks(image_size):
    n = math.log2(image_size / 4)
    if image_size < 8 or n != int(n):
        raise ValueError(f"image_size must be a power of two >= 8, got {image_size}")
    return int(n)


def _bn(torch, c):
    return torch.nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)


def build_generator(image_size=32, channels=1, latent_dim=64, base_filters=64):
    torch = _torch()
    nn = torch.nn
    n = _num_blocks(image_size)
    filters = base_filters * 2 ** (n - 1)
    net = [nn.Linear(latent_dim, 4 * 4 * filters, bias=False),
           nn.Unflatten(1, (filters, 4, 4)),
           _bn(torch, filters), nn.ReLU()]
    for _ in range(n - 1):
        net += [nn.ConvTranspose2d(filters, filters // 2, 4, stride=2, padding=1, bias=False),
                _bn(torch, filters // 2), nn.ReLU()]
        filters //= 2
    net += [nn.ConvTranspose2d(filters, channels, 4, stride=2, padding=1), nn.Tanh()]
    return nn.Sequential(*net)


def build_discriminator(image_size=32, channels=1, base_filters=64):
    torch = _torch()
    nn = torch.nn
    n = _num_blocks(image_size)
    net, c_in = [], channels
    for i in range(n):
        c_out = base_filters * 2 ** i
        if i == 0:
            net += [nn.Conv2d(c_in, c_out, 4, stride=2, padding=1)]
        else:
            net += [nn.Conv2d(c_in, c_out, 4, stride=2, padding=1, bias=False), _bn(torch, c_out)]
        net += [nn.LeakyReLU(0.2)]
        c_in = c_out
    net += [nn.Flatten(), nn.Linear(c_in * 4 * 4, 1)]
    return nn.Sequential(*net)


class TorchGAN:
    """Generator, discriminator, their Adam optimizers and the training step."""

    def __init__(self, image_size=32, channels=1, latent_dim=64, base_filters=64):
        torch = _torch()
        self.torch = torch
        self.image_size, self.channels, self.latent_dim = image_size, channels, latent_dim
        self.generator = build_generator(image_size, channels, latent_dim, base_filters)
        self.discriminator = build_discriminator(image_size, channels, base_filters)
        self.generator.train()
        self.discriminator.train()
        self.d_optimizer = torch.optim.Adam(self.discriminator.parameters(), lr=1e-4)
        self.g_optimizer = torch.optim.Adam(self.generator.parameters(), lr=1e-4)
        self.loss_fn = torch.nn.BCEWithLogitsLoss()

    def train_step(self, real_images):
        torch = self.torch
        batch_size = real_images.shape[0]
        z = torch.randn(batch_size, self.latent_dim)
        with torch.no_grad():
            generated_images = self.generator(z)
        combined_images = torch.cat([generated_images, real_images], dim=0)
        labels = torch.cat([torch.ones(batch_size, 1), torch.zeros(batch_size, 1)], dim=0)
        labels = labels + 0.05 * torch.rand_like(labels)

        self.d_optimizer.zero_grad(set_to_none=True)
        d_loss = self.loss_fn(self.discriminator(combined_images), labels)
        d_loss.backward()
        self.d_optimizer.step()

        z = torch.randn(batch_size, self.latent_dim)
        misleading_labels = torch.zeros(batch_size, 1)
        self.g_optimizer.zero_grad(set_to_none=True)
        g_loss = self.loss_fn(self.discriminator(self.generator(z)), misleading_labels)
        g_loss.backward()
        self.g_optimizer.step()  # D's grads from this pass are dropped at its next zero_grad
        return {"d_loss": d_loss.detach(), "g_loss": g_loss.detach()}


def build(image_size=32, channels=1, latent_dim=64, base_filters=64):
    """The PyTorch reference GAN (same network as keras_io_dcgan.build)."""
    return TorchGAN(image_size, channels, latent_dim, base_filters)


def train_steps(n, batch_size, model=None, warmup=3, **build_kwargs):
    """Time ``n`` training steps; return images/s (real images)."""
    model = model if model is not None else build(**build_kwargs)
    torch = model.torch
    gen = torch.Generator().manual_seed(0)
    shape = (batch_size, model.channels, model.image_size, model.image_size)
    batch = torch.rand(shape, generator=gen) * 2 - 1
    for _ in range(max(0, warmup)):
        model.train_step(batch)
    start = time.perf_counter()
    for _ in range(n):
        logs = model.train_step(batch)
    elapsed = time.perf_counter() - start
    for key, value in logs.items():
        if not math.isfinite(float(value)):
            raise FloatingPointError(f"{key} is not finite: {float(value)}")
    return n * batch_size / elapsed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--image-size", type=int, default=32)
    ap.add_argument("--channels", type=int, default=1)
    ap.add_argument("--latent-dim", type=int, default=64)
    ap.add_argument("--base-filters", type=int, default=64)
    a = ap.parse_args(argv)
    try:
        torch = _torch()
    except ImportError as e:
        print(e, file=sys.stderr)
        return 2
    model = build(a.image_size, a.channels, a.latent_dim, a.base_filters)
    ips = train_steps(a.steps, a.batch_size, model=model)
    print(f"torch_dcgan: {ips:.1f} images/s ({a.steps} steps, batch {a.batch_size}, "
          f"{a.image_size}x{a.image_size}x{a.channels}, torch {torch.__version__}, "
          f"CPU threads {torch.get_num_threads()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
