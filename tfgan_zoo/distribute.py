"""tf.distribute strategy by name: auto, default, one_device, mirrored, multi_worker, tpu."""
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
