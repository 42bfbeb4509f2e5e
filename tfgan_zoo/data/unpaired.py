"""`unpaired:<dirA>,<dirB>` and `unpaired:<dir>`: two image folders as two independent streams.

The builder returns {"a": Dataset, "b": Dataset} (DataInfo.streams = ("a", "b")); the
training stream shuffles each on its own, so the pairing of A and B is never fixed.

    unpaired:<dirA>,<dirB>   each folder is read like `folder:` (its <split> subfolder when
                             there is one, else the folder itself as "train")
    unpaired:<dir>           the CycleGAN datasets' layout: <dir>/<split>A and <dir>/<split>B
                             (trainA, trainB, testA, testB)

Each domain gets every check of `folder:` (decodable files, sizes, image_size), and the two
must agree on the image size.
"""
import pathlib

from tfgan_zoo.data.core import DataInfo
from tfgan_zoo.data.folder import folder_dataset
from tfgan_zoo.errors import ConfigError, DataError
from tfgan_zoo.registry import DATASETS


def domain_folders(arg, split):
    """(path A, path B, split to read inside them) for the spec's argument."""
    parts = arg.split(",")
    if len(parts) == 2 and all(p.strip() for p in parts):
        return parts[0].strip(), parts[1].strip(), split
    if len(parts) == 1:
        root = pathlib.Path(arg.strip()).expanduser()
        a, b = root / f"{split}A", root / f"{split}B"
        if not (a.is_dir() and b.is_dir()):
            raise DataError(f"unpaired:{arg}: one folder needs {split}A and {split}B subfolders for split "
                            f"{split!r}; or name the two folders: unpaired:<dirA>,<dirB>")
        return str(a), str(b), "train"  # the folders are the split
    raise DataError(f"unpaired:{arg}: expected two folders separated by one comma, 'unpaired:<dirA>,<dirB>'")


@DATASETS.register("unpaired")
def build_unpaired(arg, image_size=None, channels=None, split="train", allow_upscale: bool = False):
    """Unpaired domains A and B from two image folders: streams {"a": ..., "b": ...} of {"real"}.

    allow_upscale: permit an image_size larger than the smallest image's shorter side.
    image_size None needs all images of both folders to share one square size. channels None:
    1 when every file of both folders is grayscale, else 3.
    """
    if not arg:
        raise ConfigError("dataset 'unpaired' needs two folders: write 'unpaired:<dirA>,<dirB>' or 'unpaired:<dir>'")
    path_a, path_b, inner_split = domain_folders(arg, split)
    where = f"unpaired:{arg}"
    ds_a, info_a = folder_dataset(f"{where} (A)", path_a, image_size, channels, inner_split, allow_upscale)
    ds_b, info_b = folder_dataset(f"{where} (B)", path_b, image_size, channels, inner_split, allow_upscale)
    if info_a.shape[-1] != info_b.shape[-1]:  # channels inferred: one gray domain, one colour -> both RGB
        if info_a.shape[-1] == 1:
            ds_a, info_a = folder_dataset(f"{where} (A)", path_a, image_size, 3, inner_split, allow_upscale)
        else:
            ds_b, info_b = folder_dataset(f"{where} (B)", path_b, image_size, 3, inner_split, allow_upscale)
    if info_a.shape != info_b.shape:
        raise DataError(f"{where}: the domains differ in size (A {info_a.shape[0]} px, B {info_b.shape[0]} px); "
                        f"pass image_size")
    counts = {"a": info_a.num_examples, "b": info_b.num_examples}
    info = DataInfo(name=where, kind="images", shape=info_a.shape, num_examples=counts["a"], streams=("a", "b"),
                    extra={"stream_examples": counts})
    return {"a": ds_a, "b": ds_b}, info
