"""tf.distribute strategy by name: auto, default, one_device, mirrored, multi_worker, tpu.

Batch semantics: `data.batch_size` is the GLOBAL batch (what one step consumes over all
replicas of all workers); each replica gets batch_size / num_replicas_in_sync, and
`per_replica_batch` refuses a global batch that does not divide. Training streams carry the
DATA auto-shard policy (`shard_dataset`). Only the chief writes to the run directory
(`is_chief`); see docs/distributed.md.
"""
import tensorflow as tf

from tfgan_zoo.errors import ConfigError

STRATEGIES = ("auto", "default", "one_device", "mirrored", "multi_worker", "tpu")


def get_strategy(name="auto", devices=None):
    """Return a tf.distribute.Strategy.

    auto: MirroredStrategy over the visible GPUs when there are several, else the default
    strategy. mirrored: MirroredStrategy over `devices` (default: all GPUs, or the CPU).
    multi_worker: MultiWorkerMirroredStrategy configured from TF_CONFIG.
    tpu: TPUStrategy when a TPU cluster resolver finds one.
    """
    if name not in STRATEGIES:
        raise ConfigError(f"unknown strategy {name!r} (valid: {', '.join(STRATEGIES)})")
    if name == "auto":
        gpus = tf.config.list_logical_devices("GPU")
        return tf.distribute.MirroredStrategy() if len(gpus) > 1 else tf.distribute.get_strategy()
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "one_device":
        gpus = tf.config.list_logical_devices("GPU")
        return tf.distribute.OneDeviceStrategy(gpus[0].name if gpus else "/cpu:0")
    if name == "mirrored":
        return tf.distribute.MirroredStrategy(devices)
    if name == "multi_worker":
        from tfgan_zoo.compat import keras_multiworker
        keras_multiworker.apply()
        return tf.distribute.MultiWorkerMirroredStrategy()
    try:
        resolver = tf.distribute.cluster_resolver.TPUClusterResolver()
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
    except (ValueError, tf.errors.NotFoundError) as e:
        raise ConfigError(f"strategy 'tpu': no TPU found ({e})") from None
    return tf.distribute.TPUStrategy(resolver)


def is_chief():
    """True on the worker that writes checkpoints, samples and exports."""
    resolver = tf.distribute.cluster_resolver.TFConfigClusterResolver()
    task_type, task_id = resolver.task_type, resolver.task_id
    if not task_type:
        return True
    return task_type == "chief" or (task_type == "worker" and task_id == 0
                                    and "chief" not in resolver.cluster_spec().as_dict())


def per_replica_batch(global_batch, strategy):
    """The per-replica batch for a GLOBAL `data.batch_size`; ConfigError when it does not divide.

    `data.batch_size` is the global batch: the number of examples one training step consumes
    over all replicas and workers. Each replica sees global_batch / num_replicas_in_sync.
    """
    replicas = strategy.num_replicas_in_sync
    if global_batch % replicas:
        raise ConfigError(f"data.batch_size {global_batch} is the GLOBAL batch and must divide by "
                          f"the {replicas} replicas in sync (e.g. {replicas * max(1, global_batch // replicas)})")
    return global_batch // replicas


def shard_dataset(ds):
    """Set the auto-shard policy of a training stream to DATA.

    Our streams are generated and shuffled in memory (no files), so FILE sharding cannot
    apply; DATA makes every worker build the same seeded global batches and keep its own
    share of each, so a global batch holds no duplicates. MirroredStrategy / TPUStrategy on
    one worker split each global batch across replicas and ignore the policy.
    """
    opts = tf.data.Options()
    opts.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return ds.with_options(opts)


def task():
    """(task_type, task_id) from TF_CONFIG; (None, None) outside a cluster."""
    resolver = tf.distribute.cluster_resolver.TFConfigClusterResolver()
    return resolver.task_type or None, resolver.task_id


def global_mean(x):
    """Mean of x over the GLOBAL batch, inside a train step: under a strategy with several
    replicas, each replica's mean averaged over the replicas (per-replica batches are equal),
    so batch statistics match the one-device run. ReplicaContext.all_reduce is differentiable
    (its gradient is the same all-reduce of the upstream gradient), so summed replica
    gradients equal the one-device gradient."""
    mean = tf.reduce_mean(x)
    ctx = tf.distribute.get_replica_context()
    if ctx is not None and ctx.num_replicas_in_sync > 1:
        mean = ctx.all_reduce(tf.distribute.ReduceOp.MEAN, mean)
    return mean


def all_gather(x, axis=0):
    """x of every replica concatenated along `axis` (the global batch for axis 0), in replica
    order, inside a train step; x itself on one device. Differentiable (ReplicaContext.all_gather
    passes each replica the gradient slice of its own part)."""
    ctx = tf.distribute.get_replica_context()
    if ctx is not None and ctx.num_replicas_in_sync > 1:
        return ctx.all_gather(x, axis=axis)
    return x


def replica_rows(x):
    """This replica's rows of a global-batch tensor, inside a train step: the inverse of
    all_gather (rows r n .. (r + 1) n - 1 of replica r, n = rows / replicas); x on one device.
    State computed once on the global batch (CycleGAN's image pool) is handed back this way."""
    ctx = tf.distribute.get_replica_context()
    if ctx is None or ctx.num_replicas_in_sync == 1:
        return x
    n = tf.shape(x)[0] // ctx.num_replicas_in_sync
    start = ctx.replica_id_in_sync_group * n
    return x[start:start + n]
