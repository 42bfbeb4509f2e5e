"""What a family measures beyond the generic metrics: the figures on its model card.

`families.py`: the conditional families (cGAN, ACGAN, TripleGAN), InfoGAN and BiGAN;
`translation.py`: CycleGAN and StarGAN on the digit domains. They read a family's own
networks and may build models (tfgan_zoo.train), which `metrics/` never does; the zoo entries
(scripts/zoo_entries/) and the benchmarks call them.
"""
