"""exports/began_digits: BEGAN on the bundled digits (mode collapse: see the note)."""
ENTRY = {"config": "zoo_configs/began/digits.yaml", "set": [], "digits": True,
         "notes": ["Shipped as measured: BEGAN collapses on the digits with these networks. k_t falls "
                   "to 0 by epoch 9 and stays there (L(G(z)) above gamma L(x)), so D only learns to "
                   "reconstruct reals and G settles on the digits it reconstructs best. Tried at 6000 "
                   "steps: gamma 0.3 / 0.5 / 0.75 and, at gamma 0.5, a generator without batch norm with "
                   "both learning rates 1e-4 (the paper's) - the largest class was 100 / 63 / 100 / 100 % "
                   "of samples."]}
