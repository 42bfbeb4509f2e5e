"""Pictures of the shipped translation exports on held-out digits, for the README.

    python scripts/translation_grids.py [--exports exports] [--out docs/images]

Reads only the SavedModels (exports/cyclegan_digits/1, exports/stargan_digits/1) through their
signatures, so the pictures show what a user of the export gets:
  cyclegan_digits.png  columns: held-out digits 0-9; rows: a, translate_ab(a), the true restyle
                       of a, translate_ba(translate_ab(a))
  stargan_digits.png   columns: held-out digits 0-9, digit d in domain d mod 4; rows: the input,
                       then translate(input, k) for k = 0 (original), 1 (inverted),
                       2 (thick amber on navy), 3 (red on green)
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def signature(loaded, name):
    fn = loaded.signatures[name]
    return lambda **inputs: fn(**inputs)["images"].numpy()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exports", default=os.path.join(ROOT, "exports"))
    p.add_argument("--out", default=os.path.join(ROOT, "docs", "images"))
    args = p.parse_args(argv)
    import tensorflow as tf

    from tfgan_zoo.imaging import write_png
    from tfgan_zoo.figures.translation import cyclegan_grid, stargan_grid

    cycle = tf.saved_model.load(os.path.join(args.exports, "cyclegan_digits", "1"))
    ab, ba = signature(cycle, "translate_ab"), signature(cycle, "translate_ba")
    write_png(os.path.join(args.out, "cyclegan_digits.png"),
              cyclegan_grid(lambda x: ab(images=tf.constant(x)), lambda x: ba(images=tf.constant(x))))
    star = signature(tf.saved_model.load(os.path.join(args.exports, "stargan_digits", "1")), "translate")
    write_png(os.path.join(args.out, "stargan_digits.png"),
              stargan_grid(lambda x, k: star(images=tf.constant(x), target_domain=tf.constant(k))))
    print(f"wrote {args.out}/cyclegan_digits.png and stargan_digits.png")


if __name__ == "__main__":
    main()
