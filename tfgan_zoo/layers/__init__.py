"""Keras layers the stock library lacks; each is registered serializable with a complete get_config."""
from tfgan_zoo.layers.attention import SelfAttention
from tfgan_zoo.layers.conditioning import (ClassEmbedding, ConditionalBatchNormalization, OneHotConcat,
                                           ProjectionDiscriminatorHead)
from tfgan_zoo.layers.conditioning_augmentation import ConditioningAugmentation
from tfgan_zoo.layers.spectral_norm import SpectralNorm

__all__ = ["ClassEmbedding", "ConditionalBatchNormalization", "ConditioningAugmentation", "OneHotConcat",
           "ProjectionDiscriminatorHead", "SelfAttention", "SpectralNorm"]
