"""What a resumed run may change: the keys of RESUMABLE (learning rates, schedules, betas,
epochs, checkpoint / sample frequency, ...), none of which changes a variable's shape or the
data order. `resume_changes` tells them from the ones that would make it another run."""
import json

#: keys a resumed run may change (section -> keys; "*": every key)
RESUMABLE = {"train": {"epochs", "verbose", "g_learning_rate", "d_learning_rate", "beta_1",
                       "beta_2", "checkpoint_every", "keep_checkpoints", "sample_every",
                       "grid_size", "steps_per_execution", "jit_compile", "strategy",
                       "max_weight"},
             "export": {"*"}}
#: keys of train.optimizers.<name> a resumed run may change (not `optimizer`: its slots differ)
RESUMABLE_OPTIMIZER_KEYS = {"learning_rate", "beta_1", "beta_2", "rho", "schedule", "decay_start"}


def _flat(d, prefix=""):
    """{dotted key: value} of the leaves; an empty mapping is no leaf (a run saved with
    `optimizers: {}` and one whose family defaults fill `optimizers.g` differ by those keys
    only)."""
    out = {}
    for key, value in (d or {}).items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _resumable(key):
    parts = key.split(".")
    if parts[:2] == ["train", "optimizers"]:
        return len(parts) == 4 and parts[3] in RESUMABLE_OPTIMIZER_KEYS
    allowed = RESUMABLE.get(parts[0], ())
    return len(parts) > 1 and ("*" in allowed or parts[1] in allowed)


def resume_changes(old, new):
    """(changed, blocking) between the config dict a run was started with and a new one: each
    {dotted key: (old value, new value)}; `blocking` holds the keys not in RESUMABLE."""
    old, new = _flat(json.loads(json.dumps(old))), _flat(json.loads(json.dumps(new)))
    changed = {k: (old.get(k), new.get(k)) for k in sorted(set(old) | set(new))
               if old.get(k) != new.get(k)}
    return changed, {k: v for k, v in changed.items() if not _resumable(k)}
