"""The protocol regularizer objects follow; the base train_step calls these hooks.

A regularizer adds a loss term to the discriminator and/or generator update, or acts on
weights after an update (weight clipping). Every method is optional: the defaults do nothing.
Terms return the already-weighted scalar (mean over the replica's batch); the base divides
by the number of replicas, so a regularizer never does.
"""


class Regularizer:
    """Declared, and checked when a model is built (models/capabilities.py):

    acts_on: the phases whose update it joins (`<phase>_term`) or whose weights it acts on
        (`after_<phase>_update`); a family without one of them refuses the regularizer.
    needs: "critic" (`model.critic(images, cond)` on real images: the gradient penalties),
        "critic_network" (one critic network fed images alone, whose layers it reads).

    Optional: `build(model)` (called once the networks exist, inside the strategy scope) and
    `variables` (checkpointed with the model).
    """
    #: name of the logged metric (one tracker per regularizer)
    name = "reg"
    acts_on = ("discriminator",)
    needs = ()
    variables = ()

    def build(self, model):
        """Create state that depends on the model's networks (averages, sub-models)."""

    def discriminator_term(self, model, batch, fake, outputs):
        """Return a scalar added to the D loss, or None.

        model: the GANModel (`model.real_images(batch)`, `model.fake_images(fake)`,
        `model.critic(images, cond)` for D's adversarial output, and `model.random_uniform(shape)`
        / `model.random_normal(shape)` for replica-safe randomness);
        batch: dict from `model.unpack_batch` ("real" holds real images);
        fake: the phase's fake (images, or a dict with "images" and what it carries; no gradient
        to G in D's phase); outputs: the phase's discriminator outputs ("real" / "fake").
        """
        return None

    def generator_term(self, model, batch, fake, outputs):
        """Return a scalar added to the G loss, or None."""
        return None

    def after_discriminator_update(self, model):
        """Act on weights after each D update (e.g. WGAN weight clipping)."""

    def after_generator_update(self, model):
        """Act on weights after each G update."""
