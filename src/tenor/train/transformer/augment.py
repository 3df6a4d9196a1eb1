"""Training rows made from training rows: the contrasts and variations the labelled sets have too
few of (issue 18; the HateCheck taxonomy names them, Roettger et al. 2021).

Each kind below is derived only from the fine-tuning rows (never the calibration fold, never an
evaluation file, never the functional suite or its templates) with frames written here, and each
result is checked against the evaluation texts like any source row (`run.py`):

- `spelling`: a hateful or toxic row with one or two words mis-spelt the ways posters dodge
  filters (swapped or dropped letters, words run together or split, leetspeak). Same labels:
  the spelling changes nothing about what the text says.
- `counter_quote`: a short identity-attacking row quoted inside a frame that condemns it.
  Counter-speech is not hate (HateCheck F20): IDENTITY_ATTACK, THREAT, DEHUMANIZATION and
  CALL_FOR_VIOLENCE are 0; TOXICITY, SEVERE_TOXICITY, INSULT and PROFANITY are left unlabelled
  (a quoted slur is still a slur on the page, and raters split on it).
- `identity_benign`: ordinary statements that mention an identity (HateCheck F18/F19's
  concern): every attribute 0. Sets whose hateful rows are their only rows teach "identity word
  -> hate"; these are the counter-examples from outside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .schema import ATTRIBUTES

__all__ = ["Augmented", "augment", "counter_quote", "identity_benign", "misspell"]

_COL = {a: j for j, a in enumerate(ATTRIBUTES)}
HATE_ATTRIBUTES = ("IDENTITY_ATTACK", "THREAT", "DEHUMANIZATION", "CALL_FOR_VIOLENCE")
SHARES = {"spelling": 6000, "counter_quote": 2000}  # rows drawn per kind (identity_benign: all)
MAX_WORDS = 30

LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "l": "1"}

COUNTER_FRAMES = (
    'Someone in this thread wrote "{x}" and that is plain bigotry. Call it out.',
    'Posting "{x}" is not an opinion, it is hate, and I reject it.',
    '"{x}" Really? Comments like this are the reason I report people here.',
    'I am tired of reading lines like "{x}" under every article.',
    'My uncle said "{x}" at dinner and I told him how wrong that is.',
    'Quoting it so everyone sees what we put up with: "{x}". Disgraceful.',
    'When you write "{x}", you spread hatred. Please stop.',
    'No one should have to read "{x}" on a news site. It is vile.',
    'The mods left up "{x}" for hours. That kind of hate should be removed at once.',
    'People who post "{x}" should be ashamed of themselves, and the rest of us should say so.',
    'I reported the comment that said "{x}". Hate like that has no place here.',
    'Saying "{x}" about anyone is cruel and wrong.',
)

IDENTITIES = (
    "gay", "lesbian", "bisexual", "transgender", "trans", "queer", "nonbinary", "Muslim", "Jewish",
    "Christian", "Catholic", "Hindu", "Sikh", "Buddhist", "atheist", "Black", "white", "Asian",
    "Latino", "Hispanic", "Arab", "Mexican", "Chinese", "Indian", "Pakistani", "Somali", "Nigerian",
    "Palestinian", "Israeli", "Ukrainian", "Russian", "immigrant", "refugee", "disabled", "deaf",
    "blind", "autistic", "elderly", "Native American", "Indigenous", "Roma", "feminist",
)  # fmt: skip
IDENTITY_FRAMES = (
    "As a {a} nurse, I found this article fair and well researched.",
    "My sister-in-law is {a} and runs the bakery on Main Street.",
    "The {a} community in our town raised money for the flood victims.",
    "I grew up in a {a} family and I am proud of where I come from.",
    "{A} voters in the district turned out in record numbers on Tuesday.",
    "Our new neighbours are {a}; they brought us soup when I was ill.",
    "The reporter spoke with three {a} students about rent prices.",
    "Being {a} has never stopped me from doing my job well.",
    "I am a {a} woman, a mother of two, and I vote in every election.",
    "There are many {a} doctors working at the county hospital.",
    "{A} families deserve the same protection under the law as anyone else.",
    "My best friend since school is {a}, and we still talk every week.",
    "I'm {a} and I think the council made the right call here.",
    "The festival celebrates {a} music, food and art every summer.",
    "A {a} man was elected mayor of the town last night.",
    "Speaking as someone who is {a}: thank you for covering this story.",
    "The survey asked {a} residents how they feel about the new park.",
    "My grandfather was {a} and taught me how to fish.",
)  # fmt: skip


@dataclass(frozen=True)
class Augmented:
    texts: list[str]
    targets: np.ndarray  # float32 (n, len(ATTRIBUTES)), NaN = unlabelled
    kinds: list[str]

    def counts(self) -> dict[str, int]:
        return {k: self.kinds.count(k) for k in sorted(set(self.kinds))}


def misspell(text: str, rng: np.random.Generator) -> str:
    """`text` with one or two of its longer words mis-spelt one way (chosen by `rng`)."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 4]
    if not candidates:
        return text
    kind = int(rng.integers(5))
    picks = sorted(rng.choice(candidates, size=min(len(candidates), int(rng.integers(1, 3))), replace=False))
    for i in picks:
        w = words[i]
        letters = [k for k in range(1, len(w) - 1) if w[k].isalpha()]
        if not letters:
            continue
        k = int(rng.choice(letters))
        if kind == 0 and k + 1 < len(w):  # swapped letters
            w = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
        elif kind == 1:  # a dropped letter
            w = w[:k] + w[k + 1 :]
        elif kind == 2:  # a space inside the word
            w = w[:k] + " " + w[k:]
        elif kind == 3:  # leetspeak
            w = "".join(LEET.get(c.lower(), c) if rng.random() < 0.6 else c for c in w)
        words[i] = w
    if kind == 4 and len(words) > 1:  # two words run together
        i = int(rng.choice(picks))
        j = i + 1 if i + 1 < len(words) else i - 1
        lo = min(i, j)
        words[lo : lo + 2] = [words[lo] + words[lo + 1]]
    return " ".join(words)


def counter_quote(text: str, rng: np.random.Generator) -> str:
    return COUNTER_FRAMES[int(rng.integers(len(COUNTER_FRAMES)))].format(x=text.strip().rstrip("."))


def identity_benign() -> list[str]:
    out = []
    for frame in IDENTITY_FRAMES:
        for a in IDENTITIES:
            out.append(frame.format(a=a, A=a[0].upper() + a[1:]))
    return out


def _short(text: str) -> bool:
    return "\n" not in text and '"' not in text and 3 <= len(text.split()) <= MAX_WORDS


def augment(texts: Sequence[str], targets: np.ndarray, seed: int) -> Augmented:
    """New rows from the fine-tuning rows `texts` / `targets` (see the module docstring)."""
    rng = np.random.default_rng([seed, 18])
    known = np.nan_to_num(targets, nan=0.0)
    hateful = (known[:, [_COL[a] for a in HATE_ATTRIBUTES]] >= 0.5).any(axis=1)
    toxic = hateful | (known[:, _COL["TOXICITY"]] >= 0.5) | (known[:, _COL["INSULT"]] >= 0.5)
    short = np.array([_short(t) for t in texts], dtype=bool)
    out_texts: list[str] = []
    out_targets: list[np.ndarray] = []
    kinds: list[str] = []

    pool = np.flatnonzero(toxic & short)
    for row in rng.choice(pool, size=min(SHARES["spelling"], len(pool)), replace=False) if len(pool) else []:
        varied = misspell(texts[row], rng)
        if varied != texts[row]:
            out_texts.append(varied)
            out_targets.append(targets[row].astype(np.float32))
            kinds.append("spelling")

    attack = known[:, _COL["IDENTITY_ATTACK"]] >= 0.5
    pool = np.flatnonzero(attack & short)
    for row in (
        rng.choice(pool, size=min(SHARES["counter_quote"], len(pool)), replace=False) if len(pool) else []
    ):
        label = np.full(len(ATTRIBUTES), np.nan, dtype=np.float32)
        label[[_COL[a] for a in HATE_ATTRIBUTES]] = 0.0
        out_texts.append(counter_quote(texts[row], rng))
        out_targets.append(label)
        kinds.append("counter_quote")

    for text in identity_benign():
        out_texts.append(text)
        out_targets.append(np.zeros(len(ATTRIBUTES), dtype=np.float32))
        kinds.append("identity_benign")
    return Augmented(
        out_texts, np.stack(out_targets) if out_targets else np.zeros((0, len(ATTRIBUTES)), np.float32), kinds
    )
