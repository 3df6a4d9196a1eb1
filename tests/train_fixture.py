"""A tiny, made-up training corpus in the staged datasets' file formats (no real data)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

CLEAN = "the article was interesting and the bridge reopens on monday thanks for sharing this update".split()
RUDE = "idiot stupid moron pathetic loser dumb".split()
SWEAR = "damn crap shit".split()
THREATS = "i will hurt you".split()


def _sentence(rng: random.Random, toxic: bool) -> tuple[str, dict[str, int]]:
    words = rng.sample(CLEAN, 6)
    labels = dict.fromkeys(("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"), 0)
    if toxic:
        kind = rng.choice(["insult", "obscene", "threat"])
        extra = {"insult": RUDE, "obscene": SWEAR, "threat": THREATS}[kind]
        words.insert(rng.randrange(len(words)), " ".join(rng.sample(extra, 2)) if kind != "threat" else " ".join(extra))
        labels["toxic"] = 1
        labels[kind] = 1
    return " ".join(words), labels


def write_fixture(root: Path, n: int = 240, seed: int = 7) -> Path:
    rng = random.Random(seed)
    train = root / "jigsaw_toxic_2018_union" / "train"
    train.mkdir(parents=True)
    with (train / "train_union.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "comment_text", "toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate", "text_cleaned"])
        for i in range(n):
            text, labels = _sentence(rng, toxic=i % 4 == 0)
            labels["severe_toxic"] = int(labels["toxic"] and i % 8 == 0)
            labels["identity_hate"] = int(labels["toxic"] and i % 12 == 0)
            writer.writerow([f"{i:016x}", text, *labels.values(), False])
    spans = root / "toxic_spans"
    spans.mkdir()
    with (spans / "tsd_train.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["spans", "text"])
        for _ in range(60):
            word = rng.choice(RUDE)
            text = f"{' '.join(rng.sample(CLEAN, 4))} {word} {' '.join(rng.sample(CLEAN, 3))}"
            begin = text.index(f" {word} ") + 1
            writer.writerow([str(list(range(begin, begin + len(word)))), text])
    test = root / "jigsaw_toxic_2018_union" / "test"
    test.mkdir(parents=True)
    with (test / "test_scored_with_text.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "comment_text", "toxic"])
        # the same text as training row 0, differently cased and punctuated: training must drop it
        rows = (train / "train_union.csv").read_text(encoding="utf-8").splitlines()
        first = next(csv.reader(rows[1:2]))[1]
        writer.writerow(["ffff", first.upper() + "!!", 1])
    return root
