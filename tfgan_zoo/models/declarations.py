"""What a family declares to the one training core: phases, stages and export endpoints.

A family is mostly data read by `GANModel` (models/base.py):

    roles      {role: default network}            the networks it owns, a config section each
    phases     (Phase(...), ...)                   which optimizer updates which variables from
                                                   which terms, how many times per step
    stages(p, t) -> (Stage(...), ...)              a schedule of the step (a pure function of the
                                                   config, so a resumed run knows its stage)
    export_endpoints() -> [Endpoint(...), ...]     the SavedModel signatures

The dataclasses below are those declarations; they hold no behaviour. HOOKS lists every method
a family may override, with its signature; tests/models/test_capabilities.py checks that the
families override nothing else of the core.
"""
import dataclasses
from typing import Callable


@dataclasses.dataclass(frozen=True)
class Phase:
    """One kind of update inside a train step.

    name: the hooks the core calls: `<name>_terms(batch, fake) -> (terms, outputs)` inside the
        tape and `<name>_variables()` for the variables it updates; a Regularizer joins in with
        `<name>_term(model, batch, fake, outputs)` and `after_<name>_update(model)`.
    optimizer: the key of the optimizer in `model.optimizers` (config `train.optimizers`).
    repeat: updates per step: an int, or the name of a Params field ("n_critic").
    fake: "detached": the fake is generated before the tape, without gradient to the generator
        (discriminator and classifier updates); "attached": generated inside the tape (generator
        updates); "none": the phase needs no fake.
    fresh_data: each repeat reads its own sub-batch of the step's data (the stream then holds
        `repeat` batches per step), as WGAN's critic loop in the papers does; otherwise every
        update of the step reads the first sub-batch.
    total: the logged name of the summed loss (default "<name>_loss").
    """
    name: str
    optimizer: str
    repeat: object = 1
    fake: str = "detached"
    fresh_data: bool = False
    total: str = ""

    def __post_init__(self):
        if self.fake not in ("detached", "attached", "none"):
            raise ValueError(f"Phase {self.name!r}: fake must be detached, attached or none, "
                             f"got {self.fake!r}")
        if not self.total:
            object.__setattr__(self, "total", f"{self.name}_loss")

    def repeats(self, params, stage=None):
        """How many times this phase runs per step, for the family's Params; a stage whose
        options name the Params field (`{"n_critic": 100}`) overrides it while it lasts."""
        n = self.repeat
        if isinstance(n, str):
            options = stage.options if stage is not None else {}
            n = options[n] if n in options else getattr(params, n)
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"Phase {self.name!r}: repeat must be an int >= 1, got {n!r}")
        return n


@dataclasses.dataclass(frozen=True)
class Stage:
    """A stretch of training from step `start` until the next stage's start.

    name: shown in logs and recorded in checkpoints.
    start: first step of the stage (the first stage starts at 0).
    batch_size: the GLOBAL batch of this stage (None: data.batch_size); the data stream counts
        examples, so a run resumed in any stage reads exactly the examples it would have read.
    reset_optimizers: give every optimizer fresh state (moments, iteration count) when training
        crosses into this stage (ProGAN's `reset_opt_for_new_lod`). Not done on a resume inside
        the stage: the checkpoint holds the state the reset produced.
    options: family-specific facts of the stage (a resolution, which networks train, ...); a
        key naming the Params field of a Phase's repeat (`n_critic`) sets that repeat.
    Stages of one NAME must train identically: the core traces a stage's step once and reuses
    it wherever the name comes back (WGAN's critic bursts alternate two stages many times).
    """
    name: str
    start: int = 0
    batch_size: int | None = None
    reset_optimizers: bool = False
    options: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Endpoint:
    """One SavedModel signature.

    name: the signature name ("generate", "translate_ab", "encode", ...).
    fn: called with the inputs as keyword arguments (TF tensors), returns a dict of tensors;
        `tfgan_zoo.export.image_outputs(images)` gives the usual {"images", "images_uint8"}.
    inputs: {input name: tf.TensorSpec}, in the order of the signature.
    """
    name: str
    fn: Callable
    inputs: dict


def stage_index(stages, step):
    """Index of the stage that `step` belongs to."""
    index = 0
    for i, stage in enumerate(stages):
        if step >= stage.start:
            index = i
    return index


def check_stages(stages, what):
    """Stages must start at 0 and strictly increase."""
    if not stages or stages[0].start != 0:
        raise ValueError(f"{what}: the first stage must start at step 0")
    for a, b in zip(stages, stages[1:]):
        if b.start <= a.start:
            raise ValueError(f"{what}: stage {b.name!r} starts at {b.start}, not after "
                             f"{a.name!r} ({a.start})")
        if b.batch_size is not None and b.batch_size < 1:
            raise ValueError(f"{what}: stage {b.name!r} batch_size must be >= 1")
    return tuple(stages)


#: every method a family may define or override on GANModel, with its signature and what it is for
#: (`<phase>` is a declared Phase's name)
HOOKS = {
    # construction
    "network_args": "(cls, params, info) -> {role: {arg: value}}: derived builder arguments per role",
    "from_run_config": "(cls, cfg, info) -> model: checks across config sections, then super()",
    "stages": "(cls, params, train) -> (Stage, ...): the stage schedule, a pure function of the config",
    "enter_stage": "(self, index, fresh): before training in a stage (resolution, frozen networks); super()",
    # data
    "unpack_batch": "(self, data) -> batch dict (\"real\", \"label\", streams, ...)",
    "batch_size": "(self, batch) -> the batch's size",
    "real_images": "(self, batch) -> the reals the critic judges (a stage's resolution)",
    # the generator
    "generator_input_spec": "(self) -> {name: Input}: the generator's inputs (models/inputs.py)",
    "call_generator": "(self, generator, inputs, training, **options) -> images: the one call",
    "generate": "(self, batch, training) -> fake: only where the training fake truly differs",
    "fake_images": "(self, fake) -> the image part of a structured fake",
    "fake_condition": "(self, batch, fake) -> what a fake is judged with",
    # the critic
    "discriminate": "(self, images, cond, training) -> D's outputs",
    "critic": "(self, images, cond, training=True) -> D's adversarial output (penalties)",
    # updates
    "<phase>_terms": "(self, batch, fake) -> ({name: scalar}, outputs): inside the phase's tape",
    "<phase>_variables": "(self) -> variables: when the phase is not one role's",
    "after_train_step": "(self, batch, logs) -> {name: scalar}: state updates (BEGAN's k_t)",
    # use and export
    "export_generator": "(self) -> the network sampled from and exported",
    "export_modules": "(self) -> [networks]: what an export tracks",
    "export_endpoints": "(self) -> [Endpoint]: the signatures (defaults from the declared inputs)",
    "sample_inputs": "(self, num, seed) -> {name: tensor}: only to replace a derived draw",
    "preview_inputs": "(self, num, seed, reference) -> inputs of a sample grid",
    "preview": "(self, inputs) -> NumPy picture rows",
    "card_fields": "(self) -> {key: value}: facts the export's card adds",
}
