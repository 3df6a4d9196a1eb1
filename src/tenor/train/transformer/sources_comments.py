"""Readers for the comment and tweet sets the n-gram model already used, plus toxic spans and
AbuseEval: Jigsaw 2018, toxic spans (post level), OLID, AbuseEval, Davidson, Stormfront.

These readers are written afresh rather than imported from tenor/train/ngram/data.py (which
was being moved while this package was written); the Jigsaw, OLID, Davidson and Stormfront
mappings follow that module's, extended to the two tenor attributes. Every mapping line
carries its reason. NaN (never set) = the source says nothing about the attribute.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..._attributes import IDENTITY_ATTACK, INSULT, PROFANITY, SEVERE_TOXICITY, THREAT, TOXICITY
from .schema import ATTRIBUTES, Labels, Rows, find, register


def read_text_csv(path: Path, **kwargs: object) -> pd.DataFrame:
    """Every column as str, and no "NA"/"null"/"None" tweet turned into a missing value."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kwargs)


# Share of toxic rows in the full Jigsaw-2018 train set (15,294 of 159,571), the constant the
# n-gram trainer uses. The staged copies over-sample toxic rows (21% in data2), so rows are
# re-weighted back to this prevalence, or every TOXICITY probability comes out inflated.
JIGSAW_TOXIC_PREVALENCE = 15294 / 159571


def prevalence_weights(toxic: np.ndarray) -> np.ndarray:
    share = float(toxic.mean()) if len(toxic) else JIGSAW_TOXIC_PREVALENCE
    if share in (0.0, 1.0):
        return np.ones(len(toxic))
    return np.where(toxic == 1, JIGSAW_TOXIC_PREVALENCE / share, (1 - JIGSAW_TOXIC_PREVALENCE) / (1 - share))


@register(
    "jigsaw2018",
    title="Jigsaw Toxic Comment Classification 2018 (partial rebuild: union + more), train/ only",
    folder="data2/jigsaw_toxic_2018_union, data3/jigsaw_toxic_2018_more",
    terms="permissive",
    terms_reason="Kaggle page: data CC0; comment text from Wikipedia under CC BY-SA 3.0. Both allow commercial use.",
)
def read_jigsaw(dirs: Sequence[Path]) -> Rows | None:
    parts = [
        find(dirs, "jigsaw_toxic_2018_union/train/train_union.csv"),
        find(dirs, "jigsaw_toxic_2018_more/train/train_more.csv"),
    ]
    frames = [read_text_csv(p) for p in parts if p is not None]
    if not frames:
        return None
    raw = pd.concat(frames, ignore_index=True).drop_duplicates("id")
    y = {
        c: raw[c].astype(int).to_numpy()
        for c in ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")
    }
    lab = Labels(len(raw))
    # One to one: Perspective's production attributes grew out of these six labels.
    lab.set(TOXICITY, y["toxic"])
    lab.set(SEVERE_TOXICITY, y["severe_toxic"])
    lab.set(IDENTITY_ATTACK, y["identity_hate"])
    lab.set(INSULT, y["insult"])
    lab.set(PROFANITY, y["obscene"])  # obscene = swearing and obscenity, Perspective's PROFANITY
    lab.set(THREAT, y["threat"])
    # CALL_FOR_VIOLENCE masked, although a threat of violence is one (schema.py): Jigsaw's
    # threat label is loose and personal (death wishes, "you will be blocked"), and 466
    # Wikipedia threats would outnumber every set that annotates calls for violence, turning the
    # head into a THREAT copy. It is learned from GHC cv, EDOS 1.x and Hatemoji "threatening".
    # DEHUMANIZATION: not annotated (masked). 4,484 data3 rows are lower-cased and stripped of
    # punctuation (`text_cleaned`); they are kept: an uncased tokenizer barely sees the difference.
    cleaned = int(raw["text_cleaned"].str.lower().eq("true").sum())
    return Rows.of(
        raw["comment_text"], lab, prevalence_weights(y["toxic"]), {"text_cleaned rows kept": cleaned}
    )


# Toxic-spans span types (raw_annotations/spans.csv) -> attribute. "Insu" and "Identity based"
# are the README's truncated values. "Other Toxicity" names no attribute: it counts only as toxic.
SPAN_TYPES = {
    "Insult": INSULT,
    "Insu": INSULT,
    "Identity based Attack": IDENTITY_ATTACK,
    "Identity based": IDENTITY_ATTACK,
    "Profane/Obscene": PROFANITY,
    "Threat": THREAT,
}
MIN_RATERS = 2  # a post-level share needs at least this many raters who highlighted spans


@register(
    "toxic_spans",
    title="SemEval-2021 toxic spans, raw per-rater annotations (post level), minus test and trial posts",
    folder="data/toxic_spans/raw_annotations",
    terms="permissive",
    terms_reason="Source repository states CC0 1.0; the posts are Civil Comments (CC0).",
)
def read_toxic_spans(dirs: Sequence[Path]) -> Rows | None:
    """Post-level labels from the raw annotations.
      TOXICITY = 1 for every post: all were rated toxic by at least half of the Civil Comments
        raters (the selection rule). The per-rater "not toxic" / "all toxic" tick boxes cannot
        refine it: in this export both are True together on 21,185 of the 22,143 ratings without
        a span (and both False on 908), so a rater who highlighted nothing gives no signal.
      INSULT, IDENTITY_ATTACK, PROFANITY, THREAT = share of the raters who highlighted spans that
        gave a span of that type (a soft target, like Perspective's shares of raters); masked
        when fewer than MIN_RATERS raters highlighted anything. "Other Toxicity" names no head.
    SEVERE_TOXICITY, DEHUMANIZATION, CALL_FOR_VIOLENCE: never rated, masked. The SemEval test and
    trial posts sit in raw_annotations too; overlap removal takes them out (trial is listed as an
    evaluation file in overlap.py)."""
    folder = find(dirs, "toxic_spans/raw_annotations")
    if folder is None:
        return None
    comments = read_text_csv(folder / "comments.csv")
    ann = pd.read_csv(folder / "annotations.csv", usecols=["annotation", "comment_id"])
    spans = pd.read_csv(folder / "spans.csv", dtype={"type": str}, keep_default_na=False)
    spans["attribute"] = spans["type"].map(SPAN_TYPES)
    per_rater = pd.DataFrame(
        {
            "comment_id": ann["comment_id"].astype(str),
            "highlighted": ann["annotation"].isin(spans["annotation"]),
        }
    )
    heads = sorted(set(SPAN_TYPES.values()))
    for attribute in heads:
        per_rater[attribute] = ann["annotation"].isin(
            spans.loc[spans["attribute"] == attribute, "annotation"]
        )
    post = per_rater.groupby("comment_id").sum().reindex(comments["comment_id"].astype(str))
    highlighted = post["highlighted"].fillna(0).to_numpy()
    lab = Labels(len(comments))
    lab.set(TOXICITY, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        for attribute in heads:
            lab.set(attribute, post[attribute].to_numpy() / highlighted, where=highlighted >= MIN_RATERS)
    notes = {
        "posts with fewer than 2 raters who highlighted spans (types masked)": int(
            (highlighted < MIN_RATERS).sum()
        )
    }
    return Rows.of(comments["comment_text"], lab, notes=notes)


@register(
    "olid",
    title="OLID 2019 (OffensEval), training file only",
    folder="data/olid",
    terms="unclear",
    terms_reason=(
        "OLID's own README states no licence; the only licence is the hosting repository's CC BY 4.0 at "
        "repository level, which cannot grant rights the uploader lacked. Unclear until the organisers' terms are checked."
    ),
)
def read_olid(dirs: Sequence[Path]) -> Rows | None:
    path = find(dirs, "olid/olid-training-v1.0.tsv")
    if path is None:
        return None
    raw = read_text_csv(path, sep="\t", quoting=csv.QUOTE_NONE)
    off = raw["subtask_a"].eq("OFF").to_numpy()
    nott = raw["subtask_a"].eq("NOT").to_numpy()
    unt = raw["subtask_b"].eq("UNT").to_numpy()
    lab = Labels(len(raw))
    # NOT = no offence and no profanity. OLID's OFF covers insults, threats, targeted offence
    # (veiled or direct) and swearing, so NOT is a negative on every attribute, tenor's two
    # included: dehumanising people or urging violence against them is targeted offence.
    for attribute in ATTRIBUTES:
        lab.set(attribute, 0.0, where=nott)
    lab.set(TOXICITY, 1.0, where=off)  # OFF: offensive language -> toxic
    lab.set(PROFANITY, 1.0, where=off & unt)  # OFF/UNT: untargeted profanity and swearing
    # OFF/TIN mixes insults and threats, OFF/GRP includes non-protected groups (parties, teams):
    # the other attributes stay masked on OFF rows.
    return Rows.of(raw["tweet"], lab)


@register(
    "abuseval",
    title="AbuseEval v1.0 abuse layer over the OLID training tweets",
    folder="data4/abuseval_olid_implicit (labels) + data/olid (tweets)",
    terms="noncommercial",
    terms_reason="LICENSE.txt and README: CC BY-NC-SA 4.0 (non-commercial, share-alike); the tweets are OLID's (unclear).",
)
def read_abuseval(dirs: Sequence[Path]) -> Rows | None:
    olid = find(dirs, "olid/olid-training-v1.0.tsv")
    abuse = find(dirs, "abuseval_olid_implicit/abuseval_offenseval_train.tsv")
    if olid is None or abuse is None:
        return None
    tweets = read_text_csv(olid, sep="\t", quoting=csv.QUOTE_NONE)[["id", "tweet", "subtask_a"]]
    labels = read_text_csv(abuse, sep="\t", quoting=csv.QUOTE_NONE)
    df = labels.merge(tweets, on="id", how="inner")
    abusive = df["abuse"].isin(["EXP", "IMP"]).to_numpy()  # explicit or implicit abuse
    notabu = df["abuse"].eq("NOTABU").to_numpy()
    nott = df["subtask_a"].eq("NOT").to_numpy()
    lab = Labels(len(df))
    # Abuse = hurtful language aimed at a person or group to insult or offend them: INSULT, and
    # (all abusive tweets are OLID OFF) TOXICITY. The implicit (IMP) ones are why the set is here.
    lab.set(INSULT, 1.0, where=abusive)
    lab.set(TOXICITY, 1.0, where=abusive)
    # NOTABU and OLID NOT: no offence at all -> negative everywhere (as in read_olid).
    for attribute in ATTRIBUTES:
        lab.set(attribute, 0.0, where=notabu & nott)
    # NOTABU but OLID OFF (1,651 rows, e.g. profanity): offensive, hence toxic; whether it insults
    # someone is not settled by "not abusive", so INSULT stays masked there.
    lab.set(TOXICITY, 1.0, where=notabu & ~nott)
    return Rows.of(df["tweet"], lab, notes={"label ids without an OLID tweet": len(labels) - len(df)})


@register(
    "davidson",
    title="Davidson et al. 2017 hate / offensive / neither tweets",
    folder="data/davidson_hate_offensive",
    terms="permissive",
    terms_reason="Source repository: MIT License.",
)
def read_davidson(dirs: Sequence[Path]) -> Rows | None:
    path = find(dirs, "davidson_hate_offensive/labeled_data.csv")
    if path is None:
        return None
    raw = read_text_csv(path)
    cls = raw["class"].astype(int).to_numpy()  # majority of >= 3 raters
    hate, offensive, neither = cls == 0, cls == 1, cls == 2
    lab = Labels(len(raw))
    lab.set(TOXICITY, 1.0, where=hate | offensive)  # hate speech or offensive language -> toxic
    # hate = "expresses hatred towards a targeted group": identity-directed -> IDENTITY_ATTACK.
    lab.set(IDENTITY_ATTACK, 1.0, where=hate)
    # offensive-not-hate: raters chose the weaker label over hate -> IDENTITY_ATTACK 0 (as the
    # n-gram mapping does; noisy: many "offensive" tweets use slurs).
    lab.set(IDENTITY_ATTACK, 0.0, where=offensive)
    # neither offensive nor hateful: negative on every attribute.
    for attribute in ATTRIBUTES:
        lab.set(attribute, 0.0, where=neither)
    return Rows.of(raw["tweet"], lab)


@register(
    "stormfront",
    title="Stormfront hate speech sentences (de Gibert et al. 2018), all_annotated minus test posts",
    folder="data2/stormfront_hate_speech",
    terms="permissive",
    terms_reason="Repository LICENSE: CC BY-SA 3.0 Spain (commercial use allowed, share-alike).",
)
def read_stormfront(dirs: Sequence[Path]) -> Rows | None:
    path = find(dirs, "stormfront_hate_speech/all_annotated.csv")
    if path is None:
        return None
    raw = read_text_csv(path)
    n_read = len(raw)
    # product.md: train on all_annotated minus every sentence of a post that has any sentence in
    # test/ (file_id = <post>_<sentence>).
    test = find(dirs, "stormfront_hate_speech/test/sampled_test.csv")
    if test is not None:
        test_posts = set(read_text_csv(test)["file_id"].str.split("_").str[0])
        raw = raw[~raw["file_id"].str.split("_").str[0].isin(test_posts)]
    after_test = len(raw)
    # "relation" sentences are hateful only together with their neighbours, "idk/skip" were not
    # judged: neither says anything about the sentence alone -> dropped.
    raw = raw[raw["label"].isin(["hate", "noHate"])]
    hate = raw["label"].eq("hate").to_numpy()
    lab = Labels(len(raw))
    # hate = a deliberate attack on a group motivated by its identity -> IDENTITY_ATTACK, TOXICITY.
    lab.set(IDENTITY_ATTACK, hate.astype(float))
    lab.set(TOXICITY, 1.0, where=hate)
    # noHate -> IDENTITY_ATTACK 0 only: such sentences can still be rude or violent towards
    # non-protected targets, which the set did not annotate (TOXICITY etc. masked).
    notes = {
        "sentences of test posts dropped": n_read - after_test,
        "relation/idk rows dropped": after_test - len(raw),
    }
    return Rows.of(raw["text"], lab, notes=notes)
