"""exports/README.md, generated from the model cards of the exports it lists.

    python -m tfgan_zoo.export_catalog [exports]      rewrite <root>/README.md

tests/test_export_hub.py checks the shipped README equals `render_readme("exports")`, so
the catalogue cannot go stale: after adding or re-exporting a model, run this (or
scripts/build_zoo_exports.py, which calls it).
"""
import os
import sys

import numpy as np

from tfgan_zoo.export import read_card

README = "README.md"
GRID = "samples.png"  # assets/samples.png: a grid drawn from the export itself
METRIC_KEYS = {"fid": ("FID", "value"), "kid": ("KID", "mean"), "is": ("IS", "mean"),
               "swd": ("SWD", "value"), "l1": ("L1 to target", "value"),
               "l1_heldout": ("held-out L1 to target", "value"),
               "conditional_accuracy": ("conditional accuracy", "value"),
               "per_class_kid": ("per-class KID", "value"), "matched_accuracy": ("matched accuracy", "value"),
               "mi_categorical": ("MI bound (nats)", "value"), "classifier_accuracy": ("C accuracy", "value"),
               "class_preservation": ("class preservation", "value"), "linear_probe": ("linear probe", "value"),
               "reconstruction_ratio": ("reconstruction ratio", "value")}
#: what a record is compared with, shown beside its value: {record key: label}
BASELINE_KEYS = {"baseline": "real split", "kmeans_baseline": "k-means", "ceiling": "ln K",
                 "supervised_baseline": "labels alone", "encoder_at_init": "E at init"}


def export_grid(path, num=64, seed=0):
    """A picture of an export, from the export alone (plus the bundled data for image-to-image
    models): `sample(num, seed)` for noise -> image models; source | translation | target rows
    of the first `num` examples of the card's data for image -> image ones. Drawn in batches
    of the card's max_batch (imaging.batch_seed), so any `num` works; its memory is checked
    first."""
    import tensorflow as tf

    from tfgan_zoo import limits
    from tfgan_zoo.export import resolve_export
    from tfgan_zoo.imaging import batch_seed, draw_in_batches, preview_to_image, rows_picture
    path = resolve_export(path)
    card = read_card(path)
    if card.get("output_shape"):
        limits.check_picture(num, card["output_shape"])
    loaded = tf.saved_model.load(path)
    max_batch = int(card.get("max_batch") or 256)
    if "sample" in loaded.signatures:
        batch = draw_in_batches(num, max_batch, lambda start, n, i: loaded.signatures["sample"](
            num=tf.constant(n, tf.int32), seed=tf.constant(batch_seed(seed, i), tf.int64))["images"])
        return preview_to_image(batch)
    from tfgan_zoo.config import from_dict
    from tfgan_zoo.train import build_data, reference_examples
    ref = reference_examples(build_data(from_dict(card["config"]))[0], num)
    endpoint = (card.get("signatures") or ["translate"])[0]

    def rows(start, n, i):
        source, real = ref["source"][start:start + n], ref["real"][start:start + n]
        fake = loaded.signatures[endpoint](images=tf.constant(source))["images"].numpy()
        if source.shape[-1] != fake.shape[-1]:
            source = np.repeat(source[..., :1], fake.shape[-1], axis=-1)
        return np.concatenate([source, fake, real], axis=2)

    return rows_picture(draw_in_batches(len(ref["source"]), max_batch, rows))


def find_exports(root="exports"):
    """[{name, version, path, card, size_bytes}] for each exports/<name>/<version>/."""
    rows = []
    if not os.path.isdir(root):
        return rows
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        if not os.path.isdir(folder):
            continue
        for version in sorted((d for d in os.listdir(folder) if d.isdigit()), key=int):
            path = os.path.join(folder, version)
            if not os.path.isfile(os.path.join(path, "saved_model.pb")):
                continue
            rows.append({"name": name, "version": int(version), "path": path,
                         "card": read_card(path), "size_bytes": dir_size(path)})
    return rows


def dir_size(path):
    """The SavedModel's bytes (the formats `make formats` writes beside it not counted)."""
    from tfgan_zoo.formats.catalog import is_artifact
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files
               if not is_artifact(path, os.path.join(d, f)))


def _num(value):
    return f"{value:.3g}" if isinstance(value, (int, float)) else str(value)


def metrics_summary(card):
    """"FID 12.3 (digits, 2000 fake / 1797 real; real split 7.6)" per metric, or "–"."""
    parts = []
    for metric, result in sorted((card.get("metrics") or {}).items()):
        if not isinstance(result, dict):
            parts.append(f"{metric} {result}")
            continue
        if metric == "precision_recall":
            parts.append(f"precision {_num(result['precision'])} / recall {_num(result['recall'])}")
            continue
        if metric == "classifier":
            if "judge" not in card["metrics"]:  # a card measured before the calibrated judge
                parts.append(f"digits-classifier confidence {_num(result['mean_confidence'])}, "
                             f"largest class {100 * result['max_class_fraction']:.1f} %")
            continue
        if metric == "judge":
            from tfgan_zoo.metrics.zoo_bar import summary
            parts.insert(0, f"**{summary(result)}**")
            continue
        label, key = METRIC_KEYS.get(metric, (metric, "value"))
        value = result.get(key)
        counts = f"{result.get('num_fake', '?')} fake"
        if result.get("num_real") is not None:
            counts += f" / {result['num_real']} real"
        if result.get("real_split") is not None:
            counts += f"; real vs real {_num(result['real_split'])}"
        if result.get("mean_target_l1") is not None:
            counts += f"; the mean target scores {_num(result['mean_target_l1'])}"
        value = _num(value)
        for key, name in BASELINE_KEYS.items():
            if isinstance(result.get(key), (int, float)):
                value += f" vs {name} {result[key]:.3g}"
        parts.append(f"{label} {value} ({result.get('extractor', '?')}, {counts})")
    return "; ".join(parts) or "–"


def _data(card):
    data = card.get("data") or {}
    shape = "x".join(str(s) for s in card.get("output_shape") or data.get("shape") or [])
    took = card.get("train_seconds")
    took = f", {took / 60:.1f} min" if isinstance(took, (int, float)) else ""
    return f"{data.get('name', '?')} ({shape}, {card.get('steps', '?')} steps{took})"


def snippet(row, root):
    card, path = row["card"], f"{root}/{row['name']}/{row['version']}"
    shape = card.get("output_shape") or []
    lines = ["import tensorflow as tf", f'model = tf.saved_model.load("{path}")']
    if "sample" not in (card.get("signatures") or ()):
        src = (card.get("config") or {}).get("data", {}).get("image_size", "H")
        lines.append(f"images = model(sources)  # sources: float32 [N, {src}, {src}, C] in [-1, 1]"
                     f" -> [N, {', '.join(map(str, shape))}]")
    else:
        lines.append('images = model.signatures["sample"](num=tf.constant(16), '
                     'seed=tf.constant(0, tf.int64))["images"]  # [16, '
                     f"{', '.join(map(str, shape))}] in [-1, 1]")
    return "```python\n" + "\n".join(lines) + "\n```"


HEADER = """# Exported models

Generated by `python -m tfgan_zoo.export_catalog` from each export's `assets/card.json`
(`scripts/build_zoo_exports.py` trains, evaluates, exports and regenerates this file); do
not edit by hand, a test compares it with the cards. Every picture is drawn from the export
itself (`assets/samples.png`, `tfgan-zoo sample exports/<name>` redraws it).

Each model is a SavedModel in TF Serving layout, `exports/<name>/<version>/`, holding the
generator (its EMA copy when the family keeps one) and the networks of its other signatures.
Signatures (see `tfgan_zoo/export.py`): `generate(latents, ...)` (class-conditional models also
take `labels`, InfoGAN `category` and `continuous`) and `sample(num, seed)` for noise -> image
models, `translate(images, ...)` for image-to-image models, the family's own (`encode`,
`classify`, `infer`, `translate_ab`, `mapping`, ...), and `serving_default`; image
signatures return `images` (float32 in [-1, 1]) and `images_uint8`. The loaded object is also
callable (`model(latents)` / `model(images)` -> float images) and has `variables`,
`trainable_variables` and `regularization_losses`, for TF-Hub-style reuse.

Figures on the bundled digits use the bundled digits judge (a calibrated ensemble,
tfgan_zoo.metrics.digits_classifier; on held-out real digits: confidence 0.98, accuracy 0.998,
50/50 blends of two classes 0.49): FID and KID on its features against all 1,797 digits, each
beside its real-vs-real value (two random halves of the real set, ~900 each: FID is biased
upwards at that count, KID is not), and precision / recall (k = 3). The first figure of a noise
-> image entry is the judge on 2,000 samples of its own `sample` signature (tfgan_zoo.metrics.
zoo_bar): mean confidence, classes with >= 1 % of the samples, the largest class share,
sharpness (mean |Laplacian| over that of real digits at the same size; real = 1.0) and, for
conditional entries, the requested-class accuracy. The zoo's bar: confidence >= 0.90, 10 classes,
none above 15 %, sharpness 0.6-1.5, conditional entries >= 0.95 accuracy; a card says when and by
how much an entry misses it.

Figures on MNIST (32x32, 28 px zero-padded) use the MNIST judge (tfgan_zoo.metrics.
mnist_classifier) in the same way: FID and KID against the held-out MNIST split of the source
the entry trained on (bundled: the fixed 1,000 that no training stream contains), each beside
its real-vs-real value (as many training digits as samples against that split), precision /
recall, and the judge's bar on 2,000 samples of `sample` (sharpness against real MNIST digits).
"""

FOOTER = """## Serving

Inspect and run an export with TensorFlow's CLI:

```bash
saved_model_cli show --all --dir exports/dcgan_digits/1
saved_model_cli run --dir exports/dcgan_digits/1 --tag_set serve --signature_def sample --input_exprs 'num=4;seed=0'
```

TF Serving (REST on port 8501):

```bash
docker run -p 8501:8501 -v $PWD/exports/dcgan_digits:/models/dcgan_digits -e MODEL_NAME=dcgan_digits tensorflow/serving
curl -X POST http://localhost:8501/v1/models/dcgan_digits:predict -d '{"signature_name": "sample", "inputs": {"num": 4, "seed": 0}}'
```

## Fine-tuning

Keras 3: `tfgan_zoo.export.load_layer(path)` (a `keras.layers.TFSMLayer` whose weight names
drop the `:0` suffix that breaks Adam in Keras 3.15) inside any Keras model. Keras 2 /
TF-Hub (`pip install -e .[hub]`, `TF_USE_LEGACY_KERAS=1`):
`hub.KerasLayer(path, trainable=True)` (the callable object), or
`hub.KerasLayer(path, signature="generate", signature_outputs_as_dict=True)` (inference).
"""


def formats_cell(card):
    """TFLite / ONNX / TF.js sizes and differences to the SavedModel (tfgan_zoo/formats)."""
    from tfgan_zoo.formats.catalog import formats_summary
    return formats_summary(card)


def render_readme(root="exports", label="exports"):
    """The README text; snippets name exports as `label`/<name>/<version>."""
    rows = find_exports(root)
    out = [HEADER, "| samples | name | family | data | size | figures | signatures | formats |",
           "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        card = row["card"]
        grid = os.path.join(row["path"], "assets", GRID)
        thumb = (f'<img src="{row["name"]}/{row["version"]}/assets/{GRID}" width="96">'
                 if os.path.isfile(grid) else "–")
        out.append(f"| {thumb} | `{row['name']}/{row['version']}` | {card.get('family', '?')} | "
                   f"{_data(card)} | {row['size_bytes'] / 1e6:.2f} MB | "
                   f"{metrics_summary(card)} | {', '.join(card.get('signatures') or [])} | "
                   f"{formats_cell(card)} |")
    if not rows:
        out.append("| | (none yet) | | | | | | |")
    out.append("")
    for row in rows:
        card = row["card"]
        out += [f"### {row['name']}", ""]
        if os.path.isfile(os.path.join(row["path"], "assets", GRID)):
            out += [f"![{row['name']} samples]({row['name']}/{row['version']}/assets/{GRID})", ""]
        if card.get("command"):
            out += [f"Built with `{card['command']}`"
                    + (f" ({card['train_seconds'] / 60:.1f} min of training)"
                       if isinstance(card.get("train_seconds"), (int, float)) else "") + ".", ""]
        for note in card.get("notes") or []:
            out += [f"- {note}"]
        if card.get("notes"):
            out.append("")
        out += [snippet(row, label), ""]
    out.append(FOOTER)
    return "\n".join(out)


def write_readme(root="exports"):
    path = os.path.join(root, README)
    os.makedirs(root, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(render_readme(root))
    return path


if __name__ == "__main__":
    print(write_readme(sys.argv[1] if len(sys.argv) > 1 else "exports"))
