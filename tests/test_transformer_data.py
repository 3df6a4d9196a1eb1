"""Training data of the transformer engine (issue 18): each source's label -> attribute mapping
and masks on tiny hand-written files in the staged formats, the terms filter, the removal of
evaluation texts, the merge of texts found in several sources; and, where ../shared exists,
sanity checks on the real corpus."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pandas", reason="the training data readers need the `train` extra")

from tenor._text import dedup_key
from tenor.train.transformer import ATTRIBUTES, SOURCES, load_corpus, match_keys, merge_key, select
from tenor.train.transformer.overlap import collect_eval_texts, is_eval_path, social_form
from tenor.train.transformer.schema import Rows

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SHARED_DIRS = [SHARED / d for d in ("data", "data2", "data3", "data4")]
NAN = float("nan")


def _csv(path: Path, header: list[str], rows: list[list[object]], delimiter: str = ",") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(
            f,
            delimiter=delimiter,
            quoting=csv.QUOTE_MINIMAL if delimiter == "," else csv.QUOTE_NONE,
            escapechar="\\",
        )
        writer.writerow(header)
        writer.writerows(rows)


def _lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


JIGSAW_COLS = ["id", "comment_text", "toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]
EXTRA_COLS = ["text_cleaned", "first_source", "n_source_repos", "n_distinct_texts"]


def write_fixture(root: Path) -> list[Path]:
    """One tiny copy of every staged source (and a few evaluation files) under root/data*."""
    d1, d2, d3, d4 = (root / n for n in ("data", "data2", "data3", "data4"))
    # Jigsaw: union + more (the duplicate id j1 is read once); one train text is also a test text.
    _csv(
        d2 / "jigsaw_toxic_2018_union/train/train_union.csv",
        JIGSAW_COLS + EXTRA_COLS,
        [
            ["j1", "Thanks for fixing the infobox.", 0, 0, 0, 0, 0, 0, "False", "r", 1, 1],
            ["j2", "I will find you and kill you.", 1, 0, 0, 1, 0, 0, "False", "r", 1, 1],
            ["j3", "Shut up you stupid idiot", 1, 0, 0, 0, 1, 0, "False", "r", 1, 1],
        ],
    )
    _csv(
        d3 / "jigsaw_toxic_2018_more/train/train_more.csv",
        JIGSAW_COLS + EXTRA_COLS,
        [
            ["j1", "Thanks for fixing the infobox.", 0, 0, 0, 0, 0, 0, "False", "r", 1, 1],
            ["j4", "what a fucking mess", 1, 0, 1, 0, 0, 0, "True", "f", 1, 1],
        ],
    )
    _csv(
        d2 / "jigsaw_toxic_2018_union/test/test_scored_with_text.csv",
        JIGSAW_COLS,
        [["t1", "SHUT UP, you stupid idiot!!", 1, 0, 0, 0, 1, 0]],
    )
    # OLID + AbuseEval (ids join).
    _csv(
        d1 / "olid/olid-training-v1.0.tsv",
        ["id", "tweet", "subtask_a", "subtask_b", "subtask_c"],
        [
            ["1", "@USER have a lovely day", "NOT", "NULL", "NULL"],
            ["2", "@USER this is fucking shit", "OFF", "UNT", "NULL"],
            ["3", "@USER you are a lying clown", "OFF", "TIN", "IND"],
        ],
        delimiter="\t",
    )
    _csv(
        d4 / "abuseval_olid_implicit/abuseval_offenseval_train.tsv",
        ["id", "abuse"],
        [["1", "NOTABU"], ["2", "NOTABU"], ["3", "IMP"]],
        "\t",
    )
    # Davidson: hate, offensive, neither.
    _csv(
        d1 / "davidson_hate_offensive/labeled_data.csv",
        ["", "count", "hate_speech", "offensive_language", "neither", "class", "tweet"],
        [
            [0, 3, 2, 1, 0, 0, "those people are animals go back"],
            [1, 3, 0, 3, 0, 1, "lol that hoe"],
            [2, 3, 0, 0, 3, 2, "nice weather"],
        ],
    )
    # Stormfront: post 300 has a sentence in test/, so both of its sentences go.
    _csv(
        d2 / "stormfront_hate_speech/all_annotated.csv",
        ["file_id", "user_id", "subforum_id", "num_contexts", "label", "text"],
        [
            ["100_1", "u", "s", "0", "hate", "They are a plague on our nation ."],
            ["100_2", "u", "s", "0", "noHate", "I went to the meeting yesterday ."],
            ["200_1", "u", "s", "0", "relation", "And so are they ."],
            ["300_1", "u", "s", "0", "hate", "Post three first sentence ."],
            ["300_2", "u", "s", "0", "noHate", "Post three second sentence ."],
        ],
    )
    _csv(
        d2 / "stormfront_hate_speech/test/sampled_test.csv",
        ["file_id", "user_id", "subforum_id", "num_contexts", "label", "text"],
        [["300_2", "u", "s", "0", "noHate", "Post three second sentence ."]],
    )
    # Toxic spans raw annotations: post 10 has 3 raters with spans (insult, insult, insult+threat);
    # post 11 one rater with a span (types masked); post 12 is the SemEval test post.
    _csv(
        d1 / "toxic_spans/raw_annotations/comments.csv",
        ["comment_id", "comment_text"],
        [[10, "You moron, I will hurt you"], [11, "what garbage"], [12, "Test post text here"]],
    )
    _csv(
        d1 / "toxic_spans/raw_annotations/annotations.csv",
        ["annotation", "comment_id", "worker", "country", "all toxic", "not toxic"],
        [
            [0, 10, 1, "USA", False, False],
            [1, 10, 2, "USA", False, False],
            [2, 10, 3, "USA", False, False],
            [3, 11, 1, "USA", False, False],
            [4, 11, 2, "USA", True, True],
            [5, 12, 1, "USA", False, False],
        ],
    )
    _csv(
        d1 / "toxic_spans/raw_annotations/spans.csv",
        ["annotation", "type", "start", "end"],
        [
            [0, "Insult", 4, 9],
            [1, "Insult", 4, 9],
            [2, "Insu", 4, 9],
            [2, "Threat", 13, 26],
            [3, "Other Toxicity", 5, 12],
            [5, "Insult", 0, 4],
        ],
    )
    _csv(d1 / "toxic_spans/test/tsd_test.csv", ["spans", "text"], [["[0, 1]", "Test post text here"]])
    # Implicit Hate Corpus: stage 1 (+ ids), stage 2 categories by id.
    ihc = d4 / "implicit_hate_corpus"
    posts = [
        ("t1", "they will pay for what they did , we are coming", "implicit_hate"),
        ("t2", "white people are under attack in their own land", "implicit_hate"),
        ("t3", "explicit hateful slur post", "explicit_hate"),
        ("t4", "vote for lower taxes this november", "not_hate"),
        ("t5", "an implicit post with no stage 2 row", "implicit_hate"),
    ]
    _csv(ihc / "implicit_hate_v1_stg1_posts.tsv", ["post", "class"], [[p, c] for _, p, c in posts], "\t")
    _csv(ihc / "implicit_hate_v1_stg1.tsv", ["ID", "class"], [[i, c] for i, _, c in posts], "\t")
    _csv(
        ihc / "implicit_hate_v1_stg2.tsv",
        ["ID", "implicit_class", "extra_implicit_class"],
        [["t1", "threatening", ""], ["t2", "white_grievance", ""]],
        "\t",
    )
    # ToxiGen annotated (bytes literals) and seed statements.
    _csv(
        d4 / "toxigen_annotated/annotated_train.csv",
        ["text", "target_group", "toxicity_human", "label"],
        [
            ["b'asians are all the same'", "asian", 5, "hate"],
            ['b"it\'s a nice festival"', "asian", 1, "hate"],
            ["b'they are kind of odd'", "asian", 3, "neutral"],
        ],
    )
    _csv(
        d4 / "toxigen_seed_statements/toxigen_seed_statements.csv",
        ["text", "label", "target_groups"],
        [["muslims cannot be trusted", "hate", "muslim"], ["muslims celebrate eid", "neutral", "muslim"]],
    )
    # HatEval: a blank line keeps its place; one train tweet is a test tweet.
    he = d4 / "hateval2019_en_tweeteval"
    _lines(
        he / "train_text.txt",
        ["send them all back #buildthewall ", "", "women deserve equal pay", "a tweet also in the test set"],
    )
    _lines(he / "train_labels.txt", ["1", "0", "0", "1"])
    _lines(
        he / "test/test_text.txt", ["A tweet also in the TEST set!", "@user Our borders are a mess & worse "]
    )
    _lines(he / "test/test_labels.txt", ["1", "0"])
    # ISHate: explicit HS, implicit HS, HS at a political party, Non-HS; one text is HatEval's.
    _csv(
        d4 / "ishate_implicit_subtle/ishate_train_original_noconan.csv",
        [
            "message_id",
            "text",
            "cleaned_text",
            "source",
            "hateful_layer",
            "implicit_layer",
            "subtlety_layer",
            "implicit_props_layer",
            "target",
        ],
        [
            ["1", "women are worthless", "", "hateval", "HS", "Explicit HS", "Non-Subtle", "", "Women"],
            [
                "2",
                "funny how they always end up on welfare",
                "",
                "ihc",
                "HS",
                "Implicit HS",
                "Subtle",
                "Irony",
                "Ethnic/Racial Minorities",
            ],
            [
                "3",
                "all democrats are scum",
                "",
                "wsf",
                "HS",
                "Explicit HS",
                "Non-Subtle",
                "",
                "Political Affiliations",
            ],
            ["4", "women deserve equal pay", "", "hateval", "HS", "Explicit HS", "Non-Subtle", "", "Women"],
            # ISHate keeps the mentions and links that TweetEval's copy of the tweet replaced
            [
                "5",
                "@SpeakerRyan Our borders are a mess &amp; worse https://t.co/ey20L",
                "",
                "hateval",
                "HS",
                "",
                "",
                "",
                "Immigrants and Refugees",
            ],
        ],
    )
    # Gab Hate Corpus: none, hd, cv, vo; a test post.
    ghc = d4 / "gab_hate_corpus"
    ghc.mkdir(parents=True)
    rows = [
        ("link only http://x.y", 0, 0, 0),
        ("they are subhuman scum", 1, 0, 0),
        ("hang them all", 0, 1, 0),
        ("you are a dumb fuck", 0, 0, 1),
        ("an ethos comment", 0, 0, 0),
    ]
    (ghc / "train.jsonl").write_text(
        "".join(
            json.dumps({"text": t, "hd": str(h), "cv": str(c), "vo": str(v)}) + "\n" for t, h, c, v in rows
        ),
        encoding="utf-8",
    )
    (ghc / "test").mkdir()
    (ghc / "test/test.jsonl").write_text(
        json.dumps({"text": "a gab test post", "hd": "0", "cv": "0", "vo": "0"}) + "\n", encoding="utf-8"
    )
    _csv(d2 / "ethos/Ethos_Dataset_Binary.csv", ["comment;isHate"], [["An ethos comment!;0.0"]])
    # EDOS: not sexist, 1.1, 1.2, 2.3, 2.1, 3.3; one train text is a dev text.
    edos_cols = ["rewire_id", "text", "label_sexist", "label_category", "label_vector", "split"]
    _csv(
        d4 / "edos_sexism/edos_labelled_aggregated_train.csv",
        edos_cols,
        [
            ["e1", "jews run the banks", "not sexist", "none", "none", "train"],
            [
                "e2",
                "I will beat her senseless",
                "sexist",
                "1. threats, plans to harm and incitement",
                "1.1 threats of harm",
                "train",
            ],
            [
                "e3",
                "someone should slap that woman",
                "sexist",
                "1. threats, plans to harm and incitement",
                "1.2 incitement and encouragement of harm",
                "train",
            ],
            [
                "e4",
                "women are just holes",
                "sexist",
                "2. derogation",
                "2.3 dehumanising attacks & overt sexual objectification",
                "train",
            ],
            ["e5", "women are stupid", "sexist", "2. derogation", "2.1 descriptive attacks", "train"],
            [
                "e6",
                "pretty smart for a girl",
                "sexist",
                "3. animosity",
                "3.3 backhanded gendered compliments",
                "train",
            ],
            ["e7", "an edos dev post", "sexist", "2. derogation", "2.1 descriptive attacks", "train"],
        ],
    )
    _csv(
        d4 / "edos_sexism/dev/edos_labelled_aggregated_dev.csv",
        edos_cols,
        [["e9", "An EDOS dev post.", "sexist", "2. derogation", "2.1 descriptive attacks", "dev"]],
    )
    # HatemojiBuild: a threatening original and its non-hateful perturbation (same words, the
    # emoji differ), a dehumanising, a derogation and an animosity entry.
    hm_cols = [
        "entry_id",
        "text",
        "type",
        "target",
        "round.base",
        "round.set",
        "set",
        "split",
        "label_gold",
        "matched_text",
        "matched_id",
    ]
    _csv(
        d4 / "hatemoji_build/train.csv",
        hm_cols,
        [
            [
                0,
                "I would love to 🔪 some 👳🏾",
                "threateninglanguage",
                "['mus']",
                5,
                "5a",
                "original",
                "train",
                1,
                "I would love to 🔪 some 🦊",
                1,
            ],
            [
                1,
                "I would love to 🔪 some 🦊",
                "none",
                "['none']",
                5,
                "5b",
                "perturbation",
                "train",
                0,
                "I would love to 🔪 some 👳🏾",
                0,
            ],
            [
                2,
                "all immigrants are 🐀",
                "dehumanizinglanguage",
                "['immig']",
                6,
                "6a",
                "original",
                "train",
                1,
                "",
                "",
            ],
            [
                3,
                "gay people are disgusting",
                "derogation",
                "['gay']",
                6,
                "6a",
                "original",
                "train",
                1,
                "",
                "",
            ],
            [
                4,
                "funny how 👳🏾 always smell",
                "animosity",
                "['mus']",
                7,
                "7a",
                "original",
                "train",
                1,
                "",
                "",
            ],
            # an emoji-only entry (no letters: empty dedup key) and its contrast
            [5, "🧕 = 🐖", "dehumanizinglanguage", "['mus']", 7, "7a", "original", "train", 1, "", ""],
            [6, "🧕 = 🌹", "none", "['none']", 7, "7b", "perturbation", "train", 0, "", ""],
        ],
    )
    _csv(
        d4 / "hatemoji_build/dev/validation.csv",
        hm_cols,
        [
            [9, "gay people are 🤮", "derogation", "['gay']", 6, "6b", "perturbation", "dev", 1, "", ""],
            [10, "🧕=🐖 ", "dehumanizinglanguage", "['mus']", 7, "7a", "original", "dev", 1, "", ""],
        ],
    )
    # SBIC (evaluation only): holds one IHC post.
    _csv(
        d4 / "sbic_social_bias_frames/test/SBIC.v2.agg.tst.csv",
        ["", "post", "offensiveYN"],
        [[0, "Vote for lower taxes this November!", 0.0]],
    )
    return [d1, d2, d3, d4]


@pytest.fixture
def dirs(tmp_path: Path) -> list[Path]:
    return write_fixture(tmp_path)


def read(name: str, dirs: list[Path]) -> Rows:
    rows = SOURCES[name].read(dirs)
    assert rows is not None, name
    return rows


def targets_of(rows: Rows, text: str) -> dict[str, float]:
    i = [t.strip() for t in rows.texts].index(text)
    return dict(zip(ATTRIBUTES, rows.targets[i].tolist(), strict=True))


def same(value: float, expected: float) -> bool:
    return math.isnan(value) if math.isnan(expected) else abs(value - expected) < 1e-6


def check(rows: Rows, text: str, **expected: float) -> None:
    got = targets_of(rows, text)
    wrong = {a: got[a] for a, v in expected.items() if not same(got[a], v)}
    assert not wrong, f"{text!r}: got {wrong}, expected {{{', '.join(f'{a}: {expected[a]}' for a in wrong)}}}"


def test_attributes_are_the_six_perspective_ones_then_tenors_two() -> None:
    assert ATTRIBUTES == (
        "TOXICITY",
        "SEVERE_TOXICITY",
        "IDENTITY_ATTACK",
        "INSULT",
        "PROFANITY",
        "THREAT",
        "DEHUMANIZATION",
        "CALL_FOR_VIOLENCE",
    )


def test_every_source_reads_its_format_and_states_its_terms(dirs: list[Path]) -> None:
    for source in SOURCES.values():
        rows = source.read(dirs)
        assert rows is not None and len(rows.texts) > 0, source.name
        known = rows.targets[~np.isnan(rows.targets)]
        assert ((known >= 0) & (known <= 1)).all(), source.name
        assert source.terms in ("permissive", "research", "noncommercial", "unclear") and source.terms_reason
    assert SOURCES["jigsaw2018"].read([dirs[0]]) is None  # absent -> None, not an error


def test_comment_sets_map_onto_perspectives_attributes(dirs: list[Path]) -> None:
    jigsaw = read("jigsaw2018", dirs)
    assert len(jigsaw.texts) == 4  # j1 read once
    check(
        jigsaw,
        "I will find you and kill you.",
        TOXICITY=1,
        THREAT=1,
        INSULT=0,
        CALL_FOR_VIOLENCE=NAN,
        DEHUMANIZATION=NAN,
    )
    assert jigsaw.weights[jigsaw.texts.index("Thanks for fixing the infobox.")] > 1  # clean rows up-weighted
    olid = read("olid", dirs)
    check(olid, "@USER have a lovely day", **dict.fromkeys(ATTRIBUTES, 0.0))
    check(olid, "@USER this is fucking shit", TOXICITY=1, PROFANITY=1, INSULT=NAN, THREAT=NAN)
    check(olid, "@USER you are a lying clown", TOXICITY=1, PROFANITY=NAN, INSULT=NAN)
    abuse = read("abuseval", dirs)
    check(abuse, "@USER you are a lying clown", INSULT=1, TOXICITY=1, IDENTITY_ATTACK=NAN)
    check(abuse, "@USER this is fucking shit", INSULT=NAN, TOXICITY=1)
    davidson = read("davidson", dirs)
    check(
        davidson,
        "those people are animals go back",
        TOXICITY=1,
        IDENTITY_ATTACK=1,
        INSULT=NAN,
        DEHUMANIZATION=NAN,
    )
    check(davidson, "lol that hoe", TOXICITY=1, IDENTITY_ATTACK=0, PROFANITY=NAN)
    check(davidson, "nice weather", **dict.fromkeys(ATTRIBUTES, 0.0))
    storm = read("stormfront", dirs)
    assert sorted(storm.texts) == [
        "I went to the meeting yesterday .",
        "They are a plague on our nation .",
    ]  # test post and "relation" gone
    check(storm, "I went to the meeting yesterday .", IDENTITY_ATTACK=0, TOXICITY=NAN, INSULT=NAN)
    assert storm.notes["sentences of test posts dropped"] == 2
    spans = read("toxic_spans", dirs)
    check(
        spans,
        "You moron, I will hurt you",
        TOXICITY=1,
        INSULT=1,
        THREAT=1 / 3,
        IDENTITY_ATTACK=0,
        PROFANITY=0,
        SEVERE_TOXICITY=NAN,
    )
    check(spans, "what garbage", TOXICITY=1, INSULT=NAN, THREAT=NAN)  # one rater highlighted: too few


def test_hate_sets_label_identity_attacks_and_mask_what_they_do_not_judge(dirs: list[Path]) -> None:
    ihc = read("implicit_hate_corpus", dirs)
    check(
        ihc,
        "they will pay for what they did , we are coming",
        IDENTITY_ATTACK=1,
        THREAT=1,
        CALL_FOR_VIOLENCE=NAN,
        TOXICITY=NAN,
    )
    check(
        ihc,
        "white people are under attack in their own land",
        IDENTITY_ATTACK=1,
        THREAT=0,
        CALL_FOR_VIOLENCE=0,
        DEHUMANIZATION=0,
        TOXICITY=NAN,
    )
    check(ihc, "explicit hateful slur post", IDENTITY_ATTACK=1, TOXICITY=1, THREAT=NAN)
    check(ihc, "vote for lower taxes this november", IDENTITY_ATTACK=0, TOXICITY=NAN, INSULT=NAN, THREAT=NAN)
    check(ihc, "an implicit post with no stage 2 row", IDENTITY_ATTACK=1, THREAT=NAN)
    tox = read("toxigen_annotated", dirs)
    assert "it's a nice festival" in tox.texts  # the bytes literal unwrapped
    check(tox, "asians are all the same", IDENTITY_ATTACK=1, TOXICITY=NAN)
    check(tox, "it's a nice festival", IDENTITY_ATTACK=0)  # prompted as "hate", rated benign
    check(tox, "they are kind of odd", IDENTITY_ATTACK=0.5)
    seeds = read("toxigen_seeds", dirs)
    check(seeds, "muslims cannot be trusted", IDENTITY_ATTACK=1, TOXICITY=NAN)
    check(seeds, "muslims celebrate eid", IDENTITY_ATTACK=0)
    hateval = read("hateval", dirs)
    assert hateval.texts[2] == "women deserve equal pay" and hateval.texts[1] == ""  # line alignment kept
    check(hateval, "send them all back #buildthewall", IDENTITY_ATTACK=1, TOXICITY=1)
    check(hateval, "women deserve equal pay", IDENTITY_ATTACK=0, TOXICITY=NAN)
    ishate = read("ishate", dirs)
    check(ishate, "women are worthless", IDENTITY_ATTACK=1, TOXICITY=1)
    check(ishate, "funny how they always end up on welfare", IDENTITY_ATTACK=1, TOXICITY=NAN)
    check(ishate, "all democrats are scum", IDENTITY_ATTACK=NAN, TOXICITY=1)  # a party is no identity


def test_typed_sets_give_dehumanization_and_calls_for_violence(dirs: list[Path]) -> None:
    ghc = read("gab_hate_corpus", dirs)
    none = dict.fromkeys(
        (
            "TOXICITY",
            "SEVERE_TOXICITY",
            "IDENTITY_ATTACK",
            "INSULT",
            "THREAT",
            "DEHUMANIZATION",
            "CALL_FOR_VIOLENCE",
        ),
        0.0,
    )
    check(ghc, "link only http://x.y", PROFANITY=NAN, **none)
    check(
        ghc,
        "they are subhuman scum",
        IDENTITY_ATTACK=1,
        TOXICITY=1,
        DEHUMANIZATION=1,
        CALL_FOR_VIOLENCE=0,
        THREAT=0,
    )  # hd -> DEHUMANIZATION (wider than strict dehumanisation: see sources_typed.py)
    check(ghc, "hang them all", CALL_FOR_VIOLENCE=1, THREAT=NAN, IDENTITY_ATTACK=1, DEHUMANIZATION=NAN)
    check(
        ghc,
        "you are a dumb fuck",
        TOXICITY=1,
        IDENTITY_ATTACK=0,
        THREAT=NAN,
        CALL_FOR_VIOLENCE=NAN,
        INSULT=NAN,
    )
    edos = read("edos", dirs)
    check(
        edos, "jews run the banks", **dict.fromkeys(ATTRIBUTES, NAN)
    )  # "not sexist" is no negative for anything
    check(
        edos,
        "I will beat her senseless",
        IDENTITY_ATTACK=1,
        TOXICITY=1,
        THREAT=1,
        CALL_FOR_VIOLENCE=1,
        DEHUMANIZATION=NAN,
    )
    check(edos, "someone should slap that woman", THREAT=NAN, CALL_FOR_VIOLENCE=1)
    check(edos, "women are just holes", DEHUMANIZATION=1, THREAT=0, CALL_FOR_VIOLENCE=0, IDENTITY_ATTACK=1)
    check(edos, "women are stupid", DEHUMANIZATION=0, THREAT=0, TOXICITY=1)
    check(edos, "pretty smart for a girl", IDENTITY_ATTACK=NAN, TOXICITY=NAN, DEHUMANIZATION=0)
    hm = read("hatemoji_build", dirs)
    check(
        hm,
        "I would love to 🔪 some 👳🏾",
        IDENTITY_ATTACK=1,
        THREAT=1,
        CALL_FOR_VIOLENCE=1,
        TOXICITY=1,
        DEHUMANIZATION=NAN,
    )
    check(
        hm, "I would love to 🔪 some 🦊", IDENTITY_ATTACK=0, THREAT=NAN, CALL_FOR_VIOLENCE=NAN, TOXICITY=NAN
    )  # the contrast
    check(hm, "all immigrants are 🐀", DEHUMANIZATION=1, THREAT=0, IDENTITY_ATTACK=1)
    check(hm, "gay people are disgusting", DEHUMANIZATION=0, TOXICITY=1)
    check(hm, "funny how 👳🏾 always smell", IDENTITY_ATTACK=1, TOXICITY=NAN, DEHUMANIZATION=0)


def test_evaluation_texts_never_reach_training_and_are_counted(dirs: list[Path]) -> None:
    corpus = load_corpus(dirs)
    keys = {k for t in corpus.texts for k in match_keys(t)}
    for name, texts in collect_eval_texts(dirs).items():
        assert not keys & {k for t in texts for k in match_keys(t)}, name
    overlap = {n: e["overlap"] for n, e in corpus.report["sources"].items()}
    assert overlap["jigsaw2018"] == {"data2/jigsaw_toxic_2018_union/test/test_scored_with_text.csv": 1}
    assert overlap["toxic_spans"] == {"data/toxic_spans/test/tsd_test.csv": 1}
    assert overlap["hateval"] == {"data4/hateval2019_en_tweeteval/test/test_text.txt": 1}
    assert overlap["ishate"] == {
        "data4/hateval2019_en_tweeteval/test/test_text.txt": 1
    }  # @mentions, links differ
    assert overlap["edos"] == {"data4/edos_sexism/dev/edos_labelled_aggregated_dev.csv": 1}  # dev/ counts too
    assert overlap["gab_hate_corpus"] == {"data2/ethos/Ethos_Dataset_Binary.csv": 1}  # evaluation-only set
    assert overlap["implicit_hate_corpus"] == {"data4/sbic_social_bias_frames/test/SBIC.v2.agg.tst.csv": 1}
    assert corpus.report["sources"]["hateval"]["overlap_removed"] == 1
    assert corpus.report["sources"]["edos"]["unlabelled"] == 1
    # an emoji-only text (no dedup key) is compared with its emoji kept: its twin goes, its
    # contrast stays; "gay people are 🤮" shares no words-only key with a training text
    assert overlap["hatemoji_build"] == {"data4/hatemoji_build/dev/validation.csv": 1}
    assert "🧕 = 🌹" in corpus.texts and "🧕 = 🐖" not in corpus.texts


def test_a_text_in_several_sources_is_one_row_with_the_mean_of_their_labels(dirs: list[Path]) -> None:
    corpus = load_corpus(dirs)
    frame = corpus.to_frame()
    row = frame[frame["text"] == "women deserve equal pay"]
    assert len(row) == 1 and row["source"].item() == "hateval"  # the earlier source reports it
    assert row["IDENTITY_ATTACK"].item() == pytest.approx(0.5)  # HatEval 0, ISHate 1
    assert row["TOXICITY"].item() == 1  # only ISHate labels it
    olid = frame[frame["text"] == "@USER you are a lying clown"]
    assert len(olid) == 1 and olid["INSULT"].item() == 1  # AbuseEval's label joins OLID's row
    assert corpus.report["merge"]["texts_in_several_sources"] == 4  # 3 OLID tweets + the HatEval one
    assert corpus.report["merge"]["conflicts"]["IDENTITY_ATTACK"] == 1
    # the emoji contrasts stay two rows although their dedup keys agree
    assert dedup_key("I would love to 🔪 some 👳🏾") == dedup_key("I would love to 🔪 some 🦊")
    assert merge_key("I would love to 🔪 some 👳🏾") != merge_key("I would love to 🔪 some 🦊")
    assert {"I would love to 🔪 some 👳🏾", "I would love to 🔪 some 🦊"} <= set(corpus.texts)
    assert corpus.weights.mean() == pytest.approx(1.0)
    assert corpus.targets.dtype == np.float32 and corpus.targets.shape == (len(corpus), len(ATTRIBUTES))


def test_permissive_terms_keep_only_sets_that_allow_commercial_use(dirs: list[Path]) -> None:
    corpus = load_corpus(dirs, terms="permissive")
    used = set(corpus.report["sources"])
    assert used == {s.name for s in SOURCES.values() if s.terms == "permissive"}
    assert used == {
        "jigsaw2018",
        "toxic_spans",
        "davidson",
        "stormfront",
        "implicit_hate_corpus",
        "edos",
        "hatemoji_build",
    }
    assert set(corpus.report["excluded_by_terms"]) == {
        "olid",
        "abuseval",
        "toxigen_annotated",
        "toxigen_seeds",
        "hateval",
        "ishate",
        "gab_hate_corpus",
    }
    assert "hang them all" not in corpus.texts and "women are worthless" not in corpus.texts
    frame = corpus.to_frame()
    # without ISHate, the HatEval-only text is gone too (HatEval's terms are unclear)
    assert "women deserve equal pay" not in set(frame["text"])
    with pytest.raises(ValueError, match="terms must be one of"):
        select("commercial")


def test_corpus_is_deterministic_and_caps_are_seeded(dirs: list[Path]) -> None:
    a, b = load_corpus(dirs, seed=3, max_per_source=2), load_corpus(dirs, seed=3, max_per_source=2)
    assert (
        a.texts == b.texts
        and np.array_equal(a.targets, b.targets, equal_nan=True)
        and np.array_equal(a.weights, b.weights)
    )
    assert all(e["used"] <= 2 for e in a.report["sources"].values())
    assert a.report["sources"]["ishate"]["capped"] == 2
    only = load_corpus(dirs, sources=["edos"], balance=1.0)
    assert set(only.report["sources"]) == {"edos"} and len(only) == 5  # not sexist and the dev text gone
    assert np.allclose(only.weights, 1.0)
    labelled = only.labelled
    assert (
        labelled.shape == only.targets.shape and labelled[:, ATTRIBUTES.index("IDENTITY_ATTACK")].sum() == 4
    )


def test_balance_weighs_sources_by_a_power_of_their_size(dirs: list[Path]) -> None:
    corpus = load_corpus(dirs, sources=["ishate", "toxigen_seeds"], balance=0.5)
    frame = corpus.to_frame()
    ishate = frame[frame["source"] == "ishate"]["weight"].sum()
    seeds = frame[frame["source"] == "toxigen_seeds"]["weight"].sum()
    assert ishate / seeds == pytest.approx(math.sqrt(4) / math.sqrt(2), rel=1e-5)  # 4 rows against 2
    flat = load_corpus(dirs, sources=["ishate", "toxigen_seeds"], balance=1.0)
    assert np.allclose(flat.weights, 1.0)


def test_copies_of_a_tweet_match_across_mention_and_link_rewrites() -> None:
    tweeteval = "@user @user You saw what they did in their own country, #SendThemBack "
    original = (
        "@FAIRImmigration @Reuters You saw what they did in their own country, #SendThemBack https://t.co/x1"
    )
    assert dedup_key(tweeteval) != dedup_key(original)
    assert set(match_keys(tweeteval)) & set(match_keys(original))
    assert social_form("[USER] said &amp; [URL] www.x.org URL").split() == ["said", "&"]
    assert match_keys("🧕 = 🐖") == ("\x00🧕=🐖",) and match_keys(" ?! ") == ()


def test_evaluation_files_are_found_by_folder_and_read_by_format(tmp_path: Path) -> None:
    assert (
        is_eval_path(Path("x/test/a.csv"))
        and is_eval_path(Path("x/dev/a.tsv"))
        and is_eval_path(Path("p/test_unlabeled/t/a.txt"))
    )
    assert (
        not is_eval_path(Path("x/train/a.csv"))
        and not is_eval_path(Path("x/test.csv"))
        and not is_eval_path(Path("latest/a.csv"))
    )
    d = tmp_path / "data9"
    _lines(d / "set/dev/val_text.txt", ["one tweet", "", "two tweet"])
    _lines(d / "set/dev/val_labels.txt", ["0", "1"])
    _csv(d / "set/test/ids.csv", ["id", "label"], [["1", "0"]])
    _csv(d / "sbic/dev/x.csv", ["post", "offensiveYN"], [["a post", 1]])
    texts = collect_eval_texts([d])
    assert texts == {
        "data9/sbic/dev/x.csv": ["a post"],
        "data9/set/dev/val_text.txt": ["one tweet", "two tweet"],
    }


@pytest.mark.shared_data
@pytest.mark.skipif(
    not all(d.is_dir() for d in SHARED_DIRS),
    reason="../shared/data, data2, data3, data4 are not beside this checkout",
)
def test_the_real_corpus_is_sane_and_holds_no_evaluation_text() -> None:
    corpus = load_corpus(SHARED_DIRS)
    report = corpus.report
    assert not report["missing"], report["missing"]
    assert set(report["sources"]) == set(SOURCES)
    for j, attribute in enumerate(ATTRIBUTES):
        known = corpus.targets[~np.isnan(corpus.targets[:, j]), j]
        assert (known >= 0.5).sum() >= 100 and (known < 0.5).sum() >= 1000, attribute
    keys = {k for t in corpus.texts for k in match_keys(t)}
    leaked = {
        name
        for name, texts in collect_eval_texts(SHARED_DIRS).items()
        if keys & {k for t in texts for k in match_keys(t)}
    }
    assert not leaked
    # README counts: the Wikipedia toxicity test set holds about 520 Jigsaw train comments; all
    # 548 SAP posts of IHC are SBIC test posts; all 2,000 toxic-spans test posts are in raw_annotations.
    overlap = report["sources"]
    assert (
        480
        <= overlap["jigsaw2018"]["overlap"][
            "data/conversationai_bias_eval/test/toxicity_nonfuzzed_testset.csv"
        ]
        <= 560
    )
    assert (
        overlap["implicit_hate_corpus"]["overlap"]["data4/sbic_social_bias_frames/test/SBIC.v2.agg.tst.csv"]
        >= 548
    )
    assert overlap["toxic_spans"]["overlap"]["data/toxic_spans/test/tsd_test.csv"] >= 2000
    # ISHate-train holds 1,629 HatEval test tweets (its README), with their original @mentions/links
    assert overlap["ishate"]["overlap"]["data4/hateval2019_en_tweeteval/test/test_text.txt"] >= 1600
    assert 190_000 <= len(corpus) <= 210_000
    permissive = load_corpus(SHARED_DIRS, terms="permissive")
    assert {SOURCES[n].terms for n in permissive.report["sources"]} == {"permissive"}
    for j, attribute in enumerate(ATTRIBUTES):
        assert (permissive.targets[:, j] >= 0.5).sum() >= 50, attribute
