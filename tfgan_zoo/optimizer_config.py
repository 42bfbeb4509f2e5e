"""The settings of a family's named optimizers (`d`, `g`, and e.g. `c`): checks and resolution.

Three sources set them, and the user's word always beats the family's:

1. the flat train keys `optimizer`, `beta_1`, `beta_2` (every optimizer), `g_learning_rate`
   (`g`) and `d_learning_rate` (`d`, and the base of every other optimizer), with the family's
   `train_defaults` under the user's values;
2. the family's `optimizer_defaults` {name: {setting: value}} (CycleGAN's linear decay);
3. `train.optimizers` {name: {setting: value}}, the user's per-optimizer settings.

`fold_family_defaults` (called by config.from_dict) writes the family's optimizer_defaults
into `train.optimizers`, except the settings the user gave, flat or per optimizer: a family
default learning rate for `d` does not beat a user's `train.d_learning_rate`. After it the
config holds every resolved value (`to_dict`, a run's config.yaml, `tfgan-zoo list --defaults`
show them) and `optimizer_settings` needs no family: flat keys, then `train.optimizers`.
"""
import math

from tfgan_zoo.coerce import number

OPTIMIZERS = ("adam", "rmsprop", "sgd")
SCHEDULES = ("constant", "linear_decay", "cosine")
OPTIMIZER_KEYS = ("optimizer", "learning_rate", "beta_1", "beta_2", "rho", "schedule", "decay_start")
#: RMSprop's decay of the squared-gradient average when unset (Keras's; PyTorch's alpha is 0.99)
RHO = 0.9


def check_optimizer_value(where, key, value):
    """`value` of optimizer setting `key` (numbers may be numeric strings: "2e-4"), checked."""
    if key not in ("optimizer", "schedule"):
        value = number(value, float) if number(value, float) is not None else value
    real = isinstance(value, float) and math.isfinite(value)
    ok = {"optimizer": value in OPTIMIZERS, "schedule": value in SCHEDULES,
          "learning_rate": real and value > 0,
          "beta_1": real and 0 <= value < 1, "beta_2": real and 0 <= value < 1,
          "rho": real and 0 <= value < 1,
          "decay_start": real and 0 <= value <= 1}[key]
    if not ok:
        expected = {"optimizer": f"one of {OPTIMIZERS}", "schedule": f"one of {SCHEDULES}",
                    "learning_rate": "a number > 0", "decay_start": "a number in [0, 1]"}.get(
                        key, "a number in [0, 1)")
        raise ValueError(f"{where}: {value!r} must be {expected}")
    return value


def _flat_settings(name):
    """{flat train key: optimizer setting} of the flat keys that name optimizer `name`."""
    out = {"optimizer": "optimizer", "beta_1": "beta_1", "beta_2": "beta_2"}
    if name in ("g", "d"):
        out[f"{name}_learning_rate"] = "learning_rate"
    return out


def fold_family_defaults(train, family_defaults, user_train):
    """Write the family's `optimizer_defaults` into `train.optimizers` below the user's values.

    `user_train`: the train section as the user wrote it (file and --set), which tells the
    flat keys the user set from the ones that hold a default."""
    train.optimizers = {name: dict(spec) for name, spec in train.optimizers.items()}  # not the user's
    for name, defaults in family_defaults.items():
        user_given = {setting for key, setting in _flat_settings(name).items() if key in user_train}
        spec = train.optimizers.setdefault(name, {})
        for key, value in defaults.items():
            if key not in user_given and key not in spec:
                spec[key] = check_optimizer_value(f"optimizer_defaults.{name}.{key}", key, value)
    return train


def optimizer_settings(cfg, name):
    """The resolved settings of optimizer `name`: the flat train keys (g_learning_rate for `g`,
    d_learning_rate for every other), then train.optimizers[name] (which holds the family's
    optimizer_defaults once the config is built by from_dict); `rho` is read by rmsprop only."""
    t = cfg.train
    out = {"optimizer": t.optimizer, "beta_1": t.beta_1, "beta_2": t.beta_2,
           "learning_rate": t.g_learning_rate if name == "g" else t.d_learning_rate,
           "rho": RHO, "schedule": "constant", "decay_start": 0.5}
    out.update(t.optimizers.get(name, {}))
    return out
