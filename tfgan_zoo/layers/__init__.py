"""Keras layers the stock library lacks; each is registered serializable with a complete get_config."""
from tfgan_zoo.layers.conditioning import (ClassEmbedding, ConditionalBatchNormalization, OneHotConcat,
                                           ProjectionDiscriminatorHead)

__all__ = ["ClassEmbedding", "ConditionalBatchNormalization", "OneHotConcat", "ProjectionDiscriminatorHead"]
