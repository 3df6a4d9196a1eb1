"""Identity terms the model does not see.

Why: a bag-of-words model trained on Jigsaw learns that "gay", "muslim" or "black" predict
toxicity, because identity groups are mentioned most often when they are attacked (Dixon et
al., AIES 2018). Replacing them by one shared token removes the differences between groups
but not the bias itself: that token learns a large positive weight, and "I am a gay Muslim
woman" still came out at TOXICITY 0.60. So every listed term becomes ``<identity>``, whose
features (the token itself and the bigrams through it, no character n-grams) only the
IDENTITY_ATTACK head may use: training zeroes them for every other head, so TOXICITY, INSULT
and the rest never see an identity mention. Leaving IDENTITY_ATTACK blind too cost 0.02 of its
cross-validated AUC (0.962 -> 0.942). Slurs are not identity terms and stay visible to all.
The evaluation keeps its own identity-term list to measure per-term bias; this list is the
model's.
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
