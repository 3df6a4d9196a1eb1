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

# Perspective's per-request text limit: 20 KB of UTF-8.
MAX_TEXT_BYTES = 20480
