"""The exponential moving average of the generator (model.params.ema_decay from ema_start;
before ema_start the copy follows the generator exactly), updated once per step for all
replicas in a merge call."""
import tensorflow as tf


def update_ema(model):
    """One EMA step of the copy towards the network of model.ema_roles (its BatchNorm
    statistics are copied; sampling recomputes standing statistics, models/sampling.py)."""
    start, target = model.params.ema_start, model.params.ema_decay
    step = model.step
    source = getattr(model, model.ema_roles[0])
    pairs = list(zip(model.ema_generator.trainable_variables, source.trainable_variables))
    copies = list(zip(model.ema_generator.non_trainable_variables, source.non_trainable_variables))

    def update(strategy):
        # before ema_start the copy follows G exactly (decay 0); `step` is this step's index
        decay = tf.where(tf.convert_to_tensor(step.value) >= start, target, 0.0)
        for ema, var in pairs:
            strategy.extended.update(
                ema.value, lambda e, v: e.assign(decay * e + (1.0 - decay) * v),
                args=(var.value,))
        for ema, var in copies:
            strategy.extended.update(ema.value, lambda e, v: e.assign(v), args=(var.value,))

    tf.distribute.get_replica_context().merge_call(update)
