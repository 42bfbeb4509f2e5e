"""exports/pix2pix_edges2photos: pix2pix on the bundled edges -> photos pairs."""
# smaller U-Net and 3 epochs: the export must stay under 5 MB
ENTRY = {"config": "zoo_configs/pix2pix/edges2photos.yaml",
         "set": ["train.epochs=3", "generator.base_filters=16", "generator.max_filters=64"],
         "metrics": ()}
