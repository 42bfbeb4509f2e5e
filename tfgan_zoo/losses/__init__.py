"""The loss library: adversarial losses, f-GAN, energy losses, penalties, reconstruction,
conditional terms (InfoGAN information bound, TripleGAN three-way game) and the weighted terms
of the image-to-image families (translation.py).

Registered adversarial losses (LOSSES; config `model.loss` + `model.loss_options`):
  minimax        MinimaxLoss(label_smoothing=0.0, label_flip=0.0)
  nonsaturating  NonSaturatingLoss(label_smoothing=0.0, label_flip=0.0)
  least_squares  LeastSquaresLoss(a=0.0, b=1.0, c=1.0, label_smoothing=0.0, label_flip=0.0)
  wasserstein    WassersteinLoss()
  hinge          HingeLoss()
  rsgan / ragan  relativistic standard / average BCE (label_smoothing, label_flip)
  rslsgan / ralsgan, rshinge / rahinge   relativistic least-squares / hinge
  fgan           FGANLoss(divergence="gan", alternative_generator=False)
  ebgan          EBGANLoss(margin=1.0)  (D outputs must be reconstruction energies)
All share AdversarialLoss's interface: discriminator(d_real, d_fake, random_uniform=None),
generator(d_fake, d_real=None), generator_needs_real.

Registered regularizers (REGULARIZERS; config `model.regularizers: [{name: ..., ...}]`):
  gradient_penalty(weight=10.0, target=1.0)   lipschitz_penalty(weight=10.0, target=1.0)
  dragan(weight=10.0, scale=0.5)   r1(gamma=10.0, every=1)   r2(gamma=10.0, every=1)   weight_clipping(clip=0.01)
  orthogonal(beta=1e-4)   consistency(weight=10.0, max_shift=4)
  historical_averaging(weight=1.0, decay=0.0, generator=False)
  feature_matching(weight=1.0, layer="")   (a G term on D's penultimate features)
  drift(epsilon=0.001)   (ProGAN: epsilon * E[D(x)^2] on reals)
  lecam(weight=0.3, decay=0.9, start=1000)   (LeCam: D outputs anchored to EMAs of each other)
"""
from tfgan_zoo.losses import adversarial, conditional, energy, fgan, penalties, reconstruction, translation  # noqa: F401
from tfgan_zoo.losses.adversarial import (  # noqa: F401
    AdversarialLoss, HingeLoss, LeastSquaresLoss, MinimaxLoss, NonSaturatingLoss,
    RelativisticAverageBCELoss, RelativisticAverageHingeLoss, RelativisticAverageLSLoss,
    RelativisticBCELoss, RelativisticHingeLoss, RelativisticLSLoss, WassersteinLoss)
from tfgan_zoo.losses.drift import DriftPenalty  # noqa: F401  (registers "drift")
from tfgan_zoo.losses.lecam import LeCam  # noqa: F401  (registers "lecam")
from tfgan_zoo.losses.energy import EBGANLoss
from tfgan_zoo.losses.feature_matching import FeatureMatching
from tfgan_zoo.losses.fgan import FGANLoss
from tfgan_zoo.losses.penalties import (
    ConsistencyRegularization, DRAGANPenalty, GradientPenalty, HistoricalAveraging,
    LipschitzPenalty, OrthogonalRegularization, R1Penalty, R2Penalty, WeightClipping)
from tfgan_zoo.losses.regularizer import Regularizer  # noqa: F401
from tfgan_zoo.registry import LOSSES, REGULARIZERS

for _name, _cls in {
    "minimax": MinimaxLoss, "nonsaturating": NonSaturatingLoss,
    "least_squares": LeastSquaresLoss, "wasserstein": WassersteinLoss, "hinge": HingeLoss,
    "rsgan": RelativisticBCELoss, "ragan": RelativisticAverageBCELoss,
    "rslsgan": RelativisticLSLoss, "ralsgan": RelativisticAverageLSLoss,
    "rshinge": RelativisticHingeLoss, "rahinge": RelativisticAverageHingeLoss,
    "fgan": FGANLoss, "ebgan": EBGANLoss,
}.items():
    LOSSES.register(_name, _cls)

for _name, _cls in {
    "gradient_penalty": GradientPenalty, "lipschitz_penalty": LipschitzPenalty,
    "dragan": DRAGANPenalty, "r1": R1Penalty, "r2": R2Penalty,
    "weight_clipping": WeightClipping, "orthogonal": OrthogonalRegularization,
    "consistency": ConsistencyRegularization, "historical_averaging": HistoricalAveraging,
    "feature_matching": FeatureMatching,
}.items():
    REGULARIZERS.register(_name, _cls)
