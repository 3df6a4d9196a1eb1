"""The technique model's card, generated from its manifest so the numbers are its own."""

from __future__ import annotations

from typing import Any

from ...techniques._inventory import TECHNIQUE_LABELS, TECHNIQUES

__all__ = ["technique_card"]

DATA_TERMS = """\
| dataset (../shared/data) | used for | licence / terms |
|---|---|---|
| SemEval-2023 Task 3, English, subtask 3 (semeval2023_task3_en), train/ only | every head | released by the organisers for research use; the staged copy states no licence |
| SemEval-2020 Task 11 PTC (ptc_semeval2020_task11), train articles | nothing more: the 2023 train already holds these articles (and the PTC dev articles), relabelled in the 2023 taxonomy | released for research use; no licence stated |

Never read by training: semeval2023_task3_en/dev (the gold labels of the PTC test articles: it is
what `tenor eval` measures on) and test_unlabeled/. One label string in the staged train file is
corrupted (`Appeal_to_Fear-Prejudi-čce`); the reader repairs it to `Appeal_to_Fear-Prejudice`.

**Research use.** These corpora were released for research. The model marks rhetorical devices as
annotators of partisan and state-aligned news marked them; it does not judge whether a claim is
true, and a marked technique is not evidence of bad faith. Use it to point readers at passages,
not as a verdict on an outlet or an author.
"""


# Measured with benchmarks/experiments/techniques_model_cv.py (the same 5 folds of train; dev never
# read) while the shipped settings were chosen. Kept here, not recomputed: `tenor train --techniques`
# trains the shipped settings only. The choice was made on these numbers alone.
ALTERNATIVES = """\
| variant (a row starting \"...\" changes one thing from the first row) | sentence micro-F1 | paragraph micro-F1 | span F1 |
|---|---|---|---|
| first stage C=1, no word maximum | 0.3183 | 0.3975 | 0.1806 |
| ... with one threshold per technique (those with >= 50 positives) | 0.3150 | 0.3907 | 0.1849 |
| ... with C=0.5 | 0.3119 | 0.3929 | 0.1721 |
| ... with C=2 | 0.3205 | 0.3975 | 0.1839 |
| ... trained on sentences only (no whole paragraphs) | 0.3154 | 0.3954 | 0.1780 |
| ... NB-LR (features scaled by naive Bayes log-count ratios) | 0.3097 | 0.3918 | 0.1776 |
| ... plus the comment model's six logits in the second stage | 0.3198 | 0.3991 | 0.1813 |
| C=2 plus the word maximum (shipped) | 0.3244 | 0.4045 | 0.1900 |
| shipped plus every technique's logit and word maximum in every second-stage head | 0.3133 | 0.3921 | 0.1823 |

Not shipped, from benchmarks/experiments/README.md: frozen MiniLM sentence embeddings beside the
TF-IDF features added about 0.04 sentence micro-F1 in an earlier cross-validation, but scoring them
needs a transformer encoder at analyze time (about 79 sentences/s on 2 cores here, against about
12 ms per article for this model), which the issue's time budget for analyze does not allow.
"""


def technique_card(manifest: dict[str, Any]) -> str:
    cv = manifest["cross_validation"]
    settings = manifest["training"]["settings"]
    positives = manifest["training"]["positive_sentences"]
    rows = []
    for t in TECHNIQUES:
        if t in manifest["techniques"]:
            span = cv["span"]["per_technique"][t]
            rows.append(
                f"| {TECHNIQUE_LABELS[t]} (`{t}`) | {positives.get(t, 0)} | {cv['per_technique_sentence_f1'][t]:.4f} | "
                f"{span['f1']:.4f} | {manifest['thresholds'][t]:.2f} | {manifest['span_alpha'][t]:g} |"
            )
        else:
            rows.append(f"| {TECHNIQUE_LABELS[t]} (`{t}`) | {positives.get(t, 0)} | not predicted | | | |")
    table = "\n".join(rows)
    return f"""# Model card: {manifest["name"]} {manifest["version"]}

## Persuasion techniques

Finds the persuasion techniques of the SemEval-2023 Task 3 taxonomy in an English news article:
spans (begin, end, technique, confidence) and paragraph labels. Used by `tenor analyze` (JSON,
HTML report, database), the review UI and `POST /v1alpha1/articles:techniques` of `tenor serve`.

## How it works

- **Unit.** Each paragraph is cut into sentences (`tenor.techniques._segment`); a training sentence
  carries every technique whose gold span overlaps it by at least 3 characters (or all of a shorter span).
- **First stage.** Hashed word, character (2-5) and word-bigram sublinear TF-IDF
  ({manifest["training"]["vocabulary"]:,} features, min_df {settings["min_df"]}), one class-balanced
  liblinear logistic head per technique (C={settings["C"]}), trained on sentences
  {"and on whole paragraphs " if settings["with_paragraph_rows"] else ""}of the train split.
- **Second stage.** Per technique, a logistic head (C={settings["context_C"]}) over the sentence's
  first-stage logit beside its neighbours', its paragraph's and its article's, the highest logit
  of any single word of the sentence (the first-stage head applied to each word on its own: a long
  sentence dilutes one loaded word in its own logit, not here), how much of the sentence the
  article repeats, its position, and whether it asks, exclaims or quotes; fitted on out-of-fold
  first-stage logits, so its probabilities describe unseen text.
- **Decisions.** A sentence carries a technique when its probability reaches the threshold; a
  paragraph carries the techniques of its sentences (confidence: the highest). The span is the run
  of words from the first to the last whose contribution to the technique's first-stage logit is at
  least `alpha` times the largest (alpha 0: the whole sentence). Threshold and alpha were chosen on
  out-of-fold predictions of train.
- Scoring needs numpy only; every probability is rounded to 6 decimals.

## Cross-validation on train ({settings["folds"]} folds grouped by article)

| level | rows | micro-F1 | macro-F1 (23, official) | macro-F1 (techniques present) |
|---|---|---|---|---|
| sentence | {cv["sentence"]["rows"]} | {cv["sentence"]["micro_f1"]:.4f} | {cv["sentence"]["macro_f1"]:.4f} | {cv["sentence"]["macro_present"]:.4f} |
| paragraph (2023 train rows) | {cv["paragraph"]["rows"]} | {cv["paragraph"]["micro_f1"]:.4f} | {cv["paragraph"]["macro_f1"]:.4f} | {cv["paragraph"]["macro_present"]:.4f} |

Span F1 (SemEval-2020 span identification, a span credited only against gold spans of its own
technique): {cv["span"]["all"]["f1"]:.4f} (precision {cv["span"]["all"]["precision"]:.4f}, recall {cv["span"]["all"]["recall"]:.4f}).

Held-out numbers on the English dev split (the PTC test articles) are measured by `tenor eval`:
see docs/evaluation.md. The best SemEval-2023 English systems scored about 0.37-0.38 paragraph
micro-F1 on the 2023 test set, which is not staged here.

| technique | positive train sentences | sentence F1 (CV) | span F1 (CV) | threshold | span alpha |
|---|---|---|---|---|---|
{table}

## Alternatives tried (cross-validation on train)

{ALTERNATIVES}
## Data and terms

{DATA_TERMS}
## Limits

- English only: an article in another language gets meaningless labels.
- Bag-of-words with context: it sees words and where they sit, not argument structure, so
  techniques that live in reasoning (straw man, red herring, causal oversimplification, false
  dilemma) are found far less reliably than word-level ones (loaded language, name calling).
- Four techniques of the inventory never occur in the English training labels and are never
  predicted.
"""
