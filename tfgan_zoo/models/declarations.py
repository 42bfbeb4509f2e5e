"""What a family declares to the one training core: phases, stages and export endpoints.

A family is mostly data read by `GANModel` (models/base.py):

    roles      {role: default network}            the networks it owns, a config section each
    phases     (Phase(...), ...)                   which optimizer updates which variables from
                                                   which terms, how many times per step
    stages(p, t) -> (Stage(...), ...)              a schedule of the step (a pure function of the
                                                   config, so a resumed run knows its stage)
    export_endpoints() -> [Endpoint(...), ...]     the SavedModel signatures

The dataclasses below are those declarations; they hold no behaviour.
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

    def repeats(self, params):
        """How many times this phase runs per step, for the family's Params."""
        n = getattr(params, self.repeat) if isinstance(self.repeat, str) else self.repeat
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
    options: family-specific facts of the stage (a resolution, which networks train, ...).
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
