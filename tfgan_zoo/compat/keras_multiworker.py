"""Make ``model.fit`` work under ``MultiWorkerMirroredStrategy`` (MWMS) on Keras 3.15.1.

Symptom (Keras 3.15.1, TF 2.21, TF backend, >= 2 workers): ``model.fit`` of a
model under MWMS fails before or at the first step.  Two functions of
``keras/src/backend/tensorflow/trainer.py`` are at fault:

1. ``TensorFlowTrainer._maybe_symbolic_build(iterator=...)`` takes the first
   batch of the distributed dataset and, when its leaves are
   ``DistributedValues``, averages the *whole nested batch* with
   ``self.distribute_strategy.reduce("MEAN", batch, axis=None)``.  MWMS's
   ``reduce`` takes one value, not an ``(x, y)`` structure, and fails with
   ``ValueError: Attempt to convert a value (PerReplica:{...}) with an
   unsupported type (<class '...values.PerReplica'>) to a Tensor``.
   The batch is only used for its shapes and dtypes (``Trainer._symbolic_build``
   turns it into ``KerasTensor``s), and only when a layer, the compiled
   metrics or the compiled loss is still unbuilt.

2. ``reduce_per_replica(values, strategy, reduction)`` (module function, used
   by ``TensorFlowTrainer._make_function.one_step_on_data`` on the step's
   logs) reduces every value across workers with
   ``strategy.reduce("MEAN", v, axis=0)`` in multi-worker mode.  Logs are
   0-d (a loss, a metric result), so MWMS fails with ``InvalidArgumentError:
   Invalid reduction dimension 0 for input with 0 dimensions``.

What ``apply()`` patches (nothing else; both are module/class attributes of
``keras.src.backend.tensorflow.trainer``, restored by ``revert()``):

* ``TensorFlowTrainer._maybe_symbolic_build`` -- wrapped.  Only when given an
  ``iterator``, the strategy is MWMS in multi-worker mode: if the model, its
  compiled metrics and compiled loss are all built already (e.g. a GAN that
  sets ``self.built = True``) no batch is needed, so none is drawn and
  ``_symbolic_build(data_batch=None)`` runs (it still builds ``self.optimizer``
  and calls ``_post_build``); otherwise the first batch is drawn as upstream
  and each ``DistributedValues`` leaf is replaced by its first local replica
  value (same per-replica shape and dtype as upstream's MEAN, without a
  cross-worker collective).  Every other case calls the original.
* ``reduce_per_replica`` -- wrapped.  Only for MWMS in multi-worker mode with
  ``reduction`` "auto"/"mean": 0-d leaves are reduced with
  ``strategy.reduce("MEAN", v, axis=None)`` (the mean over replicas, which is
  what ``axis=0`` means for a batch dimension that a scalar does not have);
  every other leaf and every other case goes to the original.

``apply()`` patches only when the backend is TensorFlow, ``keras.__version__``
is in ``KNOWN_AFFECTED`` and ``needed()`` confirms the behaviour; it is
idempotent.  ``needed()`` probes the *original* upstream functions without a
cluster and without creating any TF tensor (so it is safe before the MWMS is
constructed): it calls them with a stand-in MWMS whose ``reduce`` only records
its arguments and reports whether Keras still asks MWMS to reduce a nested
batch (bug 1) or a 0-d value along ``axis=0`` (bug 2).  When a newer Keras
still shows the bug, ``apply()`` warns instead of patching: check the two
functions above and add the version to ``KNOWN_AFFECTED``.

Not covered (not a Keras bug): optimizers kept as model attributes (GANs) must
be built inside ``strategy.scope()`` before ``fit`` (``opt.build(vars)``),
otherwise their variables are created inside the replicated step function;
with ``MirroredStrategy`` that fails with "You must feed a value for
placeholder tensor ... cond/Placeholder".  Keras builds only ``self.optimizer``.
"""
from __future__ import annotations

import contextlib
import functools
import warnings

import numpy as np

KNOWN_AFFECTED = frozenset({"3.15.1"})

_ORIGINALS: dict = {}  # name -> original upstream function while patched
_MARK = "_tfgan_zoo_keras_multiworker_patch"


def _trainer_module():
    from keras.src.backend.tensorflow import trainer

    return trainer


def _is_multi_worker(strategy) -> bool:
    return bool(strategy is not None
                and _trainer_module()._collective_all_reduce_multi_worker(strategy))


def _rank(value):
    """Static rank of a tensor-like or of the first replica of a DistributedValues."""
    import tensorflow as tf

    if isinstance(value, tf.distribute.DistributedValues):
        value = value.values[0]
    shape = getattr(value, "shape", ())
    try:
        return tf.TensorShape(shape).rank
    except (TypeError, ValueError):
        return None


def _model_needs_data_batch(model) -> bool:
    """Mirror of the condition in ``keras/src/trainers/trainer.py::Trainer._symbolic_build``."""
    if not all(layer.built for layer in model._flatten_layers()):
        return True
    for attr in ("_compile_metrics", "_compile_loss"):
        obj = getattr(model, attr, None)
        if obj is not None and not obj.built:
            return True
    return False


def _patched_maybe_symbolic_build(self, iterator=None, data_batch=None):
    original = _ORIGINALS["_maybe_symbolic_build"]
    strategy = self._distribute_strategy
    if iterator is None or data_batch is not None or not _is_multi_worker(strategy):
        return original(self, iterator=iterator, data_batch=data_batch)
    if _model_needs_data_batch(self):
        import tensorflow as tf
        from keras import tree

        for _, _, it in iterator:
            data_batch = tree.map_structure(
                lambda v: (strategy.experimental_local_results(v)[0]
                           if isinstance(v, tf.distribute.DistributedValues) else v),
                next(it),
            )
            break
    with strategy.scope():
        self._symbolic_build(data_batch=data_batch)


def _patched_reduce_per_replica(values, strategy, reduction):
    original = _ORIGINALS["reduce_per_replica"]
    if reduction not in ("auto", "mean") or not _is_multi_worker(strategy):
        return original(values, strategy, reduction)
    from keras import tree

    def _reduce(v):
        if _rank(v) == 0:
            return strategy.reduce("MEAN", v, axis=None)
        return original(v, strategy, reduction)

    return tree.map_structure(_reduce, values)


# ----------------------------------------------------------------- detection
class _ReduceRecorder:
    """Records the arguments of ``strategy.reduce`` calls made by Keras."""

    def __init__(self):
        self.calls = []

    def __call__(self, reduce_op, value, axis=None):
        self.calls.append((reduce_op, value, axis))
        return value


def _probe_strategy(recorder):
    """A stand-in MWMS in multi-worker mode; no cluster, no TF op, never used to run."""
    import tensorflow as tf

    class _Extended:
        def _in_multi_worker_mode(self):
            return True

    class _ProbeMWMS(tf.distribute.MultiWorkerMirroredStrategy):
        # Shadows the properties/methods Keras uses; __init__ is never called.
        extended = _Extended()
        reduce = staticmethod(recorder)

        def scope(self):
            return contextlib.nullcontext()

    return object.__new__(_ProbeMWMS)


def _probe_symbolic_build(maybe_symbolic_build) -> bool:
    """True if the function asks the strategy to reduce a nested (x, y) batch."""
    import tensorflow as tf
    from tensorflow.python.distribute import values as tf_values

    recorder = _ReduceRecorder()
    strategy = _probe_strategy(recorder)
    batch = (tf_values.PerReplica((np.zeros((2, 2), np.float32),)),
             tf_values.PerReplica((np.zeros((2, 1), np.float32),)))

    class _FakeModel:
        _distribute_strategy = strategy
        distribute_strategy = strategy

        def _symbolic_build(self, iterator=None, data_batch=None):
            pass

    maybe_symbolic_build(_FakeModel(), iterator=[(0, 0, iter([batch]))])
    return any(not isinstance(value, (tf.distribute.DistributedValues, np.ndarray))
               for _, value, _ in recorder.calls)


def _probe_reduce_per_replica(reduce_per_replica) -> bool:
    """True if the function asks the strategy to reduce a 0-d value along an axis."""
    recorder = _ReduceRecorder()
    reduce_per_replica({"loss": np.float32(1.0)}, _probe_strategy(recorder), "auto")
    return any(axis is not None and _rank(value) == 0 for _, value, axis in recorder.calls)


def diagnose() -> dict:
    """Which of the two upstream bugs the installed Keras shows (probing the originals).

    Returns ``{"symbolic_build_nested_reduce": bool, "scalar_reduce_axis0": bool}``;
    a probe that cannot run (API moved, other backend) reports False.
    """
    result = {"symbolic_build_nested_reduce": False, "scalar_reduce_axis0": False}
    try:
        mod = _trainer_module()
        build = _ORIGINALS.get("_maybe_symbolic_build",
                               mod.TensorFlowTrainer._maybe_symbolic_build)
        reduce_fn = _ORIGINALS.get("reduce_per_replica", mod.reduce_per_replica)
    except (ImportError, AttributeError):
        return result
    for key, probe, fn in (("symbolic_build_nested_reduce", _probe_symbolic_build, build),
                           ("scalar_reduce_axis0", _probe_reduce_per_replica, reduce_fn)):
        try:
            result[key] = bool(probe(fn))
        except Exception:  # noqa: BLE001 - upstream changed shape: not our bug any more
            result[key] = False
    return result


def needed() -> bool:
    """True if the installed (unpatched) Keras still shows either MWMS bug."""
    return any(diagnose().values())


# -------------------------------------------------------------------- patching
def is_applied() -> bool:
    return bool(_ORIGINALS)


def apply() -> bool:
    """Patch Keras if this version is known to need it; idempotent.

    Returns True when the patch is in place after the call, False when nothing
    was patched (other backend, unaffected or unknown Keras version).
    """
    if is_applied():
        return True
    import keras

    if keras.backend.backend() != "tensorflow":
        return False
    if not needed():
        return False
    if keras.__version__ not in KNOWN_AFFECTED:
        warnings.warn(
            f"Keras {keras.__version__} still shows the MultiWorkerMirroredStrategy "
            f"fit() bugs ({diagnose()}) but is not in "
            "tfgan_zoo.compat.keras_multiworker.KNOWN_AFFECTED; not patching. "
            "Check keras/src/backend/tensorflow/trainer.py and extend the list.",
            RuntimeWarning, stacklevel=2)
        return False
    mod = _trainer_module()
    _ORIGINALS["_maybe_symbolic_build"] = mod.TensorFlowTrainer._maybe_symbolic_build
    _ORIGINALS["reduce_per_replica"] = mod.reduce_per_replica
    mod.TensorFlowTrainer._maybe_symbolic_build = _wrapper(
        _patched_maybe_symbolic_build, _ORIGINALS["_maybe_symbolic_build"])
    mod.reduce_per_replica = _wrapper(_patched_reduce_per_replica, _ORIGINALS["reduce_per_replica"])
    return True


def _wrapper(patched, original):
    """A fresh function that calls ``patched`` and looks like ``original``."""
    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        return patched(*args, **kwargs)

    setattr(wrapper, _MARK, True)
    return wrapper


def revert() -> None:
    """Undo ``apply()`` (no-op when not applied)."""
    if not is_applied():
        return
    mod = _trainer_module()
    mod.TensorFlowTrainer._maybe_symbolic_build = _ORIGINALS.pop("_maybe_symbolic_build")
    mod.reduce_per_replica = _ORIGINALS.pop("reduce_per_replica")
