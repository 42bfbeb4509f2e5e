"""Version-guarded work-arounds for upstream (Keras / TensorFlow) bugs.

Each module exposes ``apply()`` (idempotent; patches only on versions known to
need it) and ``needed()`` (whether the installed upstream still has the bug).

* ``keras_multiworker``: ``model.fit`` under MultiWorkerMirroredStrategy
  (Keras 3.15.1, ``keras/src/backend/tensorflow/trainer.py``).
"""
