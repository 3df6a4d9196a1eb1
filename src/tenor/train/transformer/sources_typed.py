"""Readers for the data4 sets whose labels type the harm, which is where DEHUMANIZATION and
CALL_FOR_VIOLENCE come from: the Gab Hate Corpus (hd, cv, vo), EDOS (sexism vectors, including
threats / incitement and dehumanising attacks), HatemojiBuild (DynaHate rounds 5-7 types).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..._attributes import IDENTITY_ATTACK, INSULT, SEVERE_TOXICITY, THREAT, TOXICITY
from .schema import CALL_FOR_VIOLENCE, DEHUMANIZATION, Labels, Rows, find, register
from .sources_comments import read_text_csv


@register(
    "gab_hate_corpus",
    title="Gab Hate Corpus (Kennedy et al. 2022), majority-vote hd / cv / vo, train split",
    folder="data4/gab_hate_corpus",
    terms="unclear",
    terms_reason="OSF project commonly reported as CC BY 4.0, but the stored OSF page shows no licence (unverified); the hosting repo states none.",
)
def read_gab_hate_corpus(dirs: Sequence[Path]) -> Rows | None:
    """GHC's coding guide: HD = Assault on Human Dignity (demeaning or degrading people for their
    group identity: slurs, claims of inferiority, mockery, dehumanising comparisons); CV = Call for
    Violence (calls for, threats of, or incitement to violence against the group); VO =
    vulgarity / offensive language directed at an individual. Targets include ideology and
    political identification as well as race, religion, gender etc.; this binary release does not
    carry the target columns."""
    path = find(dirs, "gab_hate_corpus/train.jsonl")
    if path is None:
        return None
    raw = pd.read_json(path, lines=True, dtype=str)
    raw = raw[raw["text"].astype(str).str.strip().astype(bool)]
    hd, cv, vo = (raw[c].astype(int).to_numpy() == 1 for c in ("hd", "cv", "vo"))
    hate = hd | cv  # the paper's "hate" = hd OR cv
    none = ~hate & ~vo
    lab = Labels(len(raw))
    # Hate-based rhetoric targets people for a group identity -> IDENTITY_ATTACK 1 (doubt: some
    # targets are ideological / political groups, which Perspective would not call identity).
    lab.set(IDENTITY_ATTACK, 1.0, where=hate)
    lab.set(IDENTITY_ATTACK, 0.0, where=~hate)  # judged against every kind of group
    # GHC codes offensive / vulgar language at individuals (vo) as well as hate, so a post with no
    # label at all was judged neither hateful nor offensive: TOXICITY, SEVERE, INSULT 0 there.
    lab.set(TOXICITY, 1.0, where=hate | vo)
    for attribute in (TOXICITY, SEVERE_TOXICITY, INSULT):
        lab.set(attribute, 0.0, where=none)
    # PROFANITY masked throughout: vo mixes vulgarity with offensive language, and whether
    # swearing aimed at no one was coded vo is not documented.
    # cv -> CALL_FOR_VIOLENCE 1. cv mixes the speaker's threats with calls on others, so THREAT
    # is masked on cv rows. Without cv or vo the post holds neither a call for violence against a
    # group nor abuse of an individual -> THREAT 0, CALL_FOR_VIOLENCE 0; with vo alone a threat
    # against one person is possible -> masked.
    lab.set(CALL_FOR_VIOLENCE, 1.0, where=cv)
    lab.set(CALL_FOR_VIOLENCE, 0.0, where=~cv & ~vo)
    lab.set(THREAT, 0.0, where=~cv & ~vo)
    # hd -> DEHUMANIZATION 1. hd is wider than strict dehumanisation (slurs and inferiority claims
    # count too), but it is the only sizeable dignity-attack label there is (1,857 posts; strict
    # dehumanisation labels elsewhere total 359), and issue 18 measures DEHUMANIZATION against GHC
    # hd. The head therefore reads "denies a group's human dignity"; the model card says so.
    # A post with no label at all dehumanises no one -> 0; vo alone (abuse of one person) -> masked.
    lab.set(DEHUMANIZATION, 1.0, where=hd)
    lab.set(DEHUMANIZATION, 0.0, where=none)
    return Rows.of(raw["text"], lab)


# EDOS vectors (Kirk et al. 2023). One category and one vector per sexist post, from a taxonomy
# whose first category is threats: a post threatening women is category 1.
EDOS_THREAT = {"1.1"}  # threats of harm: intent, willingness or desire to harm women
EDOS_INCITEMENT = {"1.2"}  # incitement and encouragement of harm against women
EDOS_DEHUMANISING = {"2.3"}  # dehumanising attacks & overt sexual objectification
EDOS_PATRONISING = {"3.3", "3.4"}  # backhanded compliments; condescending explanations
EDOS_TOXIC_VECTORS = {"1.1", "1.2", "2.1", "2.2", "2.3", "3.1"}  # threats, derogation, casual slurs/insults


@register(
    "edos",
    title="EDOS (SemEval-2023 Task 10) explainable sexism, train split",
    folder="data4/edos_sexism",
    terms="permissive",
    terms_reason="Repository LICENSE: CC0 1.0.",
)
def read_edos(dirs: Sequence[Path]) -> Rows | None:
    path = find(dirs, "edos_sexism/edos_labelled_aggregated_train.csv")
    if path is None:
        return None
    raw = read_text_csv(path)
    sexist = raw["label_sexist"].eq("sexist").to_numpy()
    vector = np.array(
        [v.split(" ")[0] if s else "" for v, s in zip(raw["label_vector"], sexist, strict=True)]
    )

    def is_in(codes: set[str]) -> np.ndarray:
        return np.isin(vector, list(codes))

    threat_cat = is_in(EDOS_THREAT | EDOS_INCITEMENT)
    lab = Labels(len(raw))
    # "not sexist" rows stay fully masked (and are dropped as unlabelled): EDOS judged sexism
    # only, and its non-sexist Gab/Reddit posts include plenty of racist and antisemitic ones
    # (seen by sampling), so "not sexist" is no negative for IDENTITY_ATTACK or anything else.
    # Sexism = hostility or prejudice against women as women -> IDENTITY_ATTACK 1, except
    # backhanded compliments and condescending advice: patronising, not an attack -> masked.
    lab.set(IDENTITY_ATTACK, 1.0, where=sexist & ~is_in(EDOS_PATRONISING))
    # Threats, derogation and casual gendered slurs / insults are toxic; stereotypes, patronising
    # remarks and prejudiced discussion may be put civilly -> masked.
    lab.set(TOXICITY, 1.0, where=is_in(EDOS_TOXIC_VECTORS))
    # 1.1 threat of harm -> THREAT 1; 1.2 urges others to harm -> masked for THREAT (not the
    # speaker's own threat). Sexist posts outside category 1 hold no threat -> 0.
    lab.set(THREAT, 1.0, where=is_in(EDOS_THREAT))
    lab.set(THREAT, 0.0, where=sexist & ~threat_cat)
    # 1.2 incitement -> CALL_FOR_VIOLENCE 1; 1.1 threats of harm -> 1 too (a threat endorses the
    # violence); other sexist posts -> 0.
    lab.set(CALL_FOR_VIOLENCE, 1.0, where=threat_cat)
    lab.set(CALL_FOR_VIOLENCE, 0.0, where=sexist & ~threat_cat)
    # 2.3 dehumanising attacks and overt sexual objectification (women as animals, objects) ->
    # DEHUMANIZATION 1; other sexist vectors -> 0 (one vector per post: a dehumanising post is
    # 2.3), except threats, which may dehumanise as well -> masked.
    lab.set(DEHUMANIZATION, 1.0, where=is_in(EDOS_DEHUMANISING))
    lab.set(DEHUMANIZATION, 0.0, where=sexist & ~threat_cat & ~is_in(EDOS_DEHUMANISING))
    return Rows.of(raw["text"], lab)


def dynahate_type(value: str) -> str:
    """HatemojiBuild writes `dehumanizinglanguage` / `threateninglanguage`; DynaHate R1-4 writes
    `dehumanization` / `threatening` (and `notgiven` in round 1)."""
    v = value.strip().lower().replace(" ", "")
    v = v.removesuffix("language")
    return {"dehumanization": "dehumanizing", "dehumanising": "dehumanizing", "threaten": "threatening"}.get(
        v, v
    )


@register(
    "hatemoji_build",
    title="HatemojiBuild (DynaHate rounds 5-7, emoji-based adversarial hate), train split",
    folder="data4/hatemoji_build",
    terms="permissive",
    terms_reason='Repository README: "licensed under CC-BY-4.0"; LICENSE file CC BY 4.0.',
)
def read_hatemoji(dirs: Sequence[Path]) -> Rows | None:
    """DynaHate types (Vidgen et al. 2021): derogation = explicitly attacks, demeans or insults a
    group; animosity = abuse of a group put implicitly or subtly; dehumanizing = treats people as
    less than human; threatening = intention to, support for, or encouragement of harm to a group
    or its members; support = glorifies hateful entities or actions. Not-hateful entries include
    the contrastive perturbations: counter-speech, negation, reclaimed terms, abuse of objects,
    animals, individuals or non-protected groups. Both originals and perturbations are kept."""
    path = find(dirs, "hatemoji_build/train.csv")
    if path is None:
        return None
    raw = read_text_csv(path)
    hateful = raw["label_gold"].astype(int).to_numpy() == 1
    kind = raw["type"].map(dynahate_type).to_numpy()
    derog, anim, dehum, threat = (
        hateful & (kind == k) for k in ("derogation", "animosity", "dehumanizing", "threatening")
    )
    lab = Labels(len(raw))
    # Hate here = abuse of a protected group for its identity -> IDENTITY_ATTACK 1; not hateful
    # -> 0: the perturbations are the contrasts (same words, no attack on a group).
    lab.set(IDENTITY_ATTACK, 1.0, where=hateful)
    lab.set(IDENTITY_ATTACK, 0.0, where=~hateful)
    # Explicit types are toxic; animosity (implicit) and support: masked. Not hateful: masked,
    # since abuse of individuals and non-protected groups is "not hate" here.
    lab.set(TOXICITY, 1.0, where=derog | dehum | threat)
    lab.set(DEHUMANIZATION, 1.0, where=dehum)
    lab.set(DEHUMANIZATION, 0.0, where=derog | anim)  # one type per entry; threats may dehumanise too
    lab.set(THREAT, 1.0, where=threat)
    lab.set(THREAT, 0.0, where=derog | anim | dehum)
    lab.set(CALL_FOR_VIOLENCE, 1.0, where=threat)  # intent, support or encouragement of harm
    lab.set(CALL_FOR_VIOLENCE, 0.0, where=derog | anim | dehum)
    # Not-hateful rows: THREAT, CALL_FOR_VIOLENCE, DEHUMANIZATION masked ("I'd love to 🔪 some 🦊"
    # is no threat, but "politicians are rats" is not hate and does dehumanise).
    notes = {"perturbation rows": int(raw["set"].eq("perturbation").sum())} if "set" in raw else {}
    return Rows.of(raw["text"], lab, notes=notes)
