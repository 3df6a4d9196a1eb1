"""The attribute vocabulary tenor speaks: Perspective's names, upper case."""

from __future__ import annotations

TOXICITY = "TOXICITY"
SEVERE_TOXICITY = "SEVERE_TOXICITY"
IDENTITY_ATTACK = "IDENTITY_ATTACK"
INSULT = "INSULT"
PROFANITY = "PROFANITY"
THREAT = "THREAT"
SEXUALLY_EXPLICIT = "SEXUALLY_EXPLICIT"

# Perspective's production attributes, in the order tenor reports them.
PERSPECTIVE_ATTRIBUTES: tuple[str, ...] = (
    TOXICITY,
    SEVERE_TOXICITY,
    IDENTITY_ATTACK,
    INSULT,
    PROFANITY,
    THREAT,
    SEXUALLY_EXPLICIT,
)

# tenor's own attributes, beyond Perspective's; returned only when a request names them.
# People described as vermin, disease, filth, animals or objects: less than human.
DEHUMANIZATION = "DEHUMANIZATION"
# Urging or endorsing violence against people, including by third parties (states, armies,
# "someone"). A superset of THREAT against people: a threat of violence is the speaker endorsing
# violence, while "the army should flatten them" is no threat by the speaker.
CALL_FOR_VIOLENCE = "CALL_FOR_VIOLENCE"
TENOR_ATTRIBUTES: tuple[str, ...] = (DEHUMANIZATION, CALL_FOR_VIOLENCE)

# Perspective's per-request text limit: 20 KB of UTF-8.
MAX_TEXT_BYTES = 20480
