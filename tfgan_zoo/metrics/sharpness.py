"""Sharpness: the mean absolute Laplacian of samples over that of real images at the same size.

    sharpness(samples, real_images) -> {"value": ratio, "samples": ..., "real": ..., ...}

Real data scores 1.0 by construction; blurry samples score below 1, speckled or striped ones
(salt-and-pepper noise, checkerboard artefacts) above. The zoo's bar is SHARPNESS_BAR.
The Laplacian is the 4-neighbour stencil on the interior pixels (no padding, so image borders add
nothing), on grayscale (the mean of the channels), in the images' [-1, 1] units. Real images of
another size are resized to the samples' size first (bilinear, antialiased: the zoo's resize),
as the figure compares like with like.
"""
import numpy as np

from tfgan_zoo.errors import UserError

SHARPNESS_BAR = (0.6, 1.5)


def _gray(images, what):
    images = np.asarray(images, np.float64)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[1] < 3 or images.shape[2] < 3 or not len(images):
        raise UserError(f"{what} must be NHWC images of at least 3x3 pixels, got shape {images.shape}")
    return images.mean(axis=-1)


def laplacian(images):
    """4-neighbour Laplacian of the interior pixels: [N, H, W(, C)] -> [N, H - 2, W - 2]."""
    x = _gray(images, "images")
    return (x[:, :-2, 1:-1] + x[:, 2:, 1:-1] + x[:, 1:-1, :-2] + x[:, 1:-1, 2:]
            - 4.0 * x[:, 1:-1, 1:-1])


def mean_abs_laplacian(images):
    return float(np.abs(laplacian(images)).mean())


def sharpness(samples, real_images):
    """{"value": mean |Laplacian| of samples / the same of real images at the samples' size,
    "samples", "real" (the two means), "image_size", "num_fake", "num_real", "bar"}."""
    samples = np.asarray(samples, np.float32)
    real = np.asarray(real_images, np.float32)
    _gray(samples, "samples")
    _gray(real, "real images")
    size = samples.shape[1:3]
    if real.shape[1:3] != size:
        import tensorflow as tf

        real = tf.image.resize(real if real.ndim == 4 else real[..., None], size, method="bilinear",
                               antialias=True).numpy()
    ref = mean_abs_laplacian(real)
    if ref == 0:
        raise UserError("the real images are flat (zero Laplacian): sharpness has no reference")
    fake = mean_abs_laplacian(samples)
    return {"value": fake / ref, "samples": fake, "real": ref, "image_size": list(size),
            "num_fake": int(len(samples)), "num_real": int(len(real)), "bar": list(SHARPNESS_BAR)}
