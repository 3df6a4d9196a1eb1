"""Readers for the implicit / group-hate sets of data4 that label hate vs not (plus a few
subtypes): Implicit Hate Corpus, ToxiGen (annotated + seed statements), HatEval, ISHate.

Shared rules, each restated where it is applied:
  * hate against a group for its identity -> IDENTITY_ATTACK 1; the set's "not hate" -> 0 when
    its annotators judged hate against any protected group (masked where they judged only one
    kind of hate, as EDOS does for sexism).
  * "not hateful" is not "not toxic": TOXICITY, INSULT, PROFANITY stay masked on not-hate rows.
  * explicit identity hate -> TOXICITY 1 (in Jigsaw-2018, 92.5% of identity_hate rows are also
    toxic); implicit hate keeps TOXICITY masked: it is written to read civilly, and whether raters
    would call it rude is not what these sets annotated. It is taught through IDENTITY_ATTACK.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..._attributes import IDENTITY_ATTACK, THREAT, TOXICITY
from .schema import CALL_FOR_VIOLENCE, DEHUMANIZATION, Labels, Rows, find, register
from .sources_comments import read_text_csv

# IHC stage-2 implicit categories (ElSherief et al. 2021, Table 1) and what each says:
#   threatening: "commitment to a target's pain, injury, damage, loss or violation of rights";
#       includes non-violent threats (deportation, loss of rights) -> THREAT 1, CFV masked.
#   incitement: "flaunting in-group unity and power or elevating known hate groups and
#       ideologies": promotion of hate groups, not reliably a call for violence -> CFV masked.
#   inferiority: "one group is inferior ... includes dehumanization and toxification (comparing
#       the target with disease, insects, animals)": a superset of DEHUMANIZATION -> masked.
#   white_grievance, stereotypical: no threat, no violence, and a dehumanising post would have
#       gone to inferiority -> THREAT 0, CFV 0, DEHUMANIZATION 0.
#   irony: no threat or violence category chosen -> THREAT 0, CFV 0; irony can still dehumanise
#       ("they are such lovely rats") -> DEHUMANIZATION masked.
#   other: nothing known.
# The IHC release quotes text oddly ('" : jewish harvard professor ... via #wr " " "'): runs of
# quote marks separated by spaces are collapsed and stray quotes at either end removed, so the
# model does not learn the release's artefacts. (Merging and overlap ignore punctuation anyway.)
_QUOTE_RUN = re.compile(r'"(?:\s*")+')
_SPACES = re.compile(r"\s+")


def clean_ihc(text: str) -> str:
    return _SPACES.sub(" ", _QUOTE_RUN.sub('"', text)).strip().strip('"').strip()


IHC_NO_THREAT = {"white_grievance", "incitement", "inferiority", "irony", "stereotypical"}
IHC_NO_VIOLENCE = {"white_grievance", "inferiority", "irony", "stereotypical"}
IHC_NOT_DEHUMANISING = {"white_grievance", "stereotypical", "incitement"}


@register(
    "implicit_hate_corpus",
    title="Implicit Hate Corpus (Latent Hatred, ElSherief et al. 2021), stages 1 and 2",
    folder="data4/implicit_hate_corpus",
    terms="permissive",
    terms_reason=(
        "Release LICENSE: CC BY 4.0 (commercial use allowed). The authors ask for a short survey before download "
        "(an access step, not a licence term); tweets are also under X/Twitter terms."
    ),
)
def read_implicit_hate(dirs: Sequence[Path]) -> Rows | None:
    folder = find(dirs, "implicit_hate_corpus")
    if folder is None or not (folder / "implicit_hate_v1_stg1_posts.tsv").exists():
        return None
    posts = read_text_csv(folder / "implicit_hate_v1_stg1_posts.tsv", sep="\t")
    # Stage-2 categories join stage 1 through the ID files, which are row-aligned with the posts
    # files (checked: identical class columns); without them, fall back to joining on the text.
    ids_path, stg2_path = folder / "implicit_hate_v1_stg1.tsv", folder / "implicit_hate_v1_stg2.tsv"
    if ids_path.exists() and stg2_path.exists():
        ids = read_text_csv(ids_path, sep="\t")
        if len(ids) != len(posts) or not ids["class"].equals(posts["class"]):
            raise ValueError(f"{ids_path} is not row-aligned with implicit_hate_v1_stg1_posts.tsv")
        stg2 = read_text_csv(stg2_path, sep="\t").drop_duplicates("ID").set_index("ID")
        primary = ids["ID"].map(stg2["implicit_class"])
        extra = ids["ID"].map(stg2["extra_implicit_class"])
    else:
        stg2 = (
            read_text_csv(folder / "implicit_hate_v1_stg2_posts.tsv", sep="\t")
            .drop_duplicates("post")
            .set_index("post")
        )
        primary = posts["post"].map(stg2["implicit_class"])
        extra = posts["post"].map(stg2["extra_implicit_class"])
    implicit = posts["class"].eq("implicit_hate").to_numpy()
    explicit = posts["class"].eq("explicit_hate").to_numpy()
    nothate = posts["class"].eq("not_hate").to_numpy()
    # A category only for stage-1 implicit rows (96 stage-2 ids point at other stage-1 classes).
    cats = [
        frozenset(c for c in (p, e) if isinstance(c, str) and c) if imp else frozenset()
        for p, e, imp in zip(primary.tolist(), extra.tolist(), implicit, strict=True)
    ]
    has_cat = np.array([bool(c) for c in cats])
    lab = Labels(len(posts))
    # IHC hate = attacks on protected groups, explicit or implicit -> IDENTITY_ATTACK 1.
    # 849 stage-1 implicit rows got no stage-2 category; the expert stage-1 label stands.
    lab.set(IDENTITY_ATTACK, 1.0, where=implicit | explicit)
    # not_hate -> 0: annotators judged hate against any group. These are often far-right
    # political posts that are not hateful: the hard negatives the set is valued for.
    lab.set(IDENTITY_ATTACK, 0.0, where=nothate)
    lab.set(TOXICITY, 1.0, where=explicit)  # explicit identity hate is toxic; implicit: masked
    lab.set(THREAT, 1.0, where=np.array(["threatening" in c for c in cats]))
    lab.set(THREAT, 0.0, where=has_cat & np.array([c <= IHC_NO_THREAT for c in cats]))
    lab.set(CALL_FOR_VIOLENCE, 0.0, where=has_cat & np.array([c <= IHC_NO_VIOLENCE for c in cats]))
    lab.set(DEHUMANIZATION, 0.0, where=has_cat & np.array([c <= IHC_NOT_DEHUMANISING for c in cats]))
    notes = {"implicit rows without a stage-2 category": int((implicit & ~has_cat).sum())}
    return Rows.of(posts["post"].map(clean_ihc), lab, notes=notes)


def unwrap_bytes_literal(text: str) -> str:
    """ToxiGen-annotated texts are Python bytes literals (b'...' / b"..."): decode them."""
    s = text.strip()
    if len(s) >= 3 and s[0] == "b" and s[1] in "'\"" and s[-1] == s[1]:
        try:
            value = ast.literal_eval(s)
        except (ValueError, SyntaxError):
            return s[2:-1]
        if isinstance(value, bytes):
            return value.decode("utf-8", errors="replace")
    return s


@register(
    "toxigen_annotated",
    title="ToxiGen human-annotated machine-generated statements (train part, 8,960)",
    folder="data4/toxigen_annotated",
    terms="research",
    terms_reason=(
        'LICENSE: CDLA-Permissive-2.0, but the README says the data are "intended to be used for research purposes '
        'only" and the HF copy is gated on accepting terms: classed research until that is settled.'
    ),
)
def read_toxigen_annotated(dirs: Sequence[Path]) -> Rows | None:
    path = find(dirs, "toxigen_annotated/annotated_train.csv")
    if path is None:
        return None
    raw = read_text_csv(path)
    rating = pd.to_numeric(raw["toxicity_human"], errors="coerce").to_numpy()
    lab = Labels(len(raw))
    # toxicity_human: mean of 3 raters, 1 (benign) .. 5 (very harmful) towards the target group
    # every statement is about. <= 2 -> 0, >= 4 -> 1, linear between (a soft target, like a
    # share of raters). The `label` column is the generation prompt's polarity, not a judgement
    # (README: 1,452 "hate" prompts were rated < 3), so it is not used. TOXICITY masked:
    # implicit, machine-written statements; harm to a group is IDENTITY_ATTACK's question.
    lab.set(IDENTITY_ATTACK, np.clip((rating - 2.0) / 2.0, 0.0, 1.0), where=~np.isnan(rating))
    return Rows.of(raw["text"].map(unwrap_bytes_literal), lab)


@register(
    "toxigen_seeds",
    title="ToxiGen seed statements (human-written hate / neutral demonstrations)",
    folder="data4/toxigen_seed_statements",
    terms="research",
    terms_reason='LICENSE: CDLA-Permissive-2.0 for the data, but the repository README: "intended to be used for research purposes only".',
)
def read_toxigen_seeds(dirs: Sequence[Path]) -> Rows | None:
    path = find(dirs, "toxigen_seed_statements/toxigen_seed_statements.csv")
    if path is None:
        return None
    raw = read_text_csv(path)
    lab = Labels(len(raw))
    # Label from the prompt file a sentence sits in: hate_* are implicit hate against the named
    # group -> IDENTITY_ATTACK 1; neutral_* mention the same groups benignly -> 0 (a few discuss
    # prejudice: useful hard negatives, a few debatable). TOXICITY masked (implicit).
    lab.set(IDENTITY_ATTACK, 1.0, where=raw["label"].eq("hate").to_numpy())
    lab.set(IDENTITY_ATTACK, 0.0, where=raw["label"].eq("neutral").to_numpy())
    return Rows.of(raw["text"], lab)


@register(
    "hateval",
    title="HatEval 2019 English task A (TweetEval copy), train split",
    folder="data4/hateval2019_en_tweeteval",
    terms="unclear",
    terms_reason="No licence found for the HatEval data; TweetEval defers to each dataset's licence; README: check before redistributing.",
)
def read_hateval(dirs: Sequence[Path]) -> Rows | None:
    text_path = find(dirs, "hateval2019_en_tweeteval/train_text.txt")
    label_path = find(dirs, "hateval2019_en_tweeteval/train_labels.txt")
    if text_path is None or label_path is None:
        return None
    # One tweet per line, aligned with one label per line; blank tweets keep their line.
    # Split on "\n" only: str.splitlines would also split on U+2028 and friends inside tweets.
    texts = text_path.read_text(encoding="utf-8").split("\n")
    labels = label_path.read_text(encoding="utf-8").split("\n")
    if texts and texts[-1] == "" and labels and labels[-1].strip() == "":
        texts, labels = texts[:-1], labels[:-1]
    if len(texts) != len(labels):
        raise ValueError(f"{text_path}: {len(texts)} lines but {len(labels)} labels")
    y = np.array([int(v) for v in labels])
    lab = Labels(len(texts))
    # 1 = hateful towards immigrants or women (disparages them for who they are) ->
    # IDENTITY_ATTACK 1, TOXICITY 1 (explicit-leaning identity hate).
    lab.set(IDENTITY_ATTACK, 1.0, where=y == 1)
    lab.set(TOXICITY, 1.0, where=y == 1)
    # 0 -> IDENTITY_ATTACK 0: tweets sampled on immigrants / women and judged not hateful to them
    # (a little anti-Muslim content is labelled 0 too: HatEval's own noise). TOXICITY masked:
    # many not-hate tweets are crude or abusive to individuals.
    lab.set(IDENTITY_ATTACK, 0.0, where=y == 0)
    return Rows.of([t.strip() for t in texts], lab)


# ISHate targets that are not identities in Perspective's sense (IDENTITY_ATTACK: attacks on
# someone for who they are, e.g. race, religion, gender, sexuality, disability, nationality).
ISHATE_NON_IDENTITY_TARGETS = {"Political Affiliations", "Professions and Roles", "Economic Status"}


@register(
    "ishate",
    title="ISHate (implicit and subtle hate), original messages, CONAN rows removed, train split",
    folder="data4/ishate_implicit_subtle",
    terms="unclear",
    terms_reason=(
        "Repository LICENSE is BSL-1.0, a software licence; no data licence. Texts come from HatEval (unclear), "
        "Stormfront (CC BY-SA), IHC (CC BY), ToxiGen (research) and an unidentified YouTube set."
    ),
)
def read_ishate(dirs: Sequence[Path]) -> Rows | None:
    path = find(dirs, "ishate_implicit_subtle/ishate_train_original_noconan.csv")
    if path is None:
        return None
    raw = read_text_csv(path)
    hs = raw["hateful_layer"].eq("HS").to_numpy()
    non_hs = raw["hateful_layer"].eq("Non-HS").to_numpy()
    explicit = raw["implicit_layer"].eq("Explicit HS").to_numpy()
    identity = ~raw["target"].isin(ISHATE_NON_IDENTITY_TARGETS).to_numpy()
    lab = Labels(len(raw))
    # HS against an identity group (re-annotated under one scheme) -> IDENTITY_ATTACK 1. HS
    # against a party, profession or economic class is hate in ISHate's sense but no identity
    # attack in Perspective's -> masked.
    lab.set(IDENTITY_ATTACK, 1.0, where=hs & identity)
    lab.set(IDENTITY_ATTACK, 0.0, where=non_hs)  # judged not hateful towards any group
    lab.set(TOXICITY, 1.0, where=hs & explicit)  # explicit hate is toxic; implicit/subtle: masked
    return Rows.of(
        raw["text"],
        lab,
        notes={"HS rows with a non-identity target (IA masked)": int((hs & ~identity).sum())},
    )
