"""Identity terms the model sees as one neutral token.

Why: a bag-of-words model trained on Jigsaw learns that "gay", "muslim" or "black" predict
toxicity, because identity groups are mentioned most often when they are attacked (Dixon et
al., AIES 2018). tenor replaces every listed term by the single token ``<identity>`` before
featurising, so no single identity is scored as more toxic than another; the model still
learns that *an* identity is mentioned, which IDENTITY_ATTACK needs. The evaluation keeps its
own copy of an identity-term list to measure per-term bias; this list is the model's.
"""

from __future__ import annotations

IDENTITY_TOKEN = "<identity>"

_SINGLE = """
lesbian lesbians gay gays bisexual bisexuals transgender transgenders trans transsexual queer queers
lgbt lgbtq lgbtqia homosexual homosexuals heterosexual heterosexuals straight nonbinary non-binary
male males female females
african africans black blacks white whites european europeans hispanic hispanics latino latinos
latina latinas latinx mexican mexicans canadian canadians american americans asian asians indian
indians chinese japanese korean koreans arab arabs
christian christians muslim muslims moslem moslems islam islamic jew jews jewish judaism buddhist
buddhists catholic catholics protestant protestants sikh sikhs taoist taoists hindu hindus atheist
atheists mormon mormons
old older young younger teenage teenager teenagers millennial millennials elderly
blind deaf paralyzed paralysed disabled
""".split()

IDENTITY_TERMS: frozenset[str] = frozenset(_SINGLE)

# Two-word terms: both words become the identity token when they occur together.
IDENTITY_BIGRAMS: frozenset[tuple[str, str]] = frozenset(
    {("middle", "aged"), ("middle", "eastern"), ("african", "american"), ("native", "american")}
)
