"""GANModel: THE train_step. Families declare roles, phases, stages and endpoints and override
hooks; none copies the loop.

One step = for each declared Phase, `repeat` updates (the default: n_critic discriminator
updates, each on its own sub-batch of fresh reals, then one generator update), then the EMA of
the generator, then `after_train_step`, then `step += 1`. Each update (`_update`) is: build the
terms inside a GradientTape (the phase's `<name>_terms` hook + each Regularizer's `<name>_term`),
sum them, divide by the number of replicas (the only place this happens: Keras 3's TF optimizer
SUMS gradients across replicas), apply with the phase's optimizer to `<name>_variables()`, then
run the regularizers' `after_<name>_update` hooks (weight clipping, historical averages).

Randomness: every draw goes through `random_normal` / `random_uniform` (models/randomness.py:
one seed a step, drawn for the GLOBAL batch, each replica keeping its slice). State: `add_state`
(a mandatory cross-replica aggregation); `self.step` counts the steps trained, in the graph.

Every hook a family may define is listed, with its signature, in models/declarations.py
(HOOKS); the generator's inputs are declared once (`generator_input_spec`, models/inputs.py) and
what a family can do (EMA, a critic for penalties) is declared and checked when the model is
built (models/capabilities.py).
"""
import threading

import keras
import tensorflow as tf

from tfgan_zoo.data.stream import SUB_BATCHES
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.virtual_batch_norm import set_latent_references
from tfgan_zoo.losses.penalties import adversarial_output
from tfgan_zoo.models import augmenting, critic_pass, packing
from tfgan_zoo.models.capabilities import check_declarations, check_model
from tfgan_zoo.models.inputs import carried, draw_inputs
from tfgan_zoo.models.declarations import Phase, Stage, check_stages
from tfgan_zoo.models.ema import update_ema
from tfgan_zoo.models.params import GANParams, build_network, build_object  # noqa: F401
from tfgan_zoo.models.randomness import RandomnessMixin
from tfgan_zoo.models.sampling import SamplingMixin
from tfgan_zoo.registry import LOSSES, REGULARIZERS

AGGREGATIONS = ("mean", "sum", "only_first_replica")


class GANModel(SamplingMixin, RandomnessMixin, keras.Model):
    Params = GANParams
    #: the networks the family owns: {role: default network name}; each role is a config section
    roles = {"generator": "dcgan_generator", "discriminator": "dcgan_discriminator"}
    #: defaults of the roles' builder keyword arguments (user config values still win)
    network_defaults = {}
    #: defaults of other config sections (e.g. {"optimizer": "rmsprop"} for `train`)
    train_defaults = {}
    #: per named optimizer defaults ({"c": {"learning_rate": 3e-4}}); `g` and `d` default to
    #: train.g_learning_rate / train.d_learning_rate, any other name to train.d_learning_rate
    optimizer_defaults = {}
    phases = (Phase("discriminator", "d", repeat="n_critic", fake="detached", fresh_data=True,
                    total="d_loss"),
              Phase("generator", "g", fake="attached", total="g_loss"))
    #: the names each phase's terms hook logs
    term_names = {"discriminator": ("d_adv",), "generator": ("g_adv",)}
    #: the role the EMA copies, sampled from and exported (at most one; () refuses ema_decay)
    ema_roles = ("generator",)
    #: the roles behind `critic(images, cond)`: one network judging images at the data's
    #: resolution (penalties, the one-pass check); () when the family has no single critic
    critic_roles = ("discriminator",)
    extra_metric_names = ()
    #: overrides of the test harness's tiny config (tests/testing.py) for this family
    tiny_config = {}

    def __init__(self, networks, params=None, seed=0, data_info=None, stages=None, name=None):
        super().__init__(name=name or type(self).__name__.lower())
        check_declarations(type(self))
        self.params = params if params is not None else self.Params()
        missing = [r for r in self.roles if r not in networks]
        if missing:
            raise ConfigError(f"{type(self).__name__} needs networks for roles {missing}")
        self.network_roles = tuple(self.roles)
        for role in self.network_roles:
            setattr(self, role, networks[role])
        self.data_info = data_info
        self.latent_dim = self.params.latent_dim
        self.stage_plan = check_stages(stages or self.stages(self.params, None), type(self).__name__)
        self.stage_index = None
        self.step = keras.Variable(0, dtype="int64", trainable=False, name="step",
                                   aggregation="only_first_replica")
        self.adversarial_loss = build_object(
            LOSSES, self.params.loss, self.params.loss_options, "loss")
        self.regularizers = []
        for spec in self.params.regularizers:
            spec = dict(spec)
            name = spec.pop("name")
            reg = build_object(REGULARIZERS, name, spec, "regularizer")
            reg.config_name = name
            self.regularizers.append(reg)
        check_model(self)
        self.seed_generator = keras.random.SeedGenerator(seed, name="train_noise")
        for role in self.ema_roles:
            # virtual batch norm: fixed reference from seeded latents, set before the EMA copy
            set_latent_references(getattr(self, role), self.latent_dim, seed)
        self.ema_generator = None
        if self.params.ema_decay > 0:
            source = getattr(self, self.ema_roles[0])
            self.ema_generator = keras.models.clone_model(source)
            self.ema_generator.set_weights(source.get_weights())
            self.check_ema_support()
        for reg in self.regularizers:
            reg.build(self)
        augmenting.attach(self)
        critics = [getattr(self, role) for role in self.critic_roles]
        #: one D pass on reals and fakes together (models/critic_pass.py)
        self.joint_critic = critic_pass.resolve(self.params.critic_pass, critics,
                                                type(self).__name__)
        self.trackers = {n: keras.metrics.Mean(name=n) for n in self.metric_names()}
        # MirroredStrategy traces each replica's step in its own thread, switching threads at
        # merge points; the per-step seed and call counter must therefore be thread-local.
        object.__setattr__(self, "_rng", threading.local())
        self.built = True  # no call(): needed for fit under a strategy

    # ------------------------------------------------------------------ construction
    @classmethod
    def family_name(cls):
        """The name the family is registered under (the lower-cased class name by default)."""
        return cls.__dict__.get("family", cls.__name__.lower())

    @classmethod
    def network_args(cls, params, info):
        """Derived arguments offered to every role's builder (each takes what it names)."""
        shape = tuple(info.shape)
        args = {"latent_dim": params.latent_dim, "num_classes": info.num_classes}
        if len(shape) == 3:
            args.update(image_size=shape[0], channels=shape[-1])
        else:
            args.update(input_dim=shape[0], output_dim=shape[0])
        return {role: dict(args) for role in cls.roles}

    @classmethod
    def from_run_config(cls, cfg, info):
        """The model of a run Config: every role's network built from its config section."""
        derived = cls.network_args(cfg.model, info)
        nets = {role: packing.build_role(cls, role, cfg.networks[role], derived.get(role, {}),
                                         tuple(info.shape), cfg.data.batch_size, build_network)
                for role in cls.roles}  # `pack: m` on a critic: models/packing.py
        return cls(nets, params=cfg.model, seed=cfg.train.seed, data_info=info,
                   stages=cls.stages(cfg.model, cfg.train))

    @classmethod
    def stages(cls, params, train):
        """The stage schedule, a pure function of the config (train may be None outside runs)."""
        return (Stage("main", 0),)

    @classmethod
    def optimizer_names(cls):
        return tuple(dict.fromkeys(p.optimizer for p in cls.phases))

    @property
    def stage(self):
        """The Stage being trained (the first before training)."""
        return self.stage_plan[self.stage_index or 0]

    def sub_batches_of(self, stage):
        """Sub-batches of data one step of `stage` reads (the largest fresh_data repeat)."""
        return max([p.repeats(self.params, stage) for p in self.phases if p.fresh_data] or [1])

    sub_batches = property(lambda self: self.sub_batches_of(self.stage), doc="sub-batches a step of this stage reads")

    def metric_names(self):
        names = [p.total for p in self.phases]
        for p in self.phases:
            names += list(self.term_names.get(p.name, ()))
        names += [r.name for r in self.regularizers] + list(self.extra_metric_names)
        names += list(augmenting.log_names(self))
        return list(dict.fromkeys(names))

    def add_state(self, name, shape=(), dtype="float32", *, aggregation, initializer="zeros"):
        """A non-trainable, checkpointed variable `self.<name>` with an explicit cross-replica
        aggregation: "mean", "sum" or "only_first_replica" (replica 0's value everywhere)."""
        if aggregation not in AGGREGATIONS:
            raise ValueError(f"add_state({name!r}): aggregation must be one of {AGGREGATIONS}, "
                             f"got {aggregation!r}")
        variable = keras.Variable(initializer=initializer, shape=shape, dtype=dtype,
                                  trainable=False, aggregation=aggregation, name=name)
        setattr(self, name, variable)
        return variable

    def variable_key(self, variable):
        """A key naming a network variable independently of construction order: role/path."""
        if not hasattr(self, "_key_of"):
            keys = {}
            for role in self.network_roles:
                for v in getattr(self, role).variables:
                    keys.setdefault(id(v), f"{role}/{v.path}")
            object.__setattr__(self, "_key_of", keys)
        return self._key_of.get(id(variable), variable.path)

    def optimizer_variables(self, name):
        """The variables optimizer `name` updates (every phase using it), in canonical order."""
        seen, out = set(), []
        for phase in self.phases:
            if phase.optimizer == name:
                for v in self.phase_variables(phase):
                    if id(v) not in seen:
                        seen.add(id(v))
                        out.append(v)
        return sorted(out, key=self.variable_key)

    def compile(self, optimizers=None, d_optimizer=None, g_optimizer=None, **kwargs):
        """`compile(optimizers={name: optimizer})`, or the keras.io idiom
        `compile(d_optimizer=..., g_optimizer=...)` for the two-optimizer families."""
        super().compile(**kwargs)
        optimizers = dict(optimizers or {})
        for key, opt in (("d", d_optimizer), ("g", g_optimizer)):
            if opt is not None:
                optimizers[key] = opt
        missing = [n for n in self.optimizer_names() if n not in optimizers]
        if missing:
            raise ValueError(f"{type(self).__name__}.compile: optimizers {missing} are missing")
        self.optimizers = optimizers
        for name in self.optimizer_names():
            # built in a canonical order (role/path), so checkpointed slots always meet the
            # same variables whatever order a family lists them in
            optimizers[name].build(self.optimizer_variables(name))
        if self.stage_index is None:
            self.enter_stage(0, fresh=False)

    d_optimizer = property(lambda self: self.optimizers["d"])
    g_optimizer = property(lambda self: self.optimizers["g"])

    @property
    def metrics(self):
        return list(self.trackers.values())

    def enter_stage(self, index, fresh):
        """Called before training in stage `index`; fresh: training crosses into it now (not a
        resume inside it). Families extend it (resolution, frozen networks) and call super()."""
        self.stage_index = index
        if fresh and self.stage_plan[index].reset_optimizers:
            for opt in self.optimizers.values():
                inner = getattr(opt, "inner_optimizer", opt)  # keep a loss scale's state
                # a constant learning rate is itself an optimizer variable: keep it
                keep = {id(getattr(inner, "_learning_rate", None))}
                for v in inner.variables:
                    if id(v) not in keep:
                        v.assign(tf.zeros(v.shape, v.dtype))
        self.train_function = None  # Keras caches the traced step; the stage may change it

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
        """This step's generator inputs: the declared inputs drawn for the batch (replica-safe),
        given inputs (prior None) taken from the batch entry of their name."""
        spec = self.generator_input_spec()
        inputs = draw_inputs(self, spec, self.batch_size(batch))
        inputs.update({name: batch[inp.key or name] for name, inp in spec.items()
                       if inp.prior is None})
        return inputs

    def generate(self, batch, training):
        """The training fake: the images, or {"images", <carried inputs>} when declared inputs
        are carried (the labels a fake was made for, judged with them)."""
        inputs = self.generator_inputs(batch)
        images = self.call_generator(self.generator, inputs, training)
        extra = carried(self.generator_input_spec(), inputs)
        return {"images": images, **extra} if extra else images

    def discriminate(self, images, cond, training):
        return self.discriminator(images, training=training)

    def real_images(self, batch):
        return batch["real"]

    def fake_images(self, fake):
        """The image part of a (possibly structured) fake."""
        return fake["images"] if isinstance(fake, dict) else fake

    def fake_condition(self, batch, fake):
        """What a fake is judged with: the batch, with the fake's own entries (its labels,
        codes, latents) taking precedence over the batch's."""
        if not isinstance(fake, dict):
            return batch
        return {**batch, **{k: v for k, v in fake.items() if k != "images"}}

    def critic_input(self, images):
        """What the critic sees of images: augmented when model.augment is set (augmenting.py)."""
        if self.augmentation is None:
            return images
        return self.augmentation(images, self.random_uniform)

    def critic(self, images, cond, training=True):
        """The adversarial output of D for images judged with cond (penalties use this)."""
        return adversarial_output(self.discriminate(images, cond, training))

    def discriminate_both(self, real_images, real_cond, fake_images, fake_cond, training):
        """(D(reals), D(fakes)): one pass on both together when `joint_critic`, else two."""
        return critic_pass.judge(self, real_images, real_cond, fake_images, fake_cond, training)

    def discriminator_terms(self, batch, fake):
        outputs = dict(zip(("real", "fake"), self.discriminate_both(
            self.real_images(batch), batch, self.fake_images(fake),
            self.fake_condition(batch, fake), True)))
        loss = self.adversarial_loss.discriminator(adversarial_output(outputs["real"]),
                                                   adversarial_output(outputs["fake"]),
                                                   random_uniform=self.random_uniform)
        return {"d_adv": loss}, outputs

    def generator_terms(self, batch, fake):
        cond, d_real = self.fake_condition(batch, fake), None
        if self.adversarial_loss.generator_needs_real:
            outputs = dict(zip(("real", "fake"), self.discriminate_both(
                self.real_images(batch), batch, self.fake_images(fake), cond, True)))
            d_real = adversarial_output(outputs["real"])
        else:
            outputs = {"fake": self.discriminate(self.fake_images(fake), cond, True)}
        loss = self.adversarial_loss.generator(adversarial_output(outputs["fake"]), d_real=d_real)
        return {"g_adv": loss}, outputs

    def phase_variables(self, phase):
        hook = getattr(self, f"{phase.name}_variables", None)
        if hook is not None:
            return list(hook())
        if phase.name not in self.network_roles:
            raise AttributeError(f"{type(self).__name__} declares phase {phase.name!r}: define "
                                 f"{phase.name}_variables()")
        return list(getattr(self, phase.name).trainable_variables)

    def after_train_step(self, batch, logs):
        return {}

    # ------------------------------------------------------------------ THE step
    def train_step(self, data):
        batches = self._split_data(data)
        self._begin_step()
        logs = {}
        for phase in self.phases:
            for i in range(phase.repeats(self.params, self.stage)):
                batch = batches[i] if phase.fresh_data and i < len(batches) else batches[0]
                logs.update(self._update(phase, batch))
        if self.ema_generator is not None:
            update_ema(self)
        logs.update(augmenting.after_step(self))
        logs.update(self.after_train_step(batches[0], logs))
        self.step.assign_add(1)
        unknown = set(logs) - set(self.trackers)
        if unknown:
            raise ValueError(f"{type(self).__name__} logs undeclared terms {sorted(unknown)}: add "
                             "them to term_names / extra_metric_names")
        for name, value in logs.items():
            self.trackers[name].update_state(value)
        self._rng.seed = None
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def _split_data(self, data):
        """The step's batches: the n sub-batches of a training-stream element, or the element."""
        if isinstance(data, dict) and SUB_BATCHES in data:
            stacked = data[SUB_BATCHES]
            n = tf.nest.flatten(stacked)[0].shape[1]
            return [self.unpack_batch(tf.nest.map_structure(lambda t, i=i: t[:, i], stacked))
                    for i in range(n)]
        return [self.unpack_batch(data)]

    def _update(self, phase, batch):
        variables = self.phase_variables(phase)
        optimizer = self.optimizers[phase.optimizer]
        fake = None
        if phase.fake == "detached":
            fake = tf.nest.map_structure(tf.stop_gradient, self.generate(batch, True))
        with tf.GradientTape() as tape:
            if phase.fake == "attached":
                fake = self.generate(batch, True)
            terms, outputs = getattr(self, f"{phase.name}_terms")(batch, fake)
            terms, outputs = dict(terms), dict(outputs or {})
            extra = outputs.pop("logs", {})
            augmenting.remember(self, phase, outputs)
            for reg in self.regularizers:
                fn = getattr(reg, f"{phase.name}_term", None)
                value = fn(self, batch, fake, outputs) if fn is not None else None
                if value is not None:
                    terms[reg.name] = value
            terms = {k: tf.cast(v, "float32") for k, v in terms.items()}
            total = tf.add_n(list(terms.values()))
            replicas = tf.distribute.get_strategy().num_replicas_in_sync
            scaled = optimizer.scale_loss(total / replicas)
        grads = tape.gradient(scaled, variables)
        optimizer.apply_gradients(zip(grads, variables))
        for reg in self.regularizers:
            hook = getattr(reg, f"after_{phase.name}_update", None)
            if hook is not None:
                hook(self)
        terms[phase.total] = total
        terms.update(extra)
        return terms
