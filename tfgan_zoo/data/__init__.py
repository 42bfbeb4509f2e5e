"""tf.data builders found by name: `build_dataset("tfds:mnist", image_size=32)`.

Importing this package registers every builder in `tfgan_zoo.registry.DATASETS`:
digits, stacked_digits, mnist, stacked_mnist, tfds:<name>, folder:<path>, pairs:<path>, edges2photos, ring, grid,
unpaired:<dirA>,<dirB>, digits_unpaired, digits_domains.
"""
from tfgan_zoo.data import digit_domains, digits, edges, folder, points, tfds_source, unpaired  # noqa: F401
from tfgan_zoo.data import mnist, stacked  # noqa: F401  (register "mnist", "stacked_digits", "stacked_mnist")
from tfgan_zoo.data.core import DataInfo, build_dataset
from tfgan_zoo.data.stream import make_training_stream

__all__ = ["DataInfo", "build_dataset", "make_training_stream"]
