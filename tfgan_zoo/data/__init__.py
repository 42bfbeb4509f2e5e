"""tf.data builders found by name: `build_dataset("tfds:mnist", image_size=32)`.

The builders (digits, mnist, stacked_digits, stacked_mnist, tfds:<name>, folder:<path>,
pairs:<path>, edges2photos, ring, grid, unpaired:<dirA>,<dirB>, digits_unpaired,
digits_domains) register themselves in `tfgan_zoo.registry.DATASETS`, which imports the one
module a spec needs on lookup (registry_table.py).
"""
from tfgan_zoo.data.core import DataInfo, build_dataset
from tfgan_zoo.data.stream import make_training_stream

__all__ = ["DataInfo", "build_dataset", "make_training_stream"]
