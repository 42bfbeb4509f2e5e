"""Reflection padding of NHWC images, the border the CycleGAN / StarGAN ResNet generators use.

Keras has ZeroPadding2D but no reflection padding layer; keras.ops.pad(mode="reflect")
does the work (the mirror excludes the edge pixel, as numpy's and PyTorch's "reflect").
"""
import keras
from keras import ops


def _pair(padding):
    pair = (padding, padding) if not isinstance(padding, (tuple, list)) else tuple(padding)
    if len(pair) != 2 or any(isinstance(p, bool) or not isinstance(p, int) or p < 0 for p in pair):
        raise ValueError(f"ReflectionPadding2D: padding must be an int >= 0 or a pair of them, got {padding!r}")
    return pair


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ReflectionPadding2D(keras.layers.Layer):
    """[B, H, W, C] -> [B, H + 2 ph, W + 2 pw, C], mirroring the image at its borders.

    padding: p (both axes) or (ph, pw); each must be smaller than the side it pads.
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        self.padding = _pair(padding)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(f"ReflectionPadding2D expects NHWC inputs, got shape {input_shape}")
        for side, pad, axis in zip(input_shape[1:3], self.padding, ("height", "width")):
            if side is not None and pad >= side:
                raise ValueError(f"ReflectionPadding2D: padding {pad} needs a {axis} > {pad}, got {side}")
        self.built = True

    def call(self, inputs):
        ph, pw = self.padding
        return ops.pad(inputs, [[0, 0], [ph, ph], [pw, pw], [0, 0]], mode="reflect")

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape
        ph, pw = self.padding
        return (b, None if h is None else h + 2 * ph, None if w is None else w + 2 * pw, c)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}
