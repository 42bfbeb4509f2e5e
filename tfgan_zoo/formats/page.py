"""docs/zoo/entries.json: what the zoo page (docs/zoo/index.html) shows and runs.

One record per export: its name, family, picture (assets/samples.png), and, when it has a
TF.js model, the model's URL and its inputs: latents (dimension), labels / categories /
target domains (count and names), continuous codes, noise maps (shapes), truncation (a
slider when the family takes it as an input, or, BigGAN, draws its latents truncated), and for image-to-image models a few source images from the
card's data (the page cannot draw those). The page is served from the repository root
(`make page`), so URLs are relative to it (exports outside the repository cannot be shown).
"""
import json
import os

from tfgan_zoo.formats import pure

ENTRIES = os.path.join("docs", "zoo", "entries.json")
SOURCES = 4  # source images shipped to the page per image-to-image entry


def _sources(card):
    from tfgan_zoo.config import from_dict
    from tfgan_zoo.train import build_data, reference_examples
    ref = reference_examples(build_data(from_dict(card["config"]))[0], SOURCES)
    images = ref["source"] if "source" in ref else ref["real"]  # unpaired / domain sets: reals
    return [[round(float(v), 4) for v in image.ravel()] for image in images[:SOURCES]]


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def entry(row):
    card = row["card"]
    base = os.path.relpath(os.path.abspath(row["path"]), REPO).replace(os.sep, "/")
    tfjs = os.path.isfile(os.path.join(row["path"], "tfjs", "model.json"))
    inputs = {}
    for name, shape in sorted(card["inputs"][pure.endpoint_name(card)].items()):
        spec = {"shape": shape[1:] if shape else []}
        if name in ("labels", "category", "target_domain"):
            spec["classes"] = pure.class_count(card, name)
            if name == "target_domain" and card.get("domains"):
                spec["names"] = card["domains"]
        inputs[pure.RENAMED.get(name, name)] = spec
    record = {"name": row["name"], "family": card.get("family"), "picture": f"{base}/assets/samples.png",
              "output_shape": card.get("output_shape"), "kind": card.get("export_kind"),
              "tfjs": f"{base}/tfjs/model.json" if tfjs else None, "inputs": inputs}
    if "truncation" not in inputs and "truncation" in (card.get("config") or {}).get("model", {}):
        record["latent_truncation"] = True  # BigGAN: the page draws |z| <= psi itself
    if tfjs and "source_images" in inputs:
        record["sources"] = _sources(card)
    return record


def write_entries(root="exports", path=ENTRIES):
    from tfgan_zoo.export_catalog import find_exports
    rows = find_exports(root)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump([entry(row) for row in rows], fh)
    return path
