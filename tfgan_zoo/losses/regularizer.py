"""The protocol regularizer objects follow; the base train_step calls these hooks.

A regularizer adds a loss term to the discriminator and/or generator update, or acts on
weights after an update (weight clipping). Every method is optional: the defaults do nothing.
Terms return the already-weighted scalar (mean over the replica's batch); the base divides
by the number of replicas, so a regularizer never does.
"""


class Regularizer:
    #: name of the logged metric (one tracker per regularizer)
    name = "reg"

    def discriminator_term(self, model, batch, fake, outputs):
        """Return a scalar added to the D loss, or None.

        model: the GANModel (use `model.discriminate(images, batch, training=True)` and
        `model.random_uniform(shape)` / `model.random_normal(shape)` for seeded randomness);
        batch: dict from `model.unpack_batch` ("real" holds real images);
        fake: generated images (no gradient to G); outputs: dict with "real" / "fake"
        discriminator outputs computed inside the D tape.
        """
        return None

    def generator_term(self, model, batch, fake, outputs):
        """Return a scalar added to the G loss, or None."""
        return None

    def after_discriminator_update(self, model):
        """Act on weights after each D update (e.g. WGAN weight clipping)."""

    def after_generator_update(self, model):
        """Act on weights after each G update."""
