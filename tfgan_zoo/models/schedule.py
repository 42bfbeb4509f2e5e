"""Critic bursts: WGAN's reference schedule of critic updates per generator update.

Arjovsky et al.'s code (martinarjovsky/WassersteinGAN, main.py) runs Diters = 100 critic updates,
each on a fresh batch, for the first 25 generator iterations and at every 500th one, and
opt.Diters (5) otherwise: the critic is trained close to optimality at the start and now and
then, so the generator follows a good estimate of the Wasserstein distance.

Here the schedule is a stage plan (models/declarations.py): stages of two names alternate, the
burst one's options set `n_critic`, so the one train_step runs the right number of critic
updates, the data stream holds one fresh sub-batch per update, a resumed run knows from its
step where in the schedule it is, and each of the two steps is traced once (stages of one name
share their traced step).
"""
from tfgan_zoo.models.declarations import Stage

BURST = "critic burst"
STEADY = "steady"


def burst_steps(first, every, total):
    """The generator steps < total that run a burst: 0 .. first-1, then every multiple of
    `every` (0: none after the first ones), as the reference's `gen_iterations < 25 or
    gen_iterations % 500 == 0`."""
    steps = set(range(min(first, total)))
    if every:
        steps.update(range(0, total, every))
    return sorted(steps)


def critic_burst_stages(burst, first, every, total):
    """Stages of `total` steps: BURST (n_critic = burst) on the burst steps, STEADY between;
    one STEADY stage when there is no burst (burst 0) or no known length (total 0)."""
    runs = []  # [start, end) of consecutive burst steps
    for step in (burst_steps(first, every, total) if burst else ()):
        if runs and runs[-1][1] == step:
            runs[-1][1] = step + 1
        else:
            runs.append([step, step + 1])
    stages, cursor = [], 0
    for start, end in runs:
        if start > cursor:
            stages.append(Stage(STEADY, cursor))
        stages.append(Stage(BURST, start, options={"n_critic": burst}))
        cursor = end
    if cursor < total or not stages:
        stages.append(Stage(STEADY, cursor))
    return tuple(stages)
