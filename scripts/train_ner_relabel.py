"""Train the NER relabeller shipped as src/storyline/data/ner_relabel.{json,npz}.

Reads CoNLL++ dev (bench/ner/conllpp_dev.txt), keeps out the seeded half of its documents that
`storyline.evaluate.ner.split` recomputes, trains both stages on the other half and writes the
model; then prints F1 on the held-out half with and without it, and the 2-fold CV figure.

    .venv/bin/python scripts/train_ner_relabel.py [--data PATH] [--out STEM]
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

from storyline.annotate import ner_relabel
from storyline.evaluate.ner import C, cross_validate, parse, read_conll, save_model, score, split, train

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "bench" / "ner" / "conllpp_dev.txt"
OUT = ROOT / "src" / "storyline" / "data" / "ner_relabel"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    n_documents = sum(1 for _ in read_conll(str(args.data)))
    training, held = split(n_documents)
    started = time.perf_counter()
    examples = parse(str(args.data))
    print(f"{n_documents} documents: {len(training)} to train on, {len(held)} held out")
    print(
        f"parsed in {time.perf_counter() - started:.0f} s, {sum(len(e.found) for e in examples)} candidates"
    )

    started = time.perf_counter()
    sha256 = hashlib.sha256(args.data.read_bytes()).hexdigest()
    model = train([e for e in examples if e.number in set(training)], C, sha256)
    print(f"trained in {time.perf_counter() - started:.1f} s (C={C})")
    save_model(model, args.out)
    sizes = {suffix: Path(f"{args.out}.{suffix}").stat().st_size for suffix in ("json", "npz")}
    print(f"wrote {args.out}.json/.npz ({sizes} bytes), {len(model.second.vocabulary)} features")

    tested = [e for e in examples if e.number in set(held)]
    without = score(tested, {e.number: [(s.start, s.end, s.label_) for s in e.spans] for e in tested})
    relabelled = {
        e.number: [(s.start, s.end, s.label_) for s in ner_relabel.relabel(e.doc, e.spans, e.words, model)]
        for e in tested
    }
    for name, figures in (("without relabeller", without), ("with relabeller", score(tested, relabelled))):
        print(f"held-out half, {name}: {_line(figures)}")
    print(f"2-fold CV over all documents: {_line(cross_validate(examples, set(training), C))}")


def _line(figures: dict) -> str:
    kinds = " ".join(f"{t} {v['f1']:.3f}" for t, v in figures["per_type"].items())
    return f"P {figures['precision']:.3f} R {figures['recall']:.3f} F1 {figures['f1']:.4f} ({kinds})"


if __name__ == "__main__":
    main()
