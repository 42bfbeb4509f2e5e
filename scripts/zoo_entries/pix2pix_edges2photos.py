"""exports/pix2pix_edges2photos: pix2pix on the bundled edges -> photos pairs."""
# A U-Net of base 16 / max 64 filters keeps the export under 5 MB; 2,048 training crops and
# 3,000 steps (measured: see the card).
ENTRY = {"config": "zoo_configs/pix2pix/edges2photos.yaml",
         "set": ["train.epochs=30", "generator.base_filters=16", "generator.max_filters=64",
                 "data.options.num_examples=2048"]}
