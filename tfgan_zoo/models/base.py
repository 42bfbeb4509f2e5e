"""GANModel: THE train_step. Families override hooks; none copies the loop.

One step =  n_critic x (discriminator update)  +  one generator update  +  after_train_step.
Each update is: build the terms inside a GradientTape (family hook + regularizer objects),
sum them, divide by the number of replicas (the only place this happens: Keras 3's TF
optimizer SUMS gradients across replicas), apply, then run the regularizers' after-update
hooks (weight clipping, historical averages). The EMA generator is updated after G.

Randomness: every draw goes through `random_normal` / `random_uniform`, which take a fresh
seed from the model's keras.random.SeedGenerator once per step, draw for the GLOBAL batch and
keep this replica's slice. So noise is reproducible, differs between replicas, and two
replicas see exactly the noise one device sees for the same global batch.

Hooks a family may override (see ARCHITECTURE.md for which family uses which):
  unpack_batch(data)                     dataset element -> batch dict ("real", "label", ...)
  generator_inputs(batch)                what the generator is fed (latents, source images)
  generate(batch, training)              the fake batch (any structure the terms understand)
  discriminate(images, batch, training)  D outputs for images (conditioning lives here)
  discriminator_terms(batch, fake)       -> ({name: scalar}, outputs) inside the D tape
  generator_terms(batch, fake)           -> ({name: scalar}, outputs) inside the G tape
  discriminator_variables() / generator_variables()
  after_train_step(batch)                -> {name: scalar} (state updates: BEGAN's k_t)
  d_term_names / g_term_names / extra_metric_names   names of the logged terms
"""
import dataclasses
import inspect
import threading
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.virtual_batch_norm import set_latent_references
from tfgan_zoo.registry import LOSSES, NETWORKS, REGULARIZERS


@dataclass
class GANParams:
    """Parameters every family shares (section `model` of a config)."""
    #: size of the latent vector z (noise -> image families)
    latent_dim: int = 64
    #: adversarial loss by name (tfgan_zoo.losses): nonsaturating, minimax, hinge, ...
    loss: str = "nonsaturating"
    #: keyword options of the loss (label_smoothing, divergence, ...)
    loss_options: dict = field(default_factory=dict)
    #: regularizer objects: a list of {"name": ..., **options} (gradient_penalty, r1, ...)
    regularizers: list = field(default_factory=list)
    #: discriminator updates per generator update
    n_critic: int = 1
    #: decay of the exponential moving average of G's weights (0: no EMA generator)
    ema_decay: float = 0.0

    def validate(self):
        if self.latent_dim <= 0:
            raise ValueError(f"latent_dim {self.latent_dim} must be > 0")
        if self.n_critic < 1:
            raise ValueError(f"n_critic {self.n_critic} must be >= 1")
        if not 0.0 <= self.ema_decay < 1.0:
            raise ValueError(f"ema_decay {self.ema_decay} must be in [0, 1)")
        build_object(LOSSES, self.loss, self.loss_options, "loss")
        for spec in self.regularizers:
            if not isinstance(spec, dict) or "name" not in spec:
                raise ValueError(f"regularizers: each entry needs a name, got {spec!r}")
            spec = dict(spec)
            build_object(REGULARIZERS, spec.pop("name"), spec, "regularizer")


def build_object(registry, name, options, what):
    """Instantiate a registered class with keyword options, with one-line errors."""
    cls = registry.get(name)
    params = inspect.signature(cls).parameters
    for key in options:
        if key not in params:
            from tfgan_zoo.registry import closest_hint
            raise ConfigError(f"{what} {name!r} has no option {key!r}{closest_hint(key, params)}")
    try:
        return cls(**options)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{what} {name!r}: {e}") from None


class GANModel(keras.Model):
    Params = GANParams
    default_generator = "dcgan_generator"
    default_discriminator = "dcgan_discriminator"
    #: "generate" (latents -> images) or "translate" (images -> images): the export signature
    export_kind = "generate"
    #: overrides of other config sections' defaults (e.g. {"optimizer": "rmsprop"}); user
    #: config values still win
    train_defaults = {}
    generator_defaults = {}
    discriminator_defaults = {}
    d_term_names = ("d_adv",)
    g_term_names = ("g_adv",)
    extra_metric_names = ()

    def __init__(self, generator, discriminator, params=None, seed=0, data_info=None, name=None):
        super().__init__(name=name or type(self).__name__.lower())
        self.params = params if params is not None else self.Params()
        self.generator = generator
        self.discriminator = discriminator
        self.data_info = data_info
        self.latent_dim = self.params.latent_dim
        self.adversarial_loss = build_object(
            LOSSES, self.params.loss, self.params.loss_options, "loss")
        self.regularizers = []
        for spec in self.params.regularizers:
            spec = dict(spec)
            self.regularizers.append(build_object(REGULARIZERS, spec.pop("name"), spec,
                                                  "regularizer"))
        self.seed_generator = keras.random.SeedGenerator(seed, name="train_noise")
        # virtual batch norm (generator norm: virtual_batch): fixed reference from seeded latents,
        # set before the EMA copy is made (set_weights copies it; _update_ema keeps it equal)
        set_latent_references(generator, self.latent_dim, seed)
        self.ema_generator = None
        if self.params.ema_decay > 0:
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
        for reg in self.regularizers:
            if hasattr(reg, "build"):
                reg.build(self)
        self.trackers = {n: keras.metrics.Mean(name=n) for n in self.metric_names()}
        # MirroredStrategy traces each replica's step in its own thread, switching threads at
        # merge points; the per-step seed and call counter must therefore be thread-local.
        object.__setattr__(self, "_rng", threading.local())
        self.built = True  # no call(): needed for fit under a strategy

    # ------------------------------------------------------------------ construction
    @classmethod
    def network_args(cls, params, info):
        """Derived arguments offered to the network builders (they take what they name)."""
        shape = tuple(info.shape)
        args = {"latent_dim": params.latent_dim, "num_classes": info.num_classes}
        if len(shape) == 3:
            args.update(image_size=shape[0], channels=shape[-1])
        else:
            args.update(input_dim=shape[0], output_dim=shape[0])
        return {"generator": dict(args), "discriminator": dict(args)}

    @classmethod
    def from_config(cls, cfg, info):
        derived = cls.network_args(cfg.model, info)
        nets = {role: build_network(getattr(cfg, role), derived[role], role)
                for role in ("generator", "discriminator")}
        return cls(nets["generator"], nets["discriminator"], params=cfg.model,
                   seed=cfg.train.seed, data_info=info)

    def metric_names(self):
        names = ["d_loss", "g_loss", *self.d_term_names, *self.g_term_names]
        names += [r.name for r in self.regularizers] + list(self.extra_metric_names)
        return list(dict.fromkeys(names))

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        d_optimizer.build(self.discriminator_variables())
        g_optimizer.build(self.generator_variables())

    @property
    def metrics(self):
        return list(self.trackers.values())

    # ------------------------------------------------------------------ randomness
    def _draw(self, fn, shape, dtype):
        if getattr(self._rng, "seed", None) is None:
            self._begin_step()
        self._rng.calls += 1
        seed = tf.random.experimental.stateless_fold_in(self._rng.seed, self._rng.calls)
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        if replicas == 1:
            return fn(shape, seed=seed, dtype=dtype)
        shape = tf.cast(tf.convert_to_tensor(shape), tf.int32)
        local = shape[0]
        rid = tf.distribute.get_replica_context().replica_id_in_sync_group
        full = fn(tf.concat([[local * replicas], shape[1:]], 0), seed=seed, dtype=dtype)
        return full[rid * local:(rid + 1) * local]

    def random_normal(self, shape, dtype="float32"):
        return self._draw(tf.random.stateless_normal, shape, dtype)

    def random_uniform(self, shape, dtype="float32"):
        return self._draw(tf.random.stateless_uniform, shape, dtype)

    def _begin_step(self):
        self._rng.seed = tf.cast(self.seed_generator.next(), tf.int64)
        self._rng.calls = 0

    # ------------------------------------------------------------------ hooks
    def unpack_batch(self, data):
        if isinstance(data, dict):
            return dict(data)
        if isinstance(data, (tuple, list)):
            batch = {"real": data[0]}
            if len(data) > 1:
                batch["label"] = data[1]
            return batch
        return {"real": data}

    def batch_size(self, batch):
        return tf.shape(batch["real"])[0]

    def generator_inputs(self, batch):
        return self.random_normal([self.batch_size(batch), self.latent_dim])

    def generate(self, batch, training):
        return self.generator(self.generator_inputs(batch), training=training)

    def discriminate(self, images, batch, training):
        return self.discriminator(images, training=training)

    def discriminator_terms(self, batch, fake):
        outputs = {"real": self.discriminate(batch["real"], batch, True),
                   "fake": self.discriminate(fake, batch, True)}
        loss = self.adversarial_loss.discriminator(outputs["real"], outputs["fake"],
                                                   random_uniform=self.random_uniform)
        return {"d_adv": loss}, outputs

    def generator_terms(self, batch, fake):
        outputs = {"fake": self.discriminate(fake, batch, True)}
        d_real = None
        if self.adversarial_loss.generator_needs_real:
            d_real = outputs["real"] = self.discriminate(batch["real"], batch, True)
        return {"g_adv": self.adversarial_loss.generator(outputs["fake"], d_real)}, outputs

    def discriminator_variables(self):
        return self.discriminator.trainable_variables

    def generator_variables(self):
        return self.generator.trainable_variables

    def after_train_step(self, batch):
        return {}

    # ------------------------------------------------------------------ THE step
    def train_step(self, data):
        batch = self.unpack_batch(data)
        self._begin_step()
        logs = {}
        for _ in range(self.params.n_critic):
            logs.update(self._update("discriminator", batch))
        logs.update(self._update("generator", batch))
        if self.ema_generator is not None:
            self._update_ema()
        logs.update(self.after_train_step(batch))
        unknown = set(logs) - set(self.trackers)
        if unknown:
            raise ValueError(f"{type(self).__name__} logs undeclared terms {sorted(unknown)}: add "
                             "them to d_term_names / g_term_names / extra_metric_names")
        for name, value in logs.items():
            self.trackers[name].update_state(value)
        self._rng.seed = None
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def _update(self, role, batch):
        is_d = role == "discriminator"
        variables = self.discriminator_variables() if is_d else self.generator_variables()
        optimizer = self.d_optimizer if is_d else self.g_optimizer
        fake = tf.nest.map_structure(tf.stop_gradient, self.generate(batch, True)) if is_d else None
        with tf.GradientTape() as tape:
            if not is_d:
                fake = self.generate(batch, True)
            hook = self.discriminator_terms if is_d else self.generator_terms
            terms, outputs = hook(batch, fake)
            for reg in self.regularizers:
                fn = reg.discriminator_term if is_d else reg.generator_term
                value = fn(self, batch, fake, outputs)
                if value is not None:
                    terms[reg.name] = value
            terms = {k: tf.cast(v, "float32") for k, v in terms.items()}
            total = tf.add_n(list(terms.values()))
            replicas = tf.distribute.get_strategy().num_replicas_in_sync
            scaled = optimizer.scale_loss(total / replicas)
        grads = tape.gradient(scaled, variables)
        optimizer.apply_gradients(zip(grads, variables))
        for reg in self.regularizers:
            (reg.after_discriminator_update if is_d else reg.after_generator_update)(self)
        terms["d_loss" if is_d else "g_loss"] = total
        return terms

    def _update_ema(self):
        decay = self.params.ema_decay
        pairs = list(zip(self.ema_generator.trainable_variables, self.generator.trainable_variables))
        copies = list(zip(self.ema_generator.non_trainable_variables,
                          self.generator.non_trainable_variables))

        def update(strategy):
            for ema, var in pairs:
                strategy.extended.update(
                    ema.value, lambda e, v: e.assign(decay * e + (1.0 - decay) * v),
                    args=(var.value,))
            for ema, var in copies:
                strategy.extended.update(ema.value, lambda e, v: e.assign(v), args=(var.value,))

        tf.distribute.get_replica_context().merge_call(update)

    # ------------------------------------------------------------------ use
    def export_generator(self):
        """The generator to sample from and export: the EMA copy when there is one."""
        return self.ema_generator if self.ema_generator is not None else self.generator

    def preview_inputs(self, num, seed, reference):
        """Fixed inputs for sample grids: seeded latents (reference: a dict of real examples)."""
        rng = np.random.default_rng(seed)
        return rng.standard_normal((num, self.latent_dim)).astype("float32")

    def preview(self, inputs):
        """Images (or points) to show for `preview_inputs`, as a NumPy array."""
        return np.asarray(self.export_generator()(inputs, training=False))

    def checkpoint_objects(self):
        """Everything whose state a checkpoint must hold (variables in a fixed order)."""
        objects = {"model": self, "d_optimizer": self.d_optimizer, "g_optimizer": self.g_optimizer}
        for i, reg in enumerate(self.regularizers):
            if getattr(reg, "variables", None):  # e.g. historical averages
                objects[f"regularizer_{i}_{reg.name}"] = reg
        return objects


def build_network(section, derived, role):
    section = dict(section)
    builder = NETWORKS.get(section.pop("name"))
    params = inspect.signature(builder).parameters
    kwargs = {k: v for k, v in derived.items() if k in params and k not in section}
    missing = [p.name for p in params.values()
               if p.default is inspect.Parameter.empty and p.name not in kwargs
               and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
    if missing:
        raise ConfigError(f"{role}: network needs {missing}, which this family/data cannot give")
    return builder(**kwargs, **section)


def params_to_dict(params):
    return dataclasses.asdict(params)
