"""EBGAN (Zhao et al. 2017): the discriminator is an autoencoder and its output is the
per-sample reconstruction energy D(x) = mean (x - AE(x))^2.

D loss = E[D(x)] + E[max(0, m - D(G(z)))]   (loss "ebgan", margin m in loss_options)
G loss = E[D(G(z))] + pt_weight * PT(embeddings of G(z))   (pulling-away term, EBGAN-PT)

Networks: `autoencoder` for images, `mlp_autoencoder` for 2-D points; both return
[reconstruction, embedding].
"""
from dataclasses import dataclass, field

from tfgan_zoo.losses.energy import pulling_away_term, reconstruction_energy
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.registry import FAMILIES


@dataclass
class EBGANParams(GANParams):
    #: must be "ebgan" (the margin loss on energies)
    loss: str = "ebgan"
    #: margin m of the hinge on fake energies
    loss_options: dict = field(default_factory=lambda: {"margin": 1.0})
    #: weight of the pulling-away term on the encoder embeddings of fakes (paper: 0.1; 0: off)
    pt_weight: float = 0.0

    def validate(self):
        super().validate()
        if self.loss != "ebgan":
            raise ValueError(f"EBGAN's discriminator outputs energies: loss must be 'ebgan', got {self.loss!r}")
        if self.pt_weight < 0:
            raise ValueError(f"pt_weight {self.pt_weight} must be >= 0")


@FAMILIES.register("ebgan")
class EBGAN(GANModel):
    Params = EBGANParams
    roles = {"generator": "dcgan_generator", "discriminator": "autoencoder"}
    term_names = {"discriminator": ("d_adv",), "generator": ("g_adv", "g_pt")}

    def discriminate(self, images, cond, training):
        """The energy [B]; the embedding is kept in `autoencode` for the pulling-away term."""
        return self.autoencode(images, training)[0]

    def autoencode(self, images, training):
        reconstruction, embedding = self.discriminator(images, training=training)
        return reconstruction_energy(images, reconstruction), embedding

    def generator_terms(self, batch, fake):
        energy, embedding = self.autoencode(self.fake_images(fake), True)
        terms = {"g_adv": self.adversarial_loss.generator(energy)}
        if self.params.pt_weight > 0:
            terms["g_pt"] = self.params.pt_weight * pulling_away_term(embedding)
        return terms, {"fake": energy}
