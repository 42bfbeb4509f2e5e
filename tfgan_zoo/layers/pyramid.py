"""Laplacian pyramid of NHWC images (Burt & Adelson 1983; LapGAN, Denton et al. 2015).

    down(x)  2x2 average pooling: size s -> s/2 (bilinear 2x downsampling with half-pixel
             centres, the resize LapGAN's reference code uses)
    up(x)    bilinear 2x upsampling with half-pixel centres and replicated edges: output pixel
             2i is 3/4 x[i] + 1/4 x[i-1], pixel 2i+1 is 3/4 x[i] + 1/4 x[i+1], per axis
    pyramid(x, levels) = [h_0, ..., h_{L-2}, g_{L-1}] with g_0 = x, g_{k+1} = down(g_k) and the
             band-pass residuals h_k = g_k - up(g_{k+1}); the last entry is the coarse image
    reconstruct(p): g = p[-1]; for h in p[-2::-1]: g = up(g) + h

reconstruct(pyramid(x)) returns x bit for bit when the pixel values lie on a grid of 2^-k steps
with few enough bits (8-bit images scaled as k/128 - 1, the raw digits): every weight is a power
of two, so no step rounds. Otherwise it is x to within one rounding (~1 ulp). scikit-image's
pyramid_laplacian is not used: its residuals are not those of its own expand step, so its
pyramid does not reconstruct the input (scikit-image issue 7921).

The functions use keras.ops and work on tensors and NumPy arrays alike; the same operators
serve training (the real pyramid), generation (upsampling each level's input) and export.
"""
from keras import ops


def _check(images, what):
    if len(images.shape) != 4:
        raise ValueError(f"{what} expects NHWC images, got shape {tuple(images.shape)}")


def downsample(images):
    """[B, H, W, C] -> [B, H/2, W/2, C], the mean of each 2x2 block (H, W even)."""
    images = ops.convert_to_tensor(images)
    _check(images, "downsample")
    height, width = images.shape[1], images.shape[2]
    if (height is not None and height % 2) or (width is not None and width % 2):
        raise ValueError(f"downsample halves H and W: they must be even, got {height}x{width}")
    return ops.average_pool(images, 2, 2, padding="valid")


def _upsample_axis(x, axis):
    """Double `x` along `axis` (1 or 2) with the 3/4, 1/4 taps and replicated edges."""
    length = x.shape[axis]
    take = lambda start, stop: ops.take(x, ops.arange(start, stop), axis=axis)  # noqa: E731
    edge_before = ops.concatenate([take(0, 1), take(0, length - 1)], axis=axis)   # x[i-1], x[-1] := x[0]
    edge_after = ops.concatenate([take(1, length), take(length - 1, length)], axis=axis)  # x[i+1]
    even = 0.75 * x + 0.25 * edge_before
    odd = 0.75 * x + 0.25 * edge_after
    both = ops.stack([even, odd], axis=axis + 1)                  # [..., L, 2, ...]
    shape = list(ops.shape(x))
    shape[axis] = 2 * length
    return ops.reshape(both, shape)


def upsample(images):
    """[B, H, W, C] -> [B, 2H, 2W, C], bilinear with half-pixel centres (tf.image.resize's
    "bilinear" for a factor of 2), separable, edges replicated."""
    images = ops.convert_to_tensor(images)
    _check(images, "upsample")
    if images.shape[1] is None or images.shape[2] is None:
        raise ValueError("upsample needs static H and W")
    return _upsample_axis(_upsample_axis(images, 1), 2)


def pyramid(images, levels):
    """[h_0 (full size), ..., h_{levels-2}, coarse (size / 2^(levels-1))]; levels >= 1."""
    if int(levels) < 1:
        raise ValueError(f"a pyramid has at least one level, got {levels}")
    images = ops.convert_to_tensor(images)
    _check(images, "pyramid")
    bands = []
    current = images
    for _ in range(int(levels) - 1):
        coarser = downsample(current)
        bands.append(current - upsample(coarser))
        current = coarser
    return bands + [current]


def reconstruct(bands):
    """The image a pyramid (as returned by `pyramid`) was built from."""
    bands = list(bands)
    if not bands:
        raise ValueError("reconstruct needs at least the coarse level")
    image = ops.convert_to_tensor(bands[-1])
    for residual in reversed(bands[:-1]):
        image = upsample(image) + residual
    return image


def gaussian_levels(images, levels):
    """[g_0 = images, g_1 = down(g_0), ..., g_{levels-1}]: the image at every level."""
    out = [ops.convert_to_tensor(images)]
    for _ in range(int(levels) - 1):
        out.append(downsample(out[-1]))
    return out
