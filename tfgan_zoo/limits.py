"""Size guards: estimate what a request needs before allocating it, refuse with one line.

A config or command that asks for more memory than the machine has (a 1024-pixel digits run,
a 1000 x 1000 sample grid, a billion samples) used to grow for minutes and end in an
out-of-memory kill or a ResourceExhausted traceback. Each check here compares a LOWER BOUND of
what the request needs (the in-memory dataset; the activations a train step keeps for
backpropagation, counted from the networks' layer output shapes; the samples and the picture
a grid or `sample` draws; the features an evaluation keeps) with the memory available, so it
never refuses what would fit.

Available memory: MemAvailable (/proc/meminfo), or the cgroup limit when lower (containers),
or the TFGAN_ZOO_MEMORY_LIMIT environment variable (bytes, or with a K/M/G/T suffix).
"""
import os

from tfgan_zoo.errors import UserError

FLOAT_BYTES = 4
_SUFFIX = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def _read(path):
    try:
        with open(path, encoding="ascii") as fh:
            return fh.read().strip()
    except OSError:
        return None


def available_bytes():
    """Memory this process may still allocate, in bytes (None when unknown)."""
    given = os.environ.get("TFGAN_ZOO_MEMORY_LIMIT", "").strip().upper().rstrip("B")
    if given:
        try:
            return int(float(given[:-1] if given[-1:] in _SUFFIX else given)
                       * _SUFFIX.get(given[-1:] if given[-1:].isalpha() else "", 1))
        except ValueError:
            raise UserError(f"TFGAN_ZOO_MEMORY_LIMIT={given!r}: expected bytes, e.g. 8G") from None
    found = []
    meminfo = _read("/proc/meminfo") or ""
    for line in meminfo.splitlines():
        if line.startswith("MemAvailable:"):
            found.append(int(line.split()[1]) * 1024)
    limit, usage = _read("/sys/fs/cgroup/memory.max"), _read("/sys/fs/cgroup/memory.current")
    if limit and limit.isdigit() and usage and usage.isdigit():
        found.append(int(limit) - int(usage))
    if not found:
        try:
            found.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError, AttributeError):
            return None
    return max(0, min(found))


def human(nbytes):
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if nbytes < 1024 or unit == "TB":
            return f"{nbytes:.0f} {unit}" if unit == "B" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024.0
    return f"{nbytes:.1f} PB"


def check_memory(nbytes, what, hint=""):
    """UserError (one line) when `what`, needing at least `nbytes`, cannot fit in memory."""
    available = available_bytes()
    if available is not None and nbytes > available:
        raise UserError(f"{what} needs at least {human(nbytes)} of memory, more than the "
                        f"{human(available)} available{'; ' + hint if hint else ''}")


def per_example_floats(network, peak=False):
    """Floats one example's activations take in a Keras network: the sum of every leaf
    layer's output sizes (what backpropagation keeps; nested models counted through their
    layers), or with peak=True the largest one (what inference needs at least)."""
    import keras
    total = largest = 0
    for layer in network._flatten_layers(include_self=False, recursive=True):  # noqa: SLF001
        if isinstance(layer, (keras.Model, keras.layers.InputLayer)):
            continue
        for node in getattr(layer, "_inbound_nodes", []):
            for tensor in keras.tree.flatten(node.output_tensors):
                dims = tuple(tensor.shape)[1:]
                if all(isinstance(d, int) for d in dims):
                    size = 1
                    for d in dims:
                        size *= d
                    total += size
                    largest = max(largest, size)
    return largest if peak else total


def check_training_memory(model, batch, grid_images=0):
    """A train step and the sample grid must fit. The generator's update keeps G's and D's
    activations on the batch for the gradients at once (the declared EMA role and critic; a
    family without them: its largest network's); the grid needs at least the generator's largest layer output for every
    sample, and the images and the picture."""
    roles = {role: per_example_floats(getattr(model, role)) for role in model.network_roles}
    pair = [roles[r] for r in (*model.ema_roles[:1], *model.critic_roles[:1]) if r in roles]
    per_example = sum(pair) if len(pair) == 2 else max(roles.values(), default=0)
    step = FLOAT_BYTES * batch * per_example
    check_memory(step, f"a train step at batch {batch} ({human(step / batch)} of activations "
                       "an example)", "lower data.batch_size or data.image_size, or the "
                                      "networks' widths")
    if grid_images and model.samples:
        from tfgan_zoo.imaging import grid_bytes
        generator = model.export_generator()
        shape = tuple(int(d) for d in generator.outputs[0].shape[1:])
        size = 1
        for d in shape:
            size *= d
        grid = grid_images * FLOAT_BYTES * (per_example_floats(generator, peak=True) + size) \
            + grid_bytes(grid_images, shape)
        check_memory(grid, f"a sample grid of {grid_images} images (train.grid_size)",
                     "lower train.grid_size")


def check_picture(num, shape):
    """`num` samples of `shape` (float) and the picture of them (imaging.grid_bytes, and its
    uint8 tiles) must fit."""
    from tfgan_zoo.imaging import grid_bytes
    size = 1
    for d in shape:
        size *= int(d)
    check_memory(int(num) * size * (FLOAT_BYTES + 1) + 2 * grid_bytes(num, shape),
                 f"a picture of {num} samples", "lower --num")
